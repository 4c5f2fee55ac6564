"""The rest of R survey beyond the R reference: fast = dense, identities, clear errors."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from barometre.stats import CalibrationWarning, Design, EstimationError, MarginError
from barometre.stats.errors import RakingDidNotConvergeError, StatsError

from .test_fast_path import REGIONS, SIZES, dense, same


def with_gaps(data: pl.DataFrame) -> pl.DataFrame:
    """The survey with some answers missing (every 7th spend, every 5th activity)."""
    idx = pl.int_range(pl.len())
    return data.with_columns(
        pl.when(idx % 7 == 0).then(None).otherwise(pl.col("spend")).alias("spend"),
        pl.when(idx % 5 == 0).then(None).otherwise(pl.col("activity")).alias("activity"),
        (pl.col("active") * 2).alias("active2"),
    )


@pytest.mark.parametrize("method", ["rake", "linear"])
def test_batch_equals_dense_with_missing_values(survey: pl.DataFrame, method: str) -> None:
    """estimate_many's blocks (fast path) give the dense path's numbers, deff included."""
    base = Design(with_gaps(survey), weights="w", strata="stratum")
    margins = {"size": SIZES, "region": REGIONS}
    d = base.rake(margins) if method == "rake" else base.calibrate(margins, method="linear")
    assert d._cells is not None
    kwargs = {
        "means": ["spend", "active2"],
        "proportions": ["activity", ("active", 1)],
        "by": [None, "sector", "region"],
    }
    fast, slow = d.estimate_many(**kwargs), dense(d).estimate_many(**kwargs)  # type: ignore[arg-type]
    assert len(fast) == len(slow) == (2 + 3 + 1) * (1 + 3 + 3)
    for a, b in zip(fast, slow, strict=True):
        assert (a.variable, a.level, a.by, a.domain) == (b.variable, b.level, b.by, b.domain)
        same(a.value, b.value)
        assert a.value.deff == pytest.approx(b.value.deff, rel=1e-9)


def test_two_column_domains_equal_a_crossed_column(survey: pl.DataFrame) -> None:
    """by([a, b]) equals by() on the pasted column, keyed by (level_a, level_b)."""
    data = survey.with_columns((pl.col("size") + "|" + pl.col("sector")).alias("cross"))
    d = Design(data, weights="w", strata="stratum").rake({"size": SIZES, "region": REGIONS})
    two = d.by(["size", "sector"]).mean("spend")
    one = d.by("cross").mean("spend")
    assert set(two) == {tuple(k.split("|")) for k in one}
    for (a, b), est in two.items():
        same(est, one[f"{a}|{b}"])
    assert d.by(["size"]).mean("spend") == d.by("size").mean("spend")


def test_contrast_and_ttest_agree(survey: pl.DataFrame) -> None:
    """contrast() is the difference of the by() means; ttest() is that contrast over its SE."""
    d = Design(survey, weights="w", strata="stratum")
    means = d.by("active").mean("spend")
    c = d.contrast("spend", by="active", a=1, b=0)
    assert c.estimate == pytest.approx(means[1].estimate - means[0].estimate, rel=1e-12)
    # Domains share strata: the covariance makes the SE differ from the independent one.
    independent = np.hypot(means[1].se, means[0].se)
    assert c.se != pytest.approx(independent, rel=1e-6)
    t = d.ttest("spend", group="active")
    assert t.difference == pytest.approx(c.estimate, rel=1e-12)
    assert t.statistic == pytest.approx(c.estimate / c.se, rel=1e-12)
    assert t.df == c.df - 1
    assert 0 < t.p_value < 1


def test_jackknife_total_equals_linearization(survey: pl.DataFrame) -> None:
    """For a total of a stratified element sample, JKn's variance is the linearized one."""
    d = Design(survey, weights="w", strata="stratum")
    rep = d.jackknife()
    assert rep.total("spend").se == pytest.approx(d.total("spend").se, rel=1e-9)
    assert rep.mean("spend").se == pytest.approx(d.mean("spend").se, rel=0.02)
    assert rep.df == d.structure.n_psus - d.structure.n_strata


def test_replicate_weights_follow_the_data_order(survey: pl.DataFrame) -> None:
    """Each replicate zeroes one respondent; columns follow R's order (first appearance)."""
    shuffled = survey.sample(fraction=1.0, shuffle=True, seed=5)
    d = Design(shuffled, weights="w", strata="stratum")
    rep = d.jackknife()
    weights = rep.replicate_weights().to_numpy()
    assert weights.shape == (d.n, rep.n_replicates) == (d.n, d.n)
    zero = weights == 0
    assert (zero.sum(axis=0) == 1).all()
    dropped = zero.argmax(axis=0)
    first_stratum = shuffled["stratum"].unique(maintain_order=True).to_list()
    strata = shuffled["stratum"].to_numpy()[dropped]
    # Replicates run stratum by stratum (in order of first appearance), rows in data order.
    order = [first_stratum.index(s) for s in strata]
    assert order == sorted(order)
    for s in set(strata):
        rows = dropped[strata == s]
        assert list(rows) == sorted(rows)
    untouched = ~zero & (strata[None, :] != shuffled["stratum"].to_numpy()[:, None])
    np.testing.assert_allclose(
        weights[untouched], np.broadcast_to(d.weights[:, None], zero.shape)[untouched]
    )


