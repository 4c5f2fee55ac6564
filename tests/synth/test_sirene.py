"""The synthetic SIRENE stock: INSEE's columns, valid identifiers, reproducible, streamable."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from barometre.synth import mixes
from barometre.synth.frame import BLOCK_SIZE, draw_units
from barometre.synth.identifiers import (
    is_valid_siren,
    is_valid_siret,
    luhn_check_digits,
    nics_for,
    sirens_for,
)
from barometre.synth.sirene import (
    ETABLISSEMENT_COLUMNS,
    UNITE_LEGALE_COLUMNS,
    write_sirene_stock,
)


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def stock(tmp_path_factory: pytest.TempPathFactory):
    return write_sirene_stock(tmp_path_factory.mktemp("stock"), 20_000, seed=11)


def test_known_sirens_pass_luhn() -> None:
    """Real SIREN/SIRET numbers published by INSEE pass; a changed digit fails."""
    assert is_valid_siren("552032534")  # Danone SA, a public example
    assert is_valid_siren("732829320")
    assert not is_valid_siren("552032535")
    assert not is_valid_siren("55203253")
    siret = f"552032534{nics_for(np.array([552032534]), np.array([1]))[0]:05d}"
    assert is_valid_siret(siret)
    assert not is_valid_siret(siret[:-1] + str((int(siret[-1]) + 1) % 10))
    assert luhn_check_digits(np.array([55203253]), 8)[0] == 4


def test_sirens_are_distinct_and_valid() -> None:
    """The first 200,000 unit numbers map to 200,000 distinct valid SIRENs."""
    sirens = sirens_for(np.arange(200_000))
    assert len(np.unique(sirens)) == 200_000
    text = [f"{s:09d}" for s in sirens[:5000]]
    assert all(is_valid_siren(s) for s in text)


def test_unite_legale_columns_are_insee_layout(stock) -> None:
    """The legal-unit header is INSEE's, in INSEE's order, and every row has 35 fields."""
    with stock.unites_legales.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == UNITE_LEGALE_COLUMNS
    assert rows[0][:4] == [
        "siren",
        "statutDiffusionUniteLegale",
        "unitePurgeeUniteLegale",
        "dateCreationUniteLegale",
    ]
    assert "trancheEffectifsUniteLegale" in rows[0]
    assert len(UNITE_LEGALE_COLUMNS) == 35
    assert all(len(r) == 35 for r in rows)
    assert len(rows) == 20_001


def test_etablissement_columns_and_head_offices(stock) -> None:
    """Establishments use INSEE's 54 columns; each unit has exactly one head office."""
    ul = _read(stock.unites_legales)
    et = _read(stock.etablissements)
    assert tuple(et.columns) == ETABLISSEMENT_COLUMNS
    heads = et.filter(pl.col("etablissementSiege") == "true")
    assert heads.height == ul.height
    joined = ul.join(heads, left_on=["siren", "nicSiegeUniteLegale"], right_on=["siren", "nic"])
    assert joined.height == ul.height
    assert et.height > ul.height  # some firms have secondary establishments
    assert all(is_valid_siret(s) for s in et["siret"].head(3000).to_list())
    assert et["codePostalEtablissement"].str.len_chars().eq(5).all()


def test_codes_are_valid(stock) -> None:
    """SIRENs pass Luhn; NAF, headcount, category and state codes are INSEE codes."""
    ul = _read(stock.unites_legales)
    assert all(is_valid_siren(s) for s in ul["siren"].to_list())
    assert ul["siren"].n_unique() == ul.height
    assert ul["activitePrincipaleUniteLegale"].str.contains(r"^\d{2}\.\d{2}[A-Z]$").all()
    known_tranches = {c for table in mixes.TRANCHES_BY_BAND.values() for c, _ in table}
    assert set(ul["trancheEffectifsUniteLegale"].unique()) <= known_tranches
    assert set(ul["categorieEntreprise"].unique()) <= {"PME", "ETI", "GE"}
    assert set(ul["etatAdministratifUniteLegale"].unique()) == {"A", "C"}
    assert set(ul["nomenclatureActivitePrincipaleUniteLegale"].unique()) == {"NAFRev2"}


