"""`barometre stats` commands on a wave file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from barometre.cli import app


def test_estimate_writes_table(survey: pl.DataFrame, tmp_path: Path) -> None:
    """`stats estimate` writes one row per level and domain with CIs."""
    src, out = tmp_path / "wave.parquet", tmp_path / "est.csv"
    survey.write_parquet(src)
    result = CliRunner().invoke(
        app,
        [
            "stats",
            "estimate",
            str(src),
            "--weights",
            "w",
            "--strata",
            "stratum",
            "--proportion",
            "activity",
            "--mean",
            "spend",
            "--by",
            "size",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pl.read_csv(out)
    assert table.height == (3 + 1) * (1 + 3)
    assert (table["ci_low"] <= table["estimate"]).all()


def test_weights_and_clean_error(survey: pl.DataFrame, tmp_path: Path) -> None:
    """`stats weights` prints diagnostics; a bad weight column is a clean error."""
    src = tmp_path / "wave.csv"
    survey.write_csv(src)
    ok = CliRunner().invoke(app, ["stats", "weights", str(src), "--weights", "w"])
    assert ok.exit_code == 0 and "Kish deff" in ok.output
    bad = CliRunner().invoke(app, ["stats", "weights", str(src), "--weights", "nope"])
    assert bad.exit_code == 1 and "'nope'" in bad.output
