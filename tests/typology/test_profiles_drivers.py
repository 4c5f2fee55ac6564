"""Segment shares, profiles and drivers of activity, computed through barometre.stats."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from barometre.typology.drivers import (
    DRIVERS,
    _deviance,
    _levels,
    _model_matrix,
    _null_deviance,
    activity_drivers,
)
from barometre.typology.profiles import segment_profiles, segment_shares
from barometre.typology.rules import assign_segments

from ._reference import REFERENCE
from ._wave import wave


@pytest.fixture(scope="module")
def survey() -> pl.DataFrame:
    return wave()


def test_shares_are_weighted_among_classified(survey: pl.DataFrame) -> None:
    """Each share is the weighted share among classified rows, inside its CI; shares sum to 1."""
    shares = segment_shares(survey)
    seg = assign_segments(survey).segments
    frame = survey.with_columns(seg.alias("seg")).filter(pl.col("seg") != "not_classified")
    total = frame["weight"].sum()
    for share in shares.shares:
        by_hand = frame.filter(pl.col("seg") == share.segment.id)["weight"].sum() / total
        assert share.estimate.estimate == pytest.approx(by_hand, abs=1e-12)
        assert share.estimate.ci_low < share.estimate.estimate < share.estimate.ci_high
    assert sum(s.estimate.estimate for s in shares.shares) == pytest.approx(1.0)


def test_not_classified_are_counted_and_weighted(survey: pl.DataFrame) -> None:
    """Rows missing activity or tempo are counted, with their weighted share reported."""
    shares = segment_shares(survey)
    missing = survey.filter(pl.col("activity").is_null() | pl.col("tempo").is_null())
    assert shares.n_not_classified == missing.height > 0
    assert shares.not_classified_share is not None
    assert shares.not_classified_share.estimate == pytest.approx(
        missing["weight"].sum() / survey["weight"].sum(), abs=1e-12
    )
    assert sum(c.n for c in shares.counts) == survey.height


def test_profiles_flag_the_leader_s_activity(survey: pl.DataFrame) -> None:
    """Inactive leaders are over-represented in the silent majority, very active in pioneers."""
    profiles = {p.segment.id: p for p in segment_profiles(survey)}
    silent = {(c.variable, c.level): c for c in profiles["masse_silencieuse"].significant()}
    pioneers = {(c.variable, c.level): c for c in profiles["pionnieres"].significant()}
    assert silent[("leader_activity", "inactive")].over_represented
    assert pioneers[("leader_activity", "tres_active")].over_represented
    assert pioneers[("leader_activity", "inactive")].under_represented


def test_profile_shares_are_weighted_within_segment(survey: pl.DataFrame) -> None:
    """A profile's in-segment share equals the weighted share computed by hand."""
    profile = next(
        p for p in segment_profiles(survey, variables=["market"]) if p.segment.id == "combatives"
    )
    seg = assign_segments(survey).segments
    inside = survey.with_columns(seg.alias("seg")).filter(pl.col("seg") == "combatives")
    for cat in profile.categories:
        by_hand = (
            inside.filter(pl.col("market") == cat.level)["weight"].sum() / inside["weight"].sum()
        )
        assert cat.in_segment.estimate == pytest.approx(by_hand, abs=1e-12)


@pytest.fixture(scope="module")
def drivers(survey: pl.DataFrame):
    return activity_drivers(survey, replicates=8, seed=3)


def test_leader_appetite_weighs_most(drivers) -> None:
    """In a wave built so, the leader's own activity is the heaviest driver, ranked first."""
    top = drivers.ranked()[0]
    assert top.group == "leader_activity"
    assert top.rank_first == 1.0
    assert top.ci_low > max(d.delta_r2 for d in drivers.ranked()[1:])
    assert {d.group for d in drivers.importance} == set(DRIVERS)
    assert sum(d.share for d in drivers.importance) == pytest.approx(1.0)


