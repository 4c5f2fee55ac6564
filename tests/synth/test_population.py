"""The synthetic population: its truth reproduces the 2018 figures and the study's patterns."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from barometre.questionnaire import load_builtin, validate
from barometre.synth import (
    ANSWER_COLUMNS,
    answer_sets,
    generate_population,
    population_truth,
    read_population,
    write_population,
)
from barometre.synth.calibration import (
    REFERENCE_SEED,
    calibration_pass,
    frozen_parameters,
    parameter_distance,
    reference_frame,
)
from barometre.synth.model import simulate
from barometre.synth.targets import ASSUMED, PUBLISHED, Target
from barometre.synth.truth import PopulationTruth

# A 200,000-firm population: sampling noise on a share is below 0.12 point (SE of a
# proportion, sqrt(.25 / 200000)), far inside the tolerances below.
N_UNITS = 200_000
PUBLISHED_TOLERANCE = 0.02  # 2 points on every published 2018 figure
ASSUMED_TOLERANCE = 0.015  # 1.5 points on the shares we chose where none was published
TYPOLOGY_TOLERANCE = 0.03  # the acceptance criterion: within 3 points


@pytest.fixture(scope="module")
def pop() -> pl.DataFrame:
    return generate_population(N_UNITS, seed=42)


@pytest.fixture(scope="module")
def truth(pop: pl.DataFrame) -> PopulationTruth:
    return population_truth(pop)


def _truth_of(truth: PopulationTruth, target: Target) -> float:
    if target.question == "present":
        return truth.share("present", "yes")
    return truth.share(target.question, target.code, target.base)


@pytest.mark.parametrize("target", PUBLISHED, ids=lambda t: f"{t.question}={t.code}")
def test_truth_matches_published_figure(truth: PopulationTruth, target: Target) -> None:
    """Each published 2018 figure is reproduced by the population truth within 2 points."""
    tolerance = TYPOLOGY_TOLERANCE if target.question == "typology" else PUBLISHED_TOLERANCE
    assert _truth_of(truth, target) == pytest.approx(target.share, abs=tolerance)


def test_truth_matches_assumed_shares(truth: PopulationTruth) -> None:
    """Every unpublished share the model assumes is hit within 1.5 points."""
    off = {
        f"{t.question}={t.code}": round(_truth_of(truth, t), 3)
        for t in ASSUMED
        if abs(_truth_of(truth, t) - t.share) > ASSUMED_TOLERANCE
    }
    assert not off


def test_typology_shares_sum_to_one(truth: PopulationTruth) -> None:
    """The four segments of the 2x2 typology partition the population."""
    segments = ("masse_silencieuse", "desinvoltes", "combatives", "pionnieres")
    assert sum(truth.share("typology", s) for s in segments) == pytest.approx(1.0)


def _active_rate(pop: pl.DataFrame, by: str) -> dict[str, float]:
    rates = pop.group_by(by).agg(pl.col("activity").is_in(["active", "tres_active"]).mean())
    return dict(rates.iter_rows())


def test_firms_of_10_to_19_least_active(pop: pl.DataFrame) -> None:
    """The 10-19 employee band has the lowest share of active firms, by 3 points at least."""
    rates = _active_rate(pop, "size_band")
    others = [v for k, v in rates.items() if k != "10-19"]
    assert rates["10-19"] < min(others) - 0.03
    assert rates["20-49"] > rates["10-19"] and rates["50-249"] > rates["20-49"]


def test_services_commerce_tourism_more_active(pop: pl.DataFrame) -> None:
    """Every one of services, commerce, tourism beats every one of industry, construction,
    agri-food on the share of active firms."""
    rates = _active_rate(pop, "sector")
    high = [rates[s] for s in ("services", "commerce", "tourisme_loisirs")]
    low = [rates[s] for s in ("industrie", "construction", "agroalimentaire")]
    assert min(high) > max(low) + 0.05


def test_b2c_more_active(pop: pl.DataFrame) -> None:
    """B2C firms are more active than B2B ones, mixed ones in between."""
    rates = _active_rate(pop, "market")
    assert rates["b2c"] > rates["both"] > rates["b2b"] + 0.03


def _drivers(pop: pl.DataFrame) -> dict[str, float]:
    """Linear-probability coefficients of being active on the profile (all jointly)."""
    y = pop["activity"].is_in(["active", "tres_active"]).cast(pl.Float64).to_numpy()
    columns = {
        "leader_active": pop["leader_activity"].is_in(["active", "tres_active"]),
        "staff_trained": pop["staff_trained"] == "yes",
        "marketing_team": pop["marketing_team"] == "yes",
        "employees_under_40": pop["employee_age"] == "under_40",
        "b2c": pop["market"] == "b2c",
        "both": pop["market"] == "both",
    }
    for sector in (
        "agroalimentaire",
        "construction",
        "commerce",
        "transport",
        "tourisme_loisirs",
        "services",
    ):
        columns[f"sector_{sector}"] = pop["sector"] == sector
    for band in ("0-9", "10-19", "50-249", "250+"):
        columns[f"size_{band}"] = pop["size_band"] == band
    for age in ("under_40", "40_49", "60_plus"):
        columns[f"leader_age_{age}"] = pop["leader_age"] == age
    x = np.column_stack(
        [np.ones(pop.height)] + [c.cast(pl.Float64).to_numpy() for c in columns.values()]
    )
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    return dict(zip(columns, beta[1:], strict=True))


def test_leader_appetite_strongest_driver(pop: pl.DataFrame) -> None:
    """Net of the rest, the leader's own activity moves activity most (ahead of any sector),
    then trained staff, then a marketing team; staff under 40 adds a little."""
    b = _drivers(pop)
    sector_effects = [v for k, v in b.items() if k.startswith("sector_")]
    spread = max(0.0, *sector_effects) - min(0.0, *sector_effects)
    assert b["leader_active"] > b["staff_trained"] > b["marketing_team"] > 0.05
    assert b["leader_active"] > spread
    assert b["employees_under_40"] > 0.02


def test_leader_age_has_no_effect(pop: pl.DataFrame) -> None:
    """The leader's age changes the active share by under 1 point, raw or net."""
    b = _drivers(pop)
    assert all(abs(b[f"leader_age_{a}"]) < 0.01 for a in ("under_40", "40_49", "60_plus"))
    rates = _active_rate(pop, "leader_age")
    assert max(rates.values()) - min(rates.values()) < 0.01


