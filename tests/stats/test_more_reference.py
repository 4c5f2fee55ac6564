"""The rest of R survey against R (frozen output of r/stats_more_reference.R)."""

from __future__ import annotations

import json
import math
from functools import cache
from typing import Any

import numpy as np
import pytest

from barometre.stats import Design, Estimate

from ._reference import DESIGNS, REF, design

REL = 1e-6
NAMES = sorted(DESIGNS)
JACKKNIFE = ["clus1", "clus2", "strat", "stratclus"]


@cache
def more() -> dict[str, Any]:
    """The frozen numbers written by r/stats_more_reference.R."""
    return json.loads((REF / "more_reference.json").read_text())  # type: ignore[no-any-return]


def close(mine: float, ref: float | str, scale: float = 0.0) -> bool:
    """Equal to 1e-6 relative; ``scale`` * 1e-9 absolute for quantities R leaves as noise.

    R's NaN (written "NaN", an interval bound beyond the data) must be NaN here too.
    """
    r = float(ref)
    if math.isnan(r):
        return math.isnan(mine)
    return abs(mine - r) <= REL * abs(r) + 1e-9 * scale


def check(mine: Estimate, ref: dict[str, Any], keys: tuple[str, ...] = ()) -> None:
    """Estimate, SE, interval and df as R's (and any extra ``keys``)."""
    for key in ("estimate", "se", "ci_low", "ci_high", *keys):
        assert close(getattr(mine, key), ref[key], abs(ref["estimate"])), (key, mine, ref)
    assert mine.df == ref["df"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    ("column", "q"), [("api00", 0.5), ("api00", 0.25), ("enroll", 0.5), ("enroll", 0.9)]
)
def test_quantile(name: str, column: str, q: float) -> None:
    """Quantiles, Woodruff intervals and SEs equal svyquantile(ci = TRUE) with 4.1 defaults."""
    ref = more()[name][f"quantile_{column}_{round(q * 100)}"]
    check(design(name).quantile(column, q), ref)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("num", "den"), [("api00", "api99"), ("enroll", "api00")])
def test_ratio(name: str, num: str, den: str) -> None:
    """Ratios and their SEs equal svyratio; intervals are t on the design df."""
    check(design(name).ratio(num, den), more()[name][f"ratio_{num}_{den}"])


@pytest.mark.parametrize("name", NAMES)
def test_totals_of_a_factor(name: str) -> None:
    """totals() of a factor equals svytotal(~stype), level by level."""
    ref = more()[name]["totals_stype"]
    mine = design(name).totals("stype")
    assert set(mine) == set(ref)
    for level, est in mine.items():
        r = ref[level]
        # A calibration margin's total is known exactly: R's SE is rounding noise.
        assert close(est.estimate, r["estimate"])
        assert close(est.se, r["se"], abs(r["estimate"]))
        assert est.df == r["df"]


@pytest.mark.parametrize("name", NAMES)
def test_by_two_columns(name: str) -> None:
    """by([a, b]) has R's svyby(~api00, ~stype + awards) domains, keyed by (a, b) tuples."""
    ref = more()[name]["by_stype_awards"]
    mine = design(name).by(["stype", "awards"]).mean("api00")
    assert set(mine) == {(r["a"], r["b"]) for r in ref}
    for r in ref:
        check(mine[(r["a"], r["b"])], r)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("a", "b"), [("E", "H"), ("M", "E")])
def test_contrast(name: str, a: str, b: str) -> None:
    """Domain differences equal svycontrast(svyby(..., covmat = TRUE)), covariance included."""
    check(design(name).contrast("api00", by="stype", a=a, b=b), more()[name][f"contrast_{a}_{b}"])


