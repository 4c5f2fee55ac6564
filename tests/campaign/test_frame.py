"""Frame import: filters with their counts, bad rows set aside with line numbers, derived bands."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from barometre.campaign.frame import FrameFilters, FrameSourceError, import_frame

from .sirene_files import (
    ET_HEADER,
    UL_HEADER,
    head_office,
    legal_unit,
    luhn_siren,
    write_csv,
)


def _sirens(n: int) -> list[str]:
    return [luhn_siren(1000 + i) for i in range(n)]


def test_filters_report_what_each_removed(tmp_path: Path) -> None:
    """Each filter counts the units it removed, in order, and the rest is kept."""
    sid = _sirens(9)
    rows = [
        legal_unit(sid[0]),
        legal_unit(sid[1], etatAdministratifUniteLegale="C"),
        legal_unit(sid[2], activitePrincipaleUniteLegale="64.20Z"),
        legal_unit(sid[3], activitePrincipaleUniteLegale="01.11Z"),
        legal_unit(sid[4], categorieEntreprise="GE"),
        legal_unit(sid[5], categorieEntreprise=""),
        legal_unit(sid[6], activitePrincipaleUniteLegale="52.1A",
                   nomenclatureActivitePrincipaleUniteLegale="NAFRev1"),
        legal_unit(sid[7], trancheEffectifsUniteLegale="53", categorieEntreprise="ETI"),
        legal_unit(sid[8], activitePrincipaleUniteLegale=""),
    ]  # fmt: skip  # one record per line reads as a table
    frame = import_frame(write_csv(tmp_path / "ul.csv", UL_HEADER, rows))
    removed = {step.name: step.removed for step in frame.report.steps}
    assert removed == {
        "non_diffusible": 0,
        "active": 1,
        "naf_rev2": 1,
        "activity_code": 1,
        "excluded_naf": 2,
        "category": 2,
    }
    assert frame.report.rows_read == 9
    assert frame.report.bad_rows == 0
    assert frame.units["siren"].to_list() == sorted([sid[0], sid[7]])
    assert frame.report.kept == 2


def test_sector_and_size_band_follow_the_vocabulary(tmp_path: Path) -> None:
    """NAF codes map to the study's sectors and INSEE headcount codes to size bands."""
    cases = [
        ("10.71C", "NN", "agroalimentaire", "0-9"),
        ("25.62B", "03", "industrie", "0-9"),
        ("43.21A", "11", "construction", "10-19"),
        ("47.11F", "12", "commerce", "20-49"),
        ("49.41A", "21", "transport", "50-249"),
        ("55.10Z", "22", "tourisme_loisirs", "50-249"),
        ("93.29Z", "31", "tourisme_loisirs", "50-249"),  # INSEE 31 = 200-249 employees
        ("52.10A", "32", "transport", "250+"),
        ("70.22Z", "", "services", "0-9"),
    ]
    sid = _sirens(len(cases))
    rows = [
        legal_unit(s, activitePrincipaleUniteLegale=naf, trancheEffectifsUniteLegale=tr)
        for s, (naf, tr, _, _) in zip(sid, cases, strict=True)
    ]
    units = import_frame(write_csv(tmp_path / "ul.csv", UL_HEADER, rows)).units
    got = dict(
        zip(units["siren"], zip(units["sector"], units["size_band"], strict=True), strict=True)
    )
    assert [got[s] for s in sid] == [(sector, band) for _, _, sector, band in cases]


def test_bad_rows_are_set_aside_with_line_numbers(tmp_path: Path) -> None:
    """Checksum, code, quoting and field-count errors are counted and located; the rest imports."""
    sid = _sirens(6)
    rows = [
        legal_unit(sid[0]),
        legal_unit("123456780"),  # Luhn check digit of 12345678 is 2, not 0
        legal_unit(sid[1], trancheEffectifsUniteLegale="99"),
        legal_unit(sid[2], activitePrincipaleUniteLegale="00.00Z"),
        legal_unit(sid[3], denominationUniteLegale='DUPONT, FILS ET "CIE"'),
        legal_unit(sid[4], categorieEntreprise="XXL"),
    ]
    path = write_csv(tmp_path / "ul.csv", UL_HEADER, rows)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f'{sid[5]},"O,broken quote\n')  # line 8: quote never closed
        fh.write("1,2,3\n")  # line 9: too few fields
    report = import_frame(path).report
    assert dict(report.bad_rows_by_reason) == {
        "siren_checksum": 1,
        "unknown_headcount_code": 1,
        "unknown_naf_code": 1,
        "unknown_category": 1,
        "broken_quoting": 1,
        "wrong_field_count": 1,
    }
    assert report.bad_rows == 6
    assert report.rows_read == 8
    assert [(b.line, b.reason) for b in report.bad_row_sample] == [
        (3, "siren_checksum"),
        (4, "unknown_headcount_code"),
        (5, "unknown_naf_code"),
        (7, "unknown_category"),
        (8, "broken_quoting"),
        (9, "wrong_field_count"),
    ]
    assert report.kept == 2


