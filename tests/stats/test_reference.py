"""barometre.stats against R's survey package (frozen output of r/stats_reference.R)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from barometre.stats import Design, Estimate

from ._reference import DESIGNS, api, design, reference

REL = 1e-6
NAMES = sorted(DESIGNS)
CI = ("logit", "beta", "mean")


def close(mine: float, ref: float, scale: float = 1.0) -> bool:
    """Equal to 1e-6 relative (SEs of exactly calibrated margins: to 1e-9 absolute)."""
    return abs(mine - ref) <= REL * abs(ref) + 1e-9 * scale


def check(mine: Estimate, ref: dict[str, Any]) -> None:
    for key in ("estimate", "se", "ci_low", "ci_high"):
        assert close(getattr(mine, key), ref[key], abs(ref["estimate"])), (key, mine, ref)
    assert mine.df == ref["df"]


def check_proportion(mine: Estimate, ref: dict[str, Any]) -> None:
    """As R where R has a finite interval; the documented boundary rules elsewhere."""
    p, n = mine.estimate, mine.n
    if p in (0.0, 1.0):
        # R: NaN or a degenerate interval. Ours: Clopper-Pearson on n respondents.
        edge = 0.025 ** (1 / n)
        assert (mine.ci_low, mine.ci_high) == ((edge, 1.0) if p == 1.0 else (0.0, 1 - edge))
        assert mine.se == 0.0
        return
    if ref["se"] < 1e-9:
        # A calibration margin: known exactly, interval [p, p] (R: noise or NaN).
        assert close(p, ref["estimate"])
        assert mine.ci_low == mine.ci_high == p
        return
    check(mine, ref)


@pytest.mark.parametrize("name", NAMES)
def test_weights(name: str) -> None:
    """Final weights equal R's (design, post-stratified, raked, bounded-raked)."""
    ref = np.array(reference()[name]["weights"])
    np.testing.assert_allclose(design(name).weights, ref, rtol=1e-8)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("column", ["api00", "ell", "enroll"])
def test_mean(name: str, column: str) -> None:
    """Means, SEs, t intervals and df equal R's svymean (na.rm) on every design."""
    check(design(name).mean(column), reference()[name][f"mean_{column}"])


@pytest.mark.parametrize("name", NAMES)
def test_total(name: str) -> None:
    """Totals equal R's svytotal, calibration-aware after raking."""
    check(design(name).total("enroll"), reference()[name]["total_enroll"])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("ci", CI)
def test_proportion(name: str, ci: str) -> None:
    """Proportions and their CIs equal R's svyciprop for each method."""
    mine = design(name).proportion("sch.wide", "Yes", ci=ci)
    check_proportion(mine, reference()[name][f"prop_schwide_yes_{ci}"])


@pytest.mark.parametrize("name", NAMES)
def test_proportions_of_every_level(name: str) -> None:
    """proportions() gives every level with R's logit interval."""
    props = design(name).proportions("stype")
    assert set(props) == {"E", "H", "M"}
    for level, est in props.items():
        check_proportion(est, reference()[name][f"prop_stype_{level}"])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("domain", ["No", "Yes"])
def test_domains(name: str, domain: str) -> None:
    """by() equals R's estimates on subset(design, comp.imp == domain)."""
    ref = reference()[name][f"domain_compimp_{domain}"]
    by = design(name).by("comp.imp")
    check(by.mean("api00")[domain], ref["mean_api00"])
    check(by.total("enroll")[domain], ref["total_enroll"])
    for ci in CI:
        check_proportion(
            by.proportion("sch.wide", "Yes", ci=ci)[domain], ref[f"prop_schwide_yes_{ci}"]
        )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("rows", "cols"), [("sch.wide", "stype"), ("awards", "stype")])
def test_rao_scott(name: str, rows: str, cols: str) -> None:
    """Rao-Scott F (statistic, ndf, ddf, p) and first-order chi-square equal svychisq."""
    ref = reference()[name][f"chisq_{rows.replace('.', '')}_{cols}"]
    rs = design(name).crosstab(rows, cols).rao_scott
    for key in ("statistic", "ndf", "ddf", "p_value", "pearson", "chisq_p_value"):
        assert close(getattr(rs, key), ref[key], 0.0), (key, getattr(rs, key), ref[key])
    assert rs.chisq_df == ref["chisq_df"]


@pytest.mark.parametrize("name", NAMES)
def test_logit(name: str) -> None:
    """Logistic coefficients, SEs and p-values equal svyglm(quasibinomial)."""
    ref = reference()[name]["logit"]
    fit = design(name).logit(
        "sch.wide", level="Yes", numeric=["ell", "meals"], categorical=["stype"]
    )
    assert list(fit.terms) == ref["terms"]
    for key in ("coefficients", "se", "p_values"):
        for mine, r in zip(getattr(fit, key), ref[key], strict=True):
            assert close(mine, r, 0.0), (key, mine, r)
    assert fit.df_residual == ref["df_residual"]
    assert all(
        math.isclose(o, math.exp(c)) for o, c in zip(fit.odds_ratios, fit.coefficients, strict=True)
    )


@pytest.mark.parametrize("policy", ["certainty", "adjust", "average"])
def test_singleton_policies(policy: str) -> None:
    """Each singleton policy reproduces R's options(survey.lonely.psu = policy)."""
    d = Design(api("apistrat_lonely"), weights="pw", strata="stype", singleton=policy)  # type: ignore[arg-type]
    ref = reference()[f"lonely_{policy}"]
    check(d.mean("api00"), ref["mean_api00"])
    check(d.total("enroll"), ref["total_enroll"])
