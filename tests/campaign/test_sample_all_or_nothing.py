"""`campaign sample` is all or nothing: a failure leaves the store as it was (no empty draft
wave, no frame rows, no contacts), and what it ignores is counted (issue 15, finding 8)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from barometre.cli import app
from barometre.synth.sirene import write_sirene_stock

runner = CliRunner()
TABLES = ("waves", "frame_units", "contacts", "samples", "campaign_log")


def _counts(url: str) -> dict[str, int]:
    """Rows of each table the sample step writes, read straight from the database."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: int(conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one())
                for name in TABLES
            }
    finally:
        engine.dispose()


def _sample(frame: Path, url: str, wave: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["campaign", "sample", str(frame), "--n", "20", "--wave", wave, "--url", url, *extra]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def frame_file(tmp_path: Path) -> Path:
    """A real frame (Parquet) built by `campaign frame` from a small synthetic SIRENE stock."""
    files = write_sirene_stock(tmp_path / "sirene", 300, seed=5)
    out = tmp_path / "frame.parquet"
    result = runner.invoke(app, ["campaign", "frame", str(files.unites_legales), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def store_with_a_wave(database_url: str, frame_file: Path) -> str:
    """A store that already holds a sampled wave, so that 'unchanged' means something."""
    code, out = _sample(frame_file, database_url, "2025")
    assert code == 0, out
    return database_url


def test_a_too_long_email_fails_before_anything_is_stored(
    store_with_a_wave: str, frame_file: Path, tmp_path: Path
) -> None:
    """An e-mail longer than the store's 320 characters is located (file, line) and the
    store's rows are unchanged, on SQLite and on PostgreSQL (where it was a DataError)."""
    url = store_with_a_wave
    sirens = pl.read_parquet(frame_file)["siren"].to_list()
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        f"siren,email\n{sirens[0]},a@b.example\n{sirens[1]},{'x' * 330}@c.example\n",
        encoding="utf-8",
    )
    before = _counts(url)
    code, out = _sample(frame_file, url, "2026", "--contacts", str(contacts))
    assert code == 1, out
    assert str(contacts) in out and "line 3" in out and "320" in out
    assert _counts(url) == before


def test_a_failure_in_the_store_leaves_no_draft_wave(
    store_with_a_wave: str, frame_file: Path, tmp_path: Path
) -> None:
    """A frame row the store refuses (a SIREN that is not 9 digits) fails the whole step:
    the new wave it had created is deleted, every table keeps its row count."""
    url = store_with_a_wave
    bad = tmp_path / "bad-frame.parquet"
    units = pl.read_parquet(frame_file)
    units.with_columns(
        pl.when(pl.int_range(pl.len()) == units.height - 1)
        .then(pl.lit("12345"))
        .otherwise(pl.col("siren"))
        .alias("siren")
    ).write_parquet(bad)
    before = _counts(url)
    code, out = _sample(bad, url, "2026")
    assert code == 1, out
    assert "SIREN must be 9 digits" in out and "'12345'" in out
    after = _counts(url)
    assert after == before, (before, after)


def test_ignored_columns_and_unknown_sirens_are_counted(
    store_with_a_wave: str, frame_file: Path, tmp_path: Path
) -> None:
    """Columns that are not stored and SIRENs not in the frame are named and counted;
    a SIREN given twice is reported with the line kept."""
    url = store_with_a_wave
    sirens = pl.read_parquet(frame_file)["siren"].to_list()
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "siren,email,phone,fax\n"
        f"{sirens[0]},a@b.example,01,02\n"
        "999999999,x@y.example,0,0\n"
        "888888888,z@y.example,0,0\n"
        f"{sirens[1]},old@d.example,0,0\n"
        f"{sirens[1]},new@d.example,0,0\n",
        encoding="utf-8",
    )
    code, out = _sample(frame_file, url, "2026", "--contacts", str(contacts))
    assert code == 0, out
    flat = " ".join(out.split())
    assert "column(s) ignored (not stored): phone, fax" in flat
    assert "2 SIREN(s) not in the frame, ignored: 999999999, 888888888" in flat
    assert f"1 SIREN(s) given more than once (the last line kept): {sirens[1]}" in flat
