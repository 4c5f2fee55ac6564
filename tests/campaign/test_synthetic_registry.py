"""`barometre campaign registry` writes INSEE-format files with [ND] units, CEDEX and contacts."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from barometre.campaign.frame import import_frame
from barometre.cli import app

from .sirene_files import ET_HEADER, UL_HEADER

runner = CliRunner()


def test_registry_command_writes_a_registry_the_frame_reads(tmp_path: Path) -> None:
    """INSEE's headers; some P units and CEDEX offices; the frame drops the P units only."""
    out = tmp_path / "registry"
    result = runner.invoke(app, ["campaign", "registry", str(out), "--units", "1500", "--seed", "4",
                                 "--non-diffusible", "0.05", "--cedex", "0.05"])  # fmt: skip
    assert result.exit_code == 0, result.output
    ul, et = out / "StockUniteLegale_utf8.csv", out / "StockEtablissement_utf8.csv"
    units = pl.read_csv(ul, infer_schema=False)
    offices = pl.read_csv(et, infer_schema=False)
    assert set(UL_HEADER) <= set(units.columns) and set(ET_HEADER) <= set(offices.columns)
    hidden = units.filter(pl.col("statutDiffusionUniteLegale") == "P")
    assert 40 <= hidden.height <= 110 and (hidden["denominationUniteLegale"] == "[ND]").all()
    cedex = offices.filter(pl.col("codeCedexEtablissement").is_not_null())
    assert cedex.height > 30 and cedex["libelleCedexEtablissement"].str.contains("CEDEX").all()
    contacts = pl.read_csv(out / "contacts.csv", infer_schema=False)
    assert contacts.columns == ["siren", "email", "person_name"]
    assert not contacts["siren"].is_in(hidden["siren"]).any()
    assert f"with {hidden.height} non-diffusible units" in " ".join(result.output.split())

    frame = import_frame(ul, establishments=et, financials=out / "financials.csv")
    assert {st.name: st.removed for st in frame.report.steps}["non_diffusible"] == hidden.height
    assert frame.report.bad_rows == 0
    assert frame.units["city"].str.contains("CEDEX").any()
    again = tmp_path / "again"
    runner.invoke(app, ["campaign", "registry", str(again), "--units", "1500", "--seed", "4",
                        "--non-diffusible", "0.05", "--cedex", "0.05"])  # fmt: skip
    assert (again / "StockUniteLegale_utf8.csv").read_bytes() == ul.read_bytes()