@pytest.mark.parametrize("name", NAMES)
def test_deff(name: str) -> None:
    """Design effects equal svymean/svytotal(deff = TRUE), overall, by level and by domain."""
    d, ref = design(name), more()[name]
    for column in ("api00", "enroll"):
        r = ref[f"deff_mean_{column}"]
        assert close(d.mean(column).deff, r["deff"]), (column, d.mean(column).deff, r)
    assert close(d.total("enroll").deff, ref["deff_total_enroll"]["deff"])
    r = ref["deff_schwide"]
    for level, value in zip(("No", "Yes"), r["deff"], strict=True):
        # A calibration margin has no sampling variance: R's deff is noise near 0.
        assert close(d.proportion("sch.wide", level).deff, value, 1e3), (level, value)
    for domain, est in d.by("comp.imp").mean("api00").items():
        assert close(est.deff, ref["deff_by_compimp"][domain])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("rows", "cols"), [("sch.wide", "stype"), ("awards", "stype")])
def test_wald(name: str, rows: str, cols: str) -> None:
    """CrossTab.wald equals svychisq(statistic = "Wald")."""
    ref = more()[name][f"wald_{rows.replace('.', '')}_{cols}"]
    w = design(name).crosstab(rows, cols).wald
    for key in ("statistic", "ndf", "ddf", "p_value"):
        assert close(getattr(w, key), ref[key]), (key, getattr(w, key), ref[key])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("column", "group"), [("api00", "awards"), ("enroll", "sch.wide")])
def test_ttest(name: str, column: str, group: str) -> None:
    """ttest() equals svyttest(y ~ g): difference, t, df and p-value."""
    ref = more()[name][f"ttest_{column}_{group.replace('.', '')}"]
    t = design(name).ttest(column, group=group)
    for key in ("difference", "statistic", "p_value"):
        assert close(getattr(t, key), ref[key]), (key, getattr(t, key), ref[key])
    assert t.df == ref["df"]


@pytest.mark.parametrize("name", JACKKNIFE)
def test_jackknife(name: str) -> None:
    """jackknife() equals as.svrepdesign(type = "JKn"): estimates, SEs, df and weights."""
    ref = more()[name]["jackknife"]
    rep = design(name).jackknife()
    assert rep.n_replicates == ref["n_replicates"]
    assert rep.df == ref["df"]
    check(rep.mean("api00"), ref["mean_api00"])
    check(rep.total("enroll"), ref["total_enroll"])
    check(rep.proportion("sch.wide", "Yes"), ref["prop_schwide_yes"])
    weights = rep.replicate_weights().to_numpy()
    np.testing.assert_allclose(weights.sum(axis=0), ref["weight_column_sums"], rtol=1e-9)
    np.testing.assert_allclose(weights[:, :3], np.array(ref["weights_first_columns"]), rtol=1e-9)


CALIBRATION_CASES = {
    "strat": (
        "strat",
        {"sch.wide": {"No": 1100, "Yes": 5094}, "awards": {"No": 2300, "Yes": 3894}},
    ),
    "clus1": (
        "clus1",
        {"stype": {"E": 4421, "H": 755, "M": 1018}, "sch.wide": {"No": 1072, "Yes": 5122}},
    ),
}


@pytest.mark.parametrize("base", sorted(CALIBRATION_CASES))
@pytest.mark.parametrize("method", ["linear", "raking", "logit", "linear_bounded"])
def test_calibrate(base: str, method: str) -> None:
    """calibrate() equals R's calibrate(calfun = linear | raking | logit), weights and variances."""
    ref = more()["calibrate"][f"{base}_{method}"]
    name, margins = CALIBRATION_CASES[base]
    bounds = tuple(ref["bounds"]) if "bounds" in ref else None
    calfun = "linear" if method == "linear_bounded" else method
    d: Design = design(name).calibrate(margins, method=calfun, bounds=bounds)  # type: ignore[arg-type]
    np.testing.assert_allclose(d.weights, ref["weights"], rtol=1e-8)
    mean = d.mean("api00")
    check(mean, ref["mean_api00"], ("deff",))
    check(d.total("enroll"), ref["total_enroll"])
    if bounds is not None:
        g = d.weights / design(name).weights
        assert g.min() >= bounds[0] - 1e-9 and g.max() <= bounds[1] + 1e-9
    assert math.isfinite(mean.se)
