"""The cell fast path (element samples) gives the dense path's numbers."""

from __future__ import annotations

import copy

import polars as pl
import pytest

from barometre.stats import Design, Estimate

SIZES = {"0-9": 5e3, "10-49": 3e3, "50+": 2e3}
REGIONS = {"11": 4e3, "84": 3.5e3, "93": 2.5e3}


def dense(d: Design) -> Design:
    """The same design forced onto the dense path."""
    out = copy.copy(d)
    out._cells = None
    return out


def designs(data: pl.DataFrame) -> dict[str, Design]:
    base = Design(data, weights="w", strata="stratum")
    feasible = {
        c: dict(data.group_by(c).agg(pl.col("w").sum() * f).iter_rows())
        for c, f in (("size", 1.0), ("region", 1.0))
    }
    feasible["region"]["11"] *= 1.15
    feasible["region"]["93"] -= (feasible["region"]["11"] / 1.15) * 0.15
    return {
        "plain": base,
        "post": base.poststratify("region", REGIONS),
        "rake": base.rake({"size": SIZES, "region": REGIONS}),
        "bounded": base.rake(feasible, bounds=(0.7, 1.4)),
        "chain": base.poststratify(
            "sector", {"industrie": 3e3, "commerce": 3e3, "services": 4e3}
        ).rake({"size": SIZES, "region": REGIONS}),
    }


def same(a: Estimate, b: Estimate) -> None:
    for key in ("estimate", "se", "ci_low", "ci_high", "df", "n"):
        assert getattr(a, key) == pytest.approx(getattr(b, key), rel=1e-9, abs=1e-12), key


@pytest.mark.parametrize("name", ["plain", "post", "rake", "bounded", "chain"])
def test_fast_equals_dense(survey: pl.DataFrame, name: str) -> None:
    """Means, totals and proportions by domain agree between the two paths."""
    d = designs(survey)[name]
    assert (d._cells is None) == (name == "chain")  # a chain of steps takes the dense path
    slow = dense(d)
    for dom, est in d.by("sector").mean("spend").items():
        same(est, slow.by("sector").mean("spend")[dom])
    for dom, est in d.by("size").total("spend").items():
        same(est, slow.by("size").total("spend")[dom])
    for ci in ("logit", "beta", "mean"):
        for dom, est in d.by("region").proportion("activity", "active", ci=ci).items():
            same(est, slow.by("region").proportion("activity", "active", ci=ci)[dom])
    same(d.mean("spend"), slow.mean("spend"))
