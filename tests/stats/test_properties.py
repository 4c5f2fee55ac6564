"""Properties that hold for any data: margins met, weights positive, order irrelevant."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.stats import Design

from .conftest import business_survey

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
shares = st.lists(st.floats(0.1, 1.0), min_size=3, max_size=3)


def margins(
    size_shares: list[float], region_shares: list[float], total: float
) -> dict[str, dict[str, float]]:
    s, r = np.array(size_shares), np.array(region_shares)
    return {
        "size": dict(zip(["0-9", "10-49", "50+"], (total * s / s.sum()).tolist(), strict=True)),
        "region": dict(zip(["11", "84", "93"], (total * r / r.sum()).tolist(), strict=True)),
    }


def feasible(data: pl.DataFrame) -> dict[str, dict[str, float]]:
    """Margins within 20 % of the sample's own weighted counts: reachable with g in [0.5, 2]."""
    size = dict(data.group_by("size").agg(pl.col("w").sum() * 1.1).iter_rows())
    region = dict(data.group_by("region").agg(pl.col("w").sum()).iter_rows())
    total = sum(size.values())
    region["11"] *= 1.2
    region["84"] *= 1.05
    region["93"] = total - region["11"] - region["84"]
    return {"size": size, "region": region}


@SETTINGS
@given(seed=st.integers(0, 10_000), size_shares=shares, region_shares=shares)
def test_raked_weights_reproduce_every_margin(
    seed: int, size_shares: list[float], region_shares: list[float]
) -> None:
    """After raking, the weights sum to each margin's target in every level."""
    data = business_survey(300, seed)
    target = margins(size_shares, region_shares, 50_000.0)
    raked = Design(data, weights="w", strata="stratum").rake(target)
    frame = data.with_columns(rw=pl.Series(raked.weights))
    for column, totals in target.items():
        got = dict(frame.group_by(column).agg(pl.col("rw").sum()).iter_rows())
        for level, total in totals.items():
            assert abs(got[level] - total) <= 1e-7 * total


@SETTINGS
@given(seed=st.integers(0, 10_000), size_shares=shares, region_shares=shares)
def test_weights_stay_positive(
    seed: int, size_shares: list[float], region_shares: list[float]
) -> None:
    """Raked and post-stratified weights are positive, bounded ones within their bounds."""
    data = business_survey(300, seed)
    target = margins(size_shares, region_shares, 50_000.0)
    d = Design(data, weights="w")
    assert np.all(d.rake(target).weights > 0)
    assert np.all(d.poststratify("size", target["size"]).weights > 0)
    g = d.rake(feasible(data), bounds=(0.5, 2.0)).weights / d.weights
    assert np.all(g >= 0.5 - 1e-12) and np.all(g <= 2.0 + 1e-12)


@SETTINGS
@given(seed=st.integers(0, 10_000), perm_seed=st.integers(0, 10_000))
def test_estimates_invariant_to_row_order(seed: int, perm_seed: int) -> None:
    """Shuffling the rows changes no estimate, SE or interval (raked design, domains, tests)."""
    data = business_survey(300, seed)
    shuffled = data.sample(fraction=1.0, shuffle=True, seed=perm_seed)
    target = margins([2, 1, 1], [1, 1, 1], 40_000.0)

    def numbers(frame: pl.DataFrame) -> list[float]:
        d = Design(frame, weights="w", strata="stratum").rake(target)
        out = [*_flat(d.mean("spend")), *_flat(d.proportion("active", 1, ci="beta"))]
        for est in d.by("sector").proportion("activity", "active").values():
            out += _flat(est)
        out.append(d.crosstab("activity", "sector").rao_scott.statistic)
        out += list(d.logit("active", numeric=["spend"], categorical=["size"]).se)
        return out

    np.testing.assert_allclose(numbers(shuffled), numbers(data), rtol=1e-9)


def _flat(e: object) -> list[float]:
    return [getattr(e, k) for k in ("estimate", "se", "ci_low", "ci_high")]
