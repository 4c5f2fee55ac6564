"""Design behaviours beyond the R reference: inputs, batches, diagnostics, boundary rule."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
import svy

from barometre.stats import Design, Estimate, estimates_frame


def test_pandas_and_polars_agree(survey: pl.DataFrame) -> None:
    """A pandas frame gives the same estimates as the polars one."""
    a = Design(survey, weights="w", strata="stratum").mean("spend")
    b = Design(survey.to_pandas(), weights="w", strata="stratum").mean("spend")
    assert a == b


def test_integer_level(survey: pl.DataFrame) -> None:
    """proportion(level=1) on a 0/1 integer column equals the mean of that column."""
    d = Design(survey, weights="w", strata="stratum")
    p, m = d.proportion("active", level=1, ci="mean"), d.mean("active")
    assert math.isclose(p.estimate, m.estimate) and math.isclose(p.se, m.se)
    assert (p.ci_low, p.ci_high) == pytest.approx((m.ci_low, m.ci_high))


def test_batch_equals_single_calls(survey: pl.DataFrame) -> None:
    """estimate_many gives the same numbers as one call per estimate."""
    d = Design(survey, weights="w", strata="stratum").rake(
        {
            "size": {"0-9": 5e3, "10-49": 3e3, "50+": 2e3},
            "region": {"11": 4e3, "84": 3e3, "93": 3e3},
        }
    )
    rows = d.estimate_many(
        means=["spend"], proportions=["activity", ("active", 1)], by=[None, "sector"]
    )
    assert len(rows) == (1 + 3 + 1) * (1 + 3)
    lookup = {(r.variable, r.level, r.by, r.domain): r.value for r in rows}
    same(lookup[("spend", None, None, None)], d.mean("spend"))
    by_sector = d.by("sector").proportion("activity", "active")
    same(lookup[("activity", "active", "sector", "services")], by_sector["services"])
    same(lookup[("active", 1, None, None)], d.proportion("active", 1))
    frame = estimates_frame(rows)
    assert frame.height == len(rows) and frame["se"].min() > 0


def same(a: Estimate, b: Estimate) -> None:
    """Equal up to floating-point summation order."""
    for key in ("estimate", "se", "ci_low", "ci_high", "df", "n"):
        assert getattr(a, key) == pytest.approx(getattr(b, key), rel=1e-12)


def test_by_proportions_nests_levels(survey: pl.DataFrame) -> None:
    """by().proportions gives every level in every domain, summing to 1."""
    out = Design(survey, weights="w").by("size").proportions("activity")
    assert set(out) == {"0-9", "10-49", "50+"}
    for shares in out.values():
        assert set(shares) == {"inactive", "peu_active", "active"}
        assert math.isclose(sum(e.estimate for e in shares.values()), 1.0)


def test_weight_diagnostics() -> None:
    """Effective n and Kish deff follow (sum w)^2 / sum w^2 and n sum w^2 / (sum w)^2."""
    frame = pl.DataFrame({"w": [1.0, 1.0, 2.0, 4.0], "x": [1.0, 2.0, 3.0, 4.0]})
    diag = Design(frame, weights="w").weight_diagnostics()
    assert (diag.n, diag.total, diag.min, diag.max, diag.ratio) == (4, 8.0, 1.0, 4.0, 4.0)
    assert math.isclose(diag.effective_n, 64 / 22)
    assert math.isclose(diag.kish_deff, 4 * 22 / 64)


def test_boundary_proportion_rule(survey: pl.DataFrame) -> None:
    """At p = 0 the interval is Clopper-Pearson's [0, 1 - 0.025^(1/n)] on the n respondents."""
    data = survey.with_columns(none=pl.lit("no"))
    data = data.with_columns(
        none=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("yes")).otherwise(pl.col("none"))
    )
    d = Design(data.slice(1), weights="w", strata="stratum")
    with pytest.raises(Exception, match="does not occur"):
        d.proportion("none", "yes")
    d = Design(data, weights="w", strata="stratum").by("size")
    no_yes = [e for e in d.proportion("none", "yes").values() if e.estimate == 0.0]
    assert no_yes, "two of the three size domains have no 'yes'"
    for e in no_yes:
        assert (e.se, e.ci_low, e.ci_high) == (0.0, 0.0, 1 - 0.025 ** (1 / e.n))


def test_agrees_with_svy_taylor(survey: pl.DataFrame) -> None:
    """On an uncalibrated stratified design the numbers equal svy's own Taylor estimates."""
    ours = Design(survey, weights="w", strata="stratum").mean("spend")
    sample = svy.Sample(survey, svy.Design(stratum="stratum", wgt="w"))
    theirs = sample.estimation.mean("spend").to_polars()
    assert math.isclose(ours.estimate, float(theirs["est"][0]), rel_tol=1e-9)
    assert math.isclose(ours.se, float(theirs["se"][0]), rel_tol=1e-9)


def test_calibrated_margin_has_no_error(survey: pl.DataFrame) -> None:
    """The share of a raked margin level is known exactly: se 0, interval [p, p]."""
    d = Design(survey, weights="w").rake({"size": {"0-9": 5e3, "10-49": 3e3, "50+": 2e3}})
    e = d.proportion("size", "0-9")
    assert math.isclose(e.estimate, 0.5) and e.se < 1e-12
    assert e.ci_low == e.ci_high == e.estimate
    assert np.isclose(d.weights.sum(), 1e4)