def test_quoted_names_with_commas_survive(tmp_path: Path) -> None:
    """A quoted company name containing commas and quotes is read whole."""
    s = _sirens(1)[0]
    path = write_csv(
        tmp_path / "ul.csv", UL_HEADER, [legal_unit(s, denominationUniteLegale='A, "B" & C')]
    )
    assert import_frame(path).units["name"].to_list() == ['A, "B" & C']


def test_head_office_address_and_region(tmp_path: Path) -> None:
    """The establishments file adds the head office address (siren + nic) and the region."""
    sid = _sirens(2)
    ul = write_csv(tmp_path / "ul.csv", UL_HEADER, [legal_unit(x) for x in sid])
    et = write_csv(
        tmp_path / "et.csv",
        ET_HEADER,
        [
            head_office(sid[0], "00099", etablissementSiege="false",
                        codePostalEtablissement="75001"),
            head_office(sid[0]),
            head_office(sid[1], codeCommuneEtablissement="2A004", codePostalEtablissement="20000",
                        libelleCommuneEtablissement="AJACCIO"),
        ],
    )  # fmt: skip  # arguments grouped by meaning, one group a line
    frame = import_frame(ul, establishments=et)
    units = frame.units.sort("siren")
    assert units["postcode"].to_list() == ["69002", "20000"]
    assert units["street"].to_list()[0] == "12 RUE DE LA REPUBLIQUE"
    assert units["region"].to_list() == ["84", "94"]
    assert frame.report.addresses_found == 2


def test_turnover_filter_with_financial_data(tmp_path: Path) -> None:
    """With financial data, units outside 2 M€-1.5 bn€ or without a turnover are removed."""
    sid = _sirens(4)
    ul = write_csv(tmp_path / "ul.csv", UL_HEADER, [legal_unit(x) for x in sid])
    fin = tmp_path / "fin.csv"
    fin.write_text(f'siren,turnover\n{sid[0]},1500000\n{sid[1]},"2500000,50"\n{sid[2]},2e9\n')
    frame = import_frame(ul, financials=fin)
    removed = {st.name: st.removed for st in frame.report.steps}
    assert removed["turnover_missing"] == 1
    assert removed["turnover_range"] == 2
    assert frame.units["turnover"].to_list() == [2_500_000.5]


def test_parquet_and_csv_give_the_same_frame(tmp_path: Path) -> None:
    """A Parquet copy of the stock imports to the same units as the CSV."""
    rows = [legal_unit(x, trancheEffectifsUniteLegale="21") for x in _sirens(5)]
    csv_path = write_csv(tmp_path / "ul.csv", UL_HEADER, rows)
    parquet = tmp_path / "ul.parquet"
    pl.read_csv(csv_path, infer_schema=False).write_parquet(parquet)
    assert import_frame(parquet).units.equals(import_frame(csv_path).units)


def test_size_band_and_headcount_filters(tmp_path: Path) -> None:
    """Size band and INSEE headcount code filters keep only the listed bands."""
    codes = ["01", "11", "12", "21", "32"]
    rows = [
        legal_unit(x, trancheEffectifsUniteLegale=c) for x, c in zip(_sirens(5), codes, strict=True)
    ]
    path = write_csv(tmp_path / "ul.csv", UL_HEADER, rows)
    by_band = import_frame(path, filters=FrameFilters(size_bands=("10-19", "20-49")))
    assert sorted(by_band.units["headcount_code"]) == ["11", "12"]
    by_code = import_frame(path, filters=FrameFilters(headcount_codes=("21",), categories=None))
    assert by_code.units["headcount_code"].to_list() == ["21"]
    assert {s.name: s.removed for s in by_code.report.steps}["headcount_code"] == 4


def test_missing_columns_are_a_clear_error(tmp_path: Path) -> None:
    """A file without the SIRENE columns raises FrameSourceError naming them."""
    path = tmp_path / "x.csv"
    path.write_text("siren,foo\n123,4\n")
    with pytest.raises(FrameSourceError, match="etatAdministratifUniteLegale"):
        import_frame(path)


def test_clean_file_with_an_extra_field_takes_the_fast_path(tmp_path: Path) -> None:
    """Without quoting problems, a line with too many fields is still set aside and located."""
    sid = _sirens(3)
    path = write_csv(tmp_path / "ul.csv", UL_HEADER, [legal_unit(x) for x in sid])
    with path.open("a", encoding="utf-8") as fh:
        fh.write(",".join([luhn_siren(77), *["X"] * len(UL_HEADER)]) + "\n")  # line 5
    report = import_frame(path).report
    assert [(b.line, b.reason) for b in report.bad_row_sample] == [(5, "wrong_field_count")]
    assert report.kept == 3