def test_calibration_reaches_margins_for_each_method(survey: pl.DataFrame) -> None:
    """linear, raking and logit calibration all meet the margins, within bounds when given."""
    d = Design(survey, weights="w", strata="stratum")
    margins = {"size": SIZES, "region": REGIONS}
    for method, bounds in (("linear", None), ("raking", None), ("logit", (0.2, 5.0))):
        c = d.calibrate(margins, method=method, bounds=bounds)  # type: ignore[arg-type]
        for column, totals in margins.items():
            for level, total in totals.items():
                assert c.totals(column)[level].estimate == pytest.approx(total, rel=1e-8)
        if bounds:
            g = c.weights / d.weights
            assert bounds[0] <= g.min() and g.max() <= bounds[1]


def test_infeasible_bounds_warn_like_r_or_raise_when_strict(survey: pl.DataFrame) -> None:
    """Bounds that cannot meet the margins: a CalibrationWarning (as R), or an error if strict."""
    d = Design(survey, weights="w", strata="stratum")
    far = {"size": {"0-9": 9e3, "10-49": 0.5e3, "50+": 0.5e3}}
    with pytest.warns(CalibrationWarning, match="did not converge"):
        d.calibrate(far, method="logit", bounds=(0.8, 1.25))
    with pytest.raises(RakingDidNotConvergeError, match="widen the bounds"):
        d.calibrate(far, method="logit", bounds=(0.8, 1.25), strict=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d.calibrate({"size": SIZES}, method="linear")  # feasible: no warning


def test_errors_name_the_problem(survey: pl.DataFrame) -> None:
    """Bad calls say what is wrong and where."""
    d = Design(survey, weights="w", strata="stratum")
    with pytest.raises(EstimationError, match="'activity' needs exactly two levels"):
        d.ttest("spend", group="activity")
    with pytest.raises(EstimationError, match="domain 'mines' does not occur in 'sector'"):
        d.contrast("spend", by="sector", a="mines", b="commerce")
    with pytest.raises(MarginError, match="logit calibration needs finite bounds"):
        d.calibrate({"size": SIZES}, method="logit")
    with pytest.raises(MarginError, match="method must be one of"):
        d.calibrate({"size": SIZES}, method="greg")  # type: ignore[arg-type]
    with pytest.raises(StatsError, match="q must be between 0 and 1"):
        d.quantile("spend", 1.5)
    with pytest.raises(StatsError, match="give a column name or a list"):
        d.by([])
    zero = survey.with_columns(pl.lit(0.0).alias("nothing"))
    with pytest.raises(EstimationError, match="denominator's total is zero"):
        Design(zero, weights="w", strata="stratum").ratio("spend", "nothing")


def test_quantile_of_a_skewed_variable_is_inside_its_interval(survey: pl.DataFrame) -> None:
    """The median of a skewed amount lies in its Woodruff interval, below the mean."""
    d = Design(survey, weights="w", strata="stratum")
    med = d.quantile("spend", 0.5)
    assert med.ci_low <= med.estimate <= med.ci_high
    assert med.se > 0
    assert med.estimate < d.mean("spend").estimate  # gamma(2): median below mean


def test_recalibrated_jackknife_knows_the_margins(survey: pl.DataFrame) -> None:
    """Recalibrated replicates give a raked margin's share no variance; plain ones do not."""
    d = Design(survey, weights="w", strata="stratum").rake({"size": SIZES, "region": REGIONS})
    plain, recal = d.jackknife(), d.jackknife(recalibrate=True)
    share = SIZES["0-9"] / sum(SIZES.values())
    assert recal.proportion("size", "0-9").estimate == pytest.approx(share, rel=1e-9)
    assert recal.proportion("size", "0-9").se < 1e-8
    assert plain.proportion("size", "0-9").se > 1e-3
    # Away from the margins both are close to the linearized SE.
    lin = d.mean("spend").se
    assert recal.mean("spend").se == pytest.approx(lin, rel=0.05)
    weights = recal.replicate_weights().to_numpy()
    sizes = survey["size"].to_numpy()
    for level, total in SIZES.items():
        np.testing.assert_allclose(weights[sizes == level].sum(axis=0), total, rtol=1e-8)
