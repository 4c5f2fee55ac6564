"""Differences of domain means: contrasts with their covariance, and the design-based t-test.

The difference of two domain means is linearized as the difference of their
influence values, so its variance includes their covariance (domains share
strata and PSUs): R ``svycontrast(svyby(..., covmat = TRUE), c(1, -1))``.
``svyttest(y ~ g)`` is the same difference (the coefficient of g in a
weighted regression), tested on the design df minus one.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats as st

from barometre.stats._estimators import mean_influence
from barometre.stats._intervals import mean_interval
from barometre.stats._projections import project
from barometre.stats._variance import BoolArray, domain_df, variances
from barometre.stats.errors import EstimationError
from barometre.stats.results import Estimate, TTest

if TYPE_CHECKING:
    from barometre.stats.design import By, Design

ALPHA = 0.05


def _domain_index(levels: tuple[Any, ...], level: Any, by: By) -> int:
    if level in levels:
        return levels.index(level)
    text = [str(v) for v in levels]
    if str(level) in text:
        return text.index(str(level))
    raise EstimationError(
        f"contrast: domain {level!r} does not occur in {by!r} (domains: {list(levels)[:20]})"
    )


def _difference(
    design: Design, column: str, mask_a: BoolArray, mask_b: BoolArray
) -> tuple[float, float, int]:
    """Mean in a minus mean in b, its SE, and the respondents counted."""
    y = design.values(column)
    w = design.engine.weights
    mean_a, z_a = mean_influence(w, y, mask_a)
    mean_b, z_b = mean_influence(w, y, mask_b)
    z = project(design.engine.projections, (z_a - z_b)[None, :])
    var = float(variances(design.structure, z)[0])
    n = int(np.count_nonzero((mask_a | mask_b) & ~np.isnan(y)))
    return mean_a - mean_b, math.sqrt(max(var, 0.0)), n


def contrast(design: Design, column: str, by: By, a: Any, b: Any) -> Estimate:
    """Mean of ``column`` in domain ``a`` of ``by`` minus its mean in domain ``b``."""
    levels, codes, _ = design.breakdown(by)
    ia, ib = _domain_index(levels, a, by), _domain_index(levels, b, by)
    if ia == ib:
        raise EstimationError(f"contrast of {column!r}: domains a and b are both {a!r}")
    diff, se, n = _difference(design, column, codes == ia, codes == ib)
    df = int(design.structure.n_psus - design.structure.n_strata)
    lo, hi = mean_interval(np.array([diff]), np.array([se]), np.array([df]), ALPHA)
    return Estimate(estimate=diff, se=se, ci_low=float(lo[0]), ci_high=float(hi[0]), df=df, n=n)


def ttest(design: Design, column: str, group: str) -> TTest:
    """Mean of ``column`` in the second level of ``group`` minus the first, tested (svyttest)."""
    levels, codes = design.levels(group, "ttest group")
    if len(levels) != 2:
        raise EstimationError(
            f"ttest of {column!r}: group {group!r} needs exactly two levels, "
            f"it has {len(levels)} ({list(levels)[:10]})"
        )
    diff, se, _ = _difference(design, column, codes == 1, codes == 0)
    answered = (codes >= 0) & ~np.isnan(design.values(column))
    df = int(domain_df(design.structure, answered[None, :])[0]) - 1
    statistic = diff / se if se > 0 else math.copysign(math.inf, diff) if diff else math.nan
    p_value = float(2 * st.t.sf(abs(statistic), df)) if df >= 1 else math.nan
    return TTest(
        difference=diff,
        se=se,
        statistic=statistic,
        df=df,
        p_value=p_value,
        group=group,
        levels=(str(levels[0]), str(levels[1])),
    )
