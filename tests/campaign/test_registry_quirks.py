"""The real registry's quirks on INSEE's exact headers: [ND], CEDEX, "" fields, zip, encoding."""

from __future__ import annotations

import csv
import subprocess
import zipfile
from pathlib import Path

import polars as pl
import pytest

from barometre.campaign.frame import FrameSourceError, import_frame
from barometre.campaign.letters import LetterStudy
from barometre.campaign.sampling import SampleDesign, draw_sample
from barometre.campaign.storage import (
    Links,
    issue_wave_codes,
    plan_wave_invitations,
    print_wave_letters,
    store_frame_and_sample,
)
from barometre.store import open_store

from .sirene_files import ET_HEADER, UL_HEADER, head_office, legal_unit, luhn_siren, write_csv

ND = "[ND]"
STUDY = LetterStudy(
    sender_lines=("Observatoire",), city="Lyon", signatory_name="Claire Martin",
    signatory_title="", entry_url="https://barometre.example.fr",
)  # fmt: skip


def _registry(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """Six units: two non-diffusible ([ND] fields), one at a CEDEX address with a BP."""
    sirens = [luhn_siren(3100 + i) for i in range(6)]
    units = [legal_unit(x) for x in sirens]
    for i in (1, 4):  # non-diffusible, as INSEE publishes them
        units[i].update(
            statutDiffusionUniteLegale="P", denominationUniteLegale=ND, nomUniteLegale=ND,
            prenomUsuelUniteLegale=ND, prenom1UniteLegale=ND,
        )  # fmt: skip
    offices = [head_office(x) for x in sirens]
    for i in (1, 4):
        offices[i].update(
            statutDiffusionEtablissement="P", numeroVoieEtablissement=ND,
            typeVoieEtablissement=ND, libelleVoieEtablissement=ND,
        )  # fmt: skip
    offices[2].update(
        distributionSpecialeEtablissement="BP 123", codeCedexEtablissement="69421",
        libelleCedexEtablissement="LYON CEDEX 03",
    )  # fmt: skip
    ul = write_csv(tmp_path / "StockUniteLegale_utf8.csv", UL_HEADER, units)
    et = write_csv(tmp_path / "StockEtablissement_utf8.csv", ET_HEADER, offices)
    return ul, et, sirens


def test_non_diffusible_units_never_reach_a_letter_or_an_email(tmp_path: Path) -> None:
    """P units leave the frame, counted in the report; no letter or e-mail shows [ND]."""
    ul, et, sirens = _registry(tmp_path)
    frame = import_frame(ul, establishments=et)
    assert frame.report.bad_rows == 0
    removed = {st.name: st.removed for st in frame.report.steps}
    assert removed["non_diffusible"] == 2
    assert any("non-diffusible" in line and line.endswith(": 2") for line in frame.report.lines())
    assert sorted(frame.units["siren"]) == sorted(
        x for i, x in enumerate(sirens) if i not in (1, 4)
    )
    assert (
        not frame.units.select(pl.any_horizontal(pl.all().cast(pl.String) == ND)).to_series().any()
    )

    db = f"sqlite:///{tmp_path / 'nd.sqlite'}"
    with open_store(db) as store:
        wave_id = store.create_wave("2026", "bpi2018").id
        sample = draw_sample(frame.units, SampleDesign(n=frame.units.height, seed=1))
        contacts = frame.units.select("siren", email=pl.format("d{}@pme.example", "siren"))
        store_frame_and_sample(store, wave_id, frame.units, sample, contacts)
        codes = {c.case_id: c for c in issue_wave_codes(store, wave_id)}
        pdf = tmp_path / "letters.pdf"
        batch = print_wave_letters(store, wave_id, codes, STUDY, Links(), pdf)
        plan = plan_wave_invitations(store, wave_id, codes, Links())
    assert batch.pages == 4 and len(plan.messages) == 4
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert ND not in text
    assert "69421 LYON CEDEX 03" in text and "BP 123" in text


def test_cedex_line_is_the_postal_line(tmp_path: Path) -> None:
    """A CEDEX head office keeps its CEDEX code and label as the postal line."""
    ul, et, sirens = _registry(tmp_path)
    units = import_frame(ul, establishments=et).units
    row = units.filter(pl.col("siren") == sirens[2]).row(0, named=True)
    assert (row["postcode"], row["city"], row["special_delivery"]) == (
        "69421", "LYON CEDEX 03", "BP 123",
    )  # fmt: skip
    plain = units.filter(pl.col("siren") == sirens[0]).row(0, named=True)
    assert (plain["postcode"], plain["city"]) == ("69002", "LYON")


def test_fully_quoted_file_reads_empty_quotes_as_missing(tmp_path: Path) -> None:
    """Every field quoted, "" for empty: no row is set aside, the same frame as unquoted."""
    ul, _, _ = _registry(tmp_path)
    with ul.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["categorieEntreprise"] = "" if row["siren"].endswith(("0", "5")) else "PME"
    quoted = tmp_path / "quoted.csv"
    with quoted.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, UL_HEADER, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert '""' in quoted.read_text(encoding="utf-8")
    plain = write_csv(tmp_path / "plain.csv", UL_HEADER, rows)
    from_quoted = import_frame(quoted)
    assert from_quoted.report.bad_rows == 0, from_quoted.report.lines()
    assert from_quoted.units.equals(import_frame(plain).units)


def test_zipped_stock_files_are_read_directly(tmp_path: Path) -> None:
    """INSEE's StockUniteLegale_utf8.zip and StockEtablissement_utf8.zip give the same frame."""
    ul, et, _ = _registry(tmp_path)
    zipped = []
    for path in (ul, et):
        archive = tmp_path / f"{path.stem}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(path, path.name)
        zipped.append(archive)
    direct = import_frame(ul, establishments=et)
    from_zip = import_frame(zipped[0], establishments=zipped[1])
    assert from_zip.units.equals(direct.units)
    assert from_zip.report.kept == direct.report.kept == 4


def test_non_utf8_file_gets_a_hint_with_file_and_line(tmp_path: Path) -> None:
    """A Windows-1252 stock is refused, naming the file, the line and how to convert it."""
    ul, _, _ = _registry(tmp_path)
    text = ul.read_text(encoding="utf-8").splitlines()
    text[4] = text[4].replace("SOCIETE", "SOCIÉTÉ")
    latin = tmp_path / "StockUniteLegale.csv"
    latin.write_bytes(("\n".join(text) + "\n").encode("cp1252"))
    with pytest.raises(FrameSourceError, match=r"StockUniteLegale\.csv, line 5: not UTF-8.*iconv"):
        import_frame(latin)
    archive = tmp_path / "stock.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(latin, "StockUniteLegale.csv")
    with pytest.raises(FrameSourceError, match=r"stock\.zip \(StockUniteLegale\.csv\), line 5"):
        import_frame(archive)
