"""A wave the team runs itself through the CLI: closed, weighted, published, purged, a second."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from barometre.cli import app
from barometre.store import open_store
from barometre.synth.population import answer_sets
from barometre.synth.response import simulate_returns
from barometre.synth.writer import read_population, write_population

runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


# A chart of the small wave's report has an empty legend (report's area); not this test's point.
@pytest.mark.filterwarnings("ignore:No artists with labels found:UserWarning")
def test_team_run_wave_is_published_purged_and_followed_by_a_second(tmp_path: Path) -> None:
    """No demo.py: open, close, weight, report, publish, purge, archive, and wave 2027 opens."""
    population = write_population(tmp_path / "registry", 4000, 11)
    reg = population.registry
    db = f"sqlite:///{tmp_path / 'team.sqlite'}"
    frame = tmp_path / "frame.parquet"
    _ok("campaign", "frame", str(reg.unites_legales), "--establishments", str(reg.etablissements),
        "--financials", str(reg.financials), "--out", str(frame))  # fmt: skip
    _ok(
        "campaign",
        "sample",
        str(frame),
        "--n",
        "2400",
        "--wave",
        "2026",
        "--url",
        db,
        "--seed",
        "3",
    )
    _ok("campaign", "codes", "--wave", "2026", "--url", db, "--out", str(tmp_path / "codes.csv"))
    assert "draft -> open" in _ok("wave", "open", "--wave", "2026", "--url", db)
    with open_store(db) as store:
        wave_id = store.wave_by_name("2026").id
        cases = {c.siren: c.case_id for c in store.cases(wave_id)}
        returns = simulate_returns(pl.DataFrame({"siren": list(cases)}), read_population(
            population.directory), 5)  # fmt: skip
        for siren, answers in zip(returns["siren"], answer_sets(returns), strict=True):
            store.save_response(wave_id, cases[siren], answers, status="complete", source="paper")
    assert returns.height > 60

    refused = runner.invoke(app, ["gdpr", "purge", "2026", "--by", "dpo", "--url", db])
    assert refused.exit_code == 1 and "wave '2026' is open" in " ".join(refused.output.split())
    assert "open -> closed" in _ok("wave", "close", "--wave", "2026", "--url", db)
    _ok("wave", "weight", "--wave", "2026", "--frame", str(frame), "--url", db)
    report = tmp_path / "report-2026"
    _ok("wave", "report", "--wave", "2026", "--out", str(report), "--no-pdf", "--url", db)
    out = _ok("wave", "publish", "--wave", "2026", "--results", str(report / "results.json"),
              "--url", db)  # fmt: skip
    assert "2026" in out and "published" in out
    assert "contacts purged" in _ok("gdpr", "purge", "2026", "--by", "dpo", "--url", db)
    assert "published -> archived" in _ok("wave", "archive", "--wave", "2026", "--url", db)

    _ok(
        "campaign", "sample", str(frame), "--n", "300", "--wave", "2027", "--url", db, "--seed", "4"
    )
    _ok("campaign", "codes", "--wave", "2027", "--url", db, "--out", str(tmp_path / "codes-27.csv"))
    assert "draft -> open" in _ok("wave", "open", "--wave", "2027", "--url", db)
    with open_store(db) as store:
        statuses = {w.name: w.status for w in store.waves()}
    assert statuses == {"2026": "archived", "2027": "open"}