def test_out_of_scope_units_present(stock) -> None:
    """The stock holds holdings, agriculture, ceased and small-turnover units to filter."""
    ul = _read(stock.unites_legales)
    fin = _read(stock.financials).with_columns(pl.col("turnover").cast(pl.Int64))
    naf = ul["activitePrincipaleUniteLegale"]
    assert (naf == "64.20Z").sum() > 100
    assert naf.str.starts_with("01.").sum() > 50
    assert (ul["etatAdministratifUniteLegale"] == "C").mean() == pytest.approx(0.08, abs=0.01)
    assert (fin["turnover"] < 2_000_000).sum() > 1000
    assert fin.height < ul.height  # some units filed no accounts
    in_range = fin.filter(pl.col("turnover").is_between(2_000_000, 1_500_000_000)).height
    assert in_range / ul.height == pytest.approx(0.86, abs=0.03)


def test_reproducible_with_seed(tmp_path: Path) -> None:
    """The same seed writes byte-identical files; another seed writes different ones."""
    a = write_sirene_stock(tmp_path / "a", 3000, seed=5)
    b = write_sirene_stock(tmp_path / "b", 3000, seed=5)
    c = write_sirene_stock(tmp_path / "c", 3000, seed=6)
    for name in ("unites_legales", "etablissements", "financials"):
        assert _digest(getattr(a, name)) == _digest(getattr(b, name))
    assert _digest(a.unites_legales) != _digest(c.unites_legales)


def test_units_do_not_depend_on_stock_length(tmp_path: Path) -> None:
    """A longer stock starts with exactly the rows of a shorter one (same seed)."""
    short = write_sirene_stock(tmp_path / "s", 1000, seed=3, with_establishments=False)
    long = write_sirene_stock(tmp_path / "l", BLOCK_SIZE + 10, seed=3, with_establishments=False)
    s_lines = short.unites_legales.read_text().splitlines()
    l_lines = long.unites_legales.read_text().splitlines()
    assert l_lines[: len(s_lines)] == s_lines
    assert long.n_units == BLOCK_SIZE + 10
    assert len(l_lines) == BLOCK_SIZE + 11


def test_bad_rows_are_injected_where_reported(tmp_path: Path) -> None:
    """Each injected bad row sits at its reported line and is broken as its kind says."""
    files = write_sirene_stock(tmp_path, 5000, seed=2, bad_rows=9)
    lines = files.unites_legales.read_text(encoding="utf-8").splitlines()
    assert len(files.bad_rows) == 9
    assert {b.kind for b in files.bad_rows} == {"checksum", "unknown_code", "quoting"}
    for bad in files.bad_rows:
        line = lines[bad.line - 1]
        assert line.startswith(bad.siren + ",")
        if bad.kind == "checksum":
            assert not is_valid_siren(bad.siren)
        elif bad.kind == "unknown_code":
            fields = next(csv.reader([line]))
            assert fields[13] == "XX" or fields[28] == "99.99X" or fields[20] == "X", line
        else:
            assert '"SOCIETE "LES QUOTES" MAL FERMEES' in line
    clean = {i for i in range(2, 5002)} - {b.line for b in files.bad_rows}
    assert all(is_valid_siren(lines[i - 1][:9]) for i in clean)


def test_draw_units_scope_mix_override() -> None:
    """A scope mix of in-scope units only gives active firms in the study's scope."""
    units = draw_units(1, 0, 5000, {"in_scope": 1.0})
    assert (units["scope"] == "in_scope").all()
    assert (units["state"] == "A").all()
    assert units["turnover"].is_between(2e6, 1.5e9).all()
    assert units["sector"].is_not_null().all()


def test_unknown_scope_class_is_refused() -> None:
    """An unknown scope class name raises a ValueError naming it."""
    with pytest.raises(ValueError, match="bogus"):
        draw_units(1, 0, 10, {"bogus": 1.0})
