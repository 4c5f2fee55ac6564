"""Replicated waves on a small synthetic population (seeded, a few seconds)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from barometre.cli import app
from barometre.simulation import coverage_study, simulated_population, trend_study
from barometre.simulation.coverage import reader_note
from barometre.simulation.population import INDICATOR_IDS, SimulatedPopulation, next_wave


@pytest.fixture(scope="module")
def pop() -> SimulatedPopulation:
    return simulated_population(12_000, seed=3)


def test_coverage_study_runs_and_weights_every_wave(pop: SimulatedPopulation) -> None:
    """Full response, 6 waves: no weighting failure, every indicator summarised, intervals
    that cover on average (seeded: the figures are fixed)."""
    study = coverage_study(pop, sample_size=3_000, replicates=6, nonresponse="none", seed=2)
    assert study.failures == 0 and study.mean_respondents == 3_000
    assert [r.indicator for r in study.rows] == list(INDICATOR_IDS)
    mean_coverage = sum(r.coverage for r in study.rows) / len(study.rows)
    assert mean_coverage >= 0.8
    assert all(0.3 < r.se_ratio < 3 for r in study.rows)


def test_unobserved_non_response_is_said_in_words(pop: SimulatedPopulation) -> None:
    """A study whose coverage falls short gets a reader's note naming the cause."""
    study = coverage_study(pop, sample_size=3_000, replicates=3, nonresponse="mixed", seed=4)
    short = [r for r in study.rows if r.coverage < 0.93]
    note = reader_note(study, "fr")
    assert (note != "") == bool(short)
    if short:
        assert "réseaux sociaux" in note and "\u00a0%" in note


def test_panel_covariance_lowers_the_se_of_changes(pop: SimulatedPopulation) -> None:
    """In a panel, the SE with the overlap covariance is below the independent-samples SE."""
    later = next_wave(pop, seed=8, persistence=0.7)
    study = trend_study(pop, pairs=3, sample_size=2_000, coordination="panel",
                        nonresponse="none", second=later, seed=5)  # fmt: skip
    assert study.overlap == 1.0
    for name in INDICATOR_IDS:
        assert study.se_ratio[name] < study.se_ratio_independent[name]


def test_simulate_coverage_command() -> None:
    """`barometre simulate coverage` prints the table and the fallback counts."""
    result = CliRunner().invoke(
        app,
        ["simulate", "coverage", "--replicates", "2", "--population", "6000", "--n", "1500",
         "--nonresponse", "none"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "presence" in result.output and "weighting failures: 0" in result.output


def test_simulate_refuses_an_unknown_mode() -> None:
    """An unknown non-response mode is refused with the known ones."""
    result = CliRunner().invoke(app, ["simulate", "coverage", "--nonresponse", "often"])
    assert result.exit_code == 1 and "registry" in result.output
