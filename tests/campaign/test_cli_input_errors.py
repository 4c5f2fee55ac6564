"""CLI input errors are located and clean: exit code 1, a message naming the file (and line),
no traceback (issue 15, finding 8)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from barometre.cli import app
from barometre.store import open_store
from barometre.synth.sirene import write_sirene_stock

runner = CliRunner()


def _fails(args: list[str], *expected: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, (text, result.output)
    return result.output


@pytest.fixture
def frame_file(tmp_path: Path) -> Path:
    """A real frame (Parquet) built by `campaign frame` from a small synthetic SIRENE stock."""
    files = write_sirene_stock(tmp_path / "sirene", 400, seed=3)
    out = tmp_path / "frame.parquet"
    result = runner.invoke(app, ["campaign", "frame", str(files.unites_legales), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_empty_or_csv_file_given_as_parquet_frame(tmp_path: Path, frame_file: Path) -> None:
    """`wave weight --frame` and `campaign sample` name an empty or CSV "Parquet" file."""
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    with open_store(url) as store:
        store.create_wave("2026", "bpi2018")
    empty = tmp_path / "empty.parquet"
    empty.write_bytes(b"")
    as_csv = tmp_path / "frame-as.parquet"
    pl.read_parquet(frame_file).write_csv(as_csv)
    _fails(
        ["wave", "weight", "--wave", "2026", "--frame", str(empty), "--url", url],
        str(empty),
        "empty",
    )
    _fails(
        ["wave", "weight", "--wave", "2026", "--frame", str(as_csv), "--url", url],
        str(as_csv),
        "CSV",
    )
    for bad in (empty, as_csv):
        _fails(
            ["campaign", "sample", str(bad), "--n", "20", "--wave", "w", "--url", url],
            str(bad),
            "not a Parquet file",
        )


def test_min_cell_must_be_positive(tmp_path: Path) -> None:
    """`wave weight --min-cell -3` is refused before anything is read."""
    frame = tmp_path / "f.parquet"
    _fails(
        [
            "wave",
            "weight",
            "--wave",
            "x",
            "--frame",
            str(frame),
            "--min-cell",
            "-3",
            "--url",
            f"sqlite:///{tmp_path / 'x.sqlite'}",
        ],
        "--min-cell",
        "-3",
    )


def test_latin1_or_empty_contacts_file(tmp_path: Path, frame_file: Path) -> None:
    """A latin-1 contacts file is reported with its line; an empty one is refused; no wave is
    left behind; unknown columns and SIRENs are reported, not dropped silently."""
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    sirens = pl.read_parquet(frame_file)["siren"].to_list()
    latin = tmp_path / "contacts-latin1.csv"
    latin.write_bytes(
        (
            "siren,email,person_name\n"
            + f"{sirens[0]},a@b.example,Ana\n"
            + f"{sirens[1]},c@d.example,Hélène\n"
        ).encode("latin-1")
    )
    _fails(
        [
            "campaign",
            "sample",
            str(frame_file),
            "--n",
            "20",
            "--wave",
            "w1",
            "--url",
            url,
            "--contacts",
            str(latin),
        ],
        str(latin),
        "line 3",
        "UTF-8",
    )
    empty = tmp_path / "contacts-empty.csv"
    empty.write_text("", encoding="utf-8")
    _fails(
        [
            "campaign",
            "sample",
            str(frame_file),
            "--n",
            "20",
            "--wave",
            "w1",
            "--url",
            url,
            "--contacts",
            str(empty),
        ],
        str(empty),
        "empty",
    )
    with open_store(url) as store:
        assert store.waves() == ()
    extra = tmp_path / "contacts.csv"
    extra.write_text(
        f"siren,email,phone\n{sirens[0]},a@b.example,0102030405\n999999999,x@y.example,0\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "campaign",
            "sample",
            str(frame_file),
            "--n",
            "20",
            "--wave",
            "w1",
            "--url",
            url,
            "--contacts",
            str(extra),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "phone" in result.output and "999999999" in result.output


def test_non_utf8_byte_on_line_12_of_a_registry_file(tmp_path: Path) -> None:
    """A registry CSV with a latin-1 byte on line 12 is reported as line 12, not the header."""
    files = write_sirene_stock(tmp_path / "sirene", 50, seed=4)
    lines = files.unites_legales.read_bytes().split(b"\n")
    lines[11] = lines[11] + b"\xe9"
    files.unites_legales.write_bytes(b"\n".join(lines))
    out = _fails(
        ["campaign", "frame", str(files.unites_legales), "--out", str(tmp_path / "f.parquet")],
        "line 12",
        "UTF-8",
    )
    assert "header" not in out


def test_non_utf8_paper_file(tmp_path: Path) -> None:
    """A paper-returns CSV saved as latin-1 is reported with its file and line."""
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    with open_store(url) as store:
        store.create_wave("w2026", "bpi2018")
    paper = tmp_path / "paper.csv"
    paper.write_bytes("case_id,comment\n1-000001,très bien\n".encode("latin-1"))
    _fails(
        ["campaign", "paper", str(paper), "--wave", "w2026", "--url", url],
        str(paper),
        "line 2",
        "UTF-8",
    )