def test_odds_ratios_with_intervals(drivers) -> None:
    """Every term has an odds ratio inside its CI; trained staff raises the odds of activity."""
    for term in drivers.terms:
        assert term.ci_low < term.odds_ratio < term.ci_high
        assert term.odds_ratio == pytest.approx(np.exp(term.coefficient))
    trained = next(t for t in drivers.terms if t.term == "staff_trainedyes")
    assert trained.group == "staff_trained" and trained.level == "yes"
    assert trained.ci_low > 1


def test_drivers_use_complete_cases(drivers, survey: pl.DataFrame) -> None:
    """Respondents without an activity answer are left out of every model."""
    assert drivers.n == survey.filter(pl.col("activity").is_not_null()).height
    assert 0 < drivers.pseudo_r2 < 1
    assert drivers.replicates == 8


def test_importance_and_fit_match_r_survey() -> None:
    """Deviances, pseudo-R², drops, coefficients, SEs and p-values equal R svyglm on the
    complete cases as a domain of the wave's design (typology_drivers_reference.R:
    `svyglm(..., design = subset(design, keep))`, each stratum's n_h over every respondent)."""
    frame = pl.read_csv(REFERENCE / "drivers_wave.csv", infer_schema=False).with_columns(
        pl.col("weight").cast(pl.Float64)
    )
    assert frame.filter(pl.col("activity").is_null()).height > 0  # a domain, not the design
    result = activity_drivers(frame, replicates=2, seed=1)
    fit = pl.read_csv(REFERENCE / "drivers_fit.csv", infer_schema=False)
    assert result.n == int(fit["n"][0])
    assert result.fit.df_residual == int(fit["df_residual"][0])
    assert result.pseudo_r2 == pytest.approx(float(fit["pseudo_r2"][0]), rel=1e-12)
    complete = frame.filter(pl.col("activity").is_not_null())
    y = complete["activity"].is_in(["active", "tres_active"]).cast(pl.Float64).to_numpy()
    w = complete["weight"].to_numpy()
    levels = {g: _levels(complete, g) for g in DRIVERS}
    x = _model_matrix(complete, DRIVERS, levels)
    assert _null_deviance(y, w) == pytest.approx(float(fit["null_deviance"][0]), rel=1e-12)
    deviance = _deviance(result.fit.coefficients, x, y, w)
    assert deviance == pytest.approx(float(fit["deviance"][0]), rel=1e-12)
    drops = pl.read_csv(REFERENCE / "drivers_importance.csv", infer_schema=False)
    ours = {d.group: d.delta_r2 for d in result.importance}
    assert set(ours) == set(drops["group"])
    for group, value in drops.iter_rows():
        assert ours[group] == pytest.approx(float(value), rel=1e-10)
    coefs = pl.read_csv(REFERENCE / "drivers_coefficients.csv", infer_schema=False)
    by_term = {t.term: t for t in result.terms}
    assert list(by_term) == coefs["term"].to_list()
    for term, coefficient, se, p_value in coefs.iter_rows():
        assert by_term[term].coefficient == pytest.approx(float(coefficient), rel=1e-10)
        assert by_term[term].se == pytest.approx(float(se), rel=1e-9)
        assert by_term[term].p_value == pytest.approx(float(p_value), rel=1e-7)


def test_a_separated_driver_level_is_named(survey: pl.DataFrame) -> None:
    """A driver level whose respondents are all active is refused by name (TypologyError),
    not left to numpy's LinAlgError (issue 15, finding 8: `demo --units 20000`)."""
    from barometre.typology import TypologyError

    leaders = survey.filter(pl.col("leader_activity") == "tres_active").height
    separated = survey.with_columns(
        pl.when(pl.col("leader_activity") == "tres_active")
        .then(pl.lit("tres_active"))
        .otherwise(pl.col("activity"))
        .alias("activity")
    )
    with pytest.raises(TypologyError, match="leader_activity = 'tres_active'") as err:
        activity_drivers(separated, replicates=2, seed=1)
    assert f"the {leaders} respondent(s)" in str(err.value)
    assert "all active" in str(err.value) and "separation" in str(err.value)
