"""`barometre report`: build, export and codebook from the command line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from barometre.cli import app


def test_report_build_writes_the_report(tmp_path: Path, wave: pl.DataFrame) -> None:
    """`barometre report build wave.parquet --no-pdf` writes the HTML, results.json and exports."""
    path = tmp_path / "wave.parquet"
    wave.write_parquet(path)
    out = tmp_path / "out"
    methodology = tmp_path / "methodology.yaml"
    methodology.write_text(
        "frame: Entreprises de 2 M€ à 1,5 Md€ de chiffre d'affaires\nframe_size: 140000\n"
        "response_rates: {RR1: 0.055}\nfieldwork_start: 2026-03-01\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        ["report", "build", str(path), "--out", str(out), "--no-pdf", "--name", "2026",
         "--methodology", str(methodology), "--lang", "en"],
    )  # fmt: skip  # an option and its value stay on one line
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "RR1" in html and "5.5%" in html and "140,000" in html
    assert (out / "results.json").is_file()
    assert (out / "exports" / "wave.sav").is_file()
    check = CliRunner().invoke(app, ["report", "check-results", str(out / "results.json")])
    assert check.exit_code == 0 and "600 respondents" in check.output


def test_report_export_and_codebook(tmp_path: Path, wave: pl.DataFrame) -> None:
    """`barometre report export` and `barometre report codebook` write their files."""
    path = tmp_path / "wave.csv"
    wave.write_csv(path)
    result = CliRunner().invoke(app, ["report", "export", str(path), "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "wave.dta").is_file()
    result = CliRunner().invoke(app, ["report", "codebook", "--out", str(tmp_path / "cb")])
    assert result.exit_code == 0, result.output
    assert "activity" in (tmp_path / "cb" / "codebook.md").read_text(encoding="utf-8")


def test_bad_wave_file_is_a_clean_error(tmp_path: Path) -> None:
    """A missing wave file exits with a message, not a traceback."""
    result = CliRunner().invoke(app, ["report", "build", str(tmp_path / "none.parquet")])
    assert result.exit_code != 0
    assert "no wave file" in result.output
