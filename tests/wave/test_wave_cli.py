"""`barometre wave`: lists stored waves, and names an unknown wave instead of a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from barometre.cli import app
from barometre.store import open_store


def test_wave_list_and_unknown_wave(tmp_path: Path) -> None:
    """`wave list` shows a stored wave; `wave dataset` on an unknown one exits 1 naming it."""
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    store = open_store(url)
    store.create_wave("2026", "bpi2018")
    store.close()
    runner = CliRunner()
    listed = runner.invoke(app, ["wave", "list", "--url", url])
    assert listed.exit_code == 0 and "2026" in listed.output
    missing = runner.invoke(app, ["wave", "dataset", "--wave", "2031", "--url", url])
    assert missing.exit_code == 1
    assert "2031" in missing.output and "Traceback" not in missing.output