def test_answers_validate_against_questionnaire(pop: pl.DataFrame) -> None:
    """Every answer set of 3,000 firms passes the 2018 questionnaire's validation."""
    questionnaire = load_builtin("bpi2018")
    problems = [
        (i, validate(questionnaire, answers))
        for i, answers in enumerate(answer_sets(pop.head(3000)))
        if validate(questionnaire, answers)
    ]
    assert problems == []


def test_skip_logic_of_absent_firms(pop: pl.DataFrame) -> None:
    """Firms with no account have null managed_by/actions/objectives; present firms have
    at least one network, and exactly one 'who runs it' answer when nobody does."""
    absent = pop.filter(pl.col("present") == "no")
    present = pop.filter(pl.col("present") == "yes")
    skipped = [
        c for c in ANSWER_COLUMNS if c.split("__")[0] in ("managed_by", "actions", "objectives")
    ]
    assert all(absent[c].null_count() == absent.height for c in skipped)
    assert all(present[c].null_count() == 0 for c in skipped)
    assert (absent["activity"] == "inactive").all()
    nets = [f"net_{n}" for n in ("facebook", "linkedin", "twitter", "youtube", "instagram")]
    assert present.select(pl.any_horizontal(pl.col(nets) == "yes")).to_series().all()
    nobody = present.filter(pl.col("managed_by__nobody") == 1)
    others = [f"managed_by__{c}" for c in ("leader", "marketing_team", "employee", "agency")]
    assert nobody.select(pl.sum_horizontal(others)).to_series().eq(0).all()


def test_wave_dataset_types(pop: pl.DataFrame) -> None:
    """Answer columns follow the wave format: text codes, Int8 multi-codes, Float64 headcount."""
    assert pop["activity"].dtype == pl.Utf8
    assert pop["obstacles__lack_time"].dtype == pl.Int8
    assert pop["headcount"].dtype == pl.Float64
    assert set(pop["present"].unique()) == {"yes", "no"}


def test_population_is_reproducible() -> None:
    """The same seed gives the same population; another seed another one."""
    a = generate_population(5000, seed=9)
    b = generate_population(5000, seed=9)
    c = generate_population(5000, seed=10)
    assert a.equals(b)
    assert not a.select(ANSWER_COLUMNS).equals(c.select(ANSWER_COLUMNS))


def test_truth_round_trips_through_json(truth: PopulationTruth, tmp_path: Path) -> None:
    """A truth saved as JSON reads back equal."""
    path = truth.write_json(tmp_path / "truth.json")
    assert PopulationTruth.read_json(path) == truth


def test_truth_unknown_indicator_raises(truth: PopulationTruth) -> None:
    """Asking for an indicator that does not exist raises KeyError naming it."""
    with pytest.raises(KeyError, match="nope"):
        truth.share("activity", "nope")


def test_write_population_saves_truth_beside_registry(tmp_path: Path) -> None:
    """write_population leaves the SIRENE files, the answers and the truth JSON together."""
    written = write_population(tmp_path, 3000, seed=4)
    assert written.registry.unites_legales.exists()
    assert PopulationTruth.read_json(written.truth_path) == written.truth
    assert read_population(tmp_path).equals(generate_population(3000, seed=4))


def test_frozen_calibration_is_a_fixed_point() -> None:
    """One more calibration pass from the shipped parameters moves none by over 0.01."""
    frame = reference_frame()
    frozen = frozen_parameters()
    updated = calibration_pass(frozen, simulate(frame, frozen, REFERENCE_SEED))
    assert (
        parameter_distance(updated, replace(frozen, response_by_size=updated.response_by_size))
        < 0.01
    )
