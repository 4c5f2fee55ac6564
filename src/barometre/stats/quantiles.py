"""Weighted quantiles with Woodruff's interval, as R ``svyquantile`` (survey 4.1 defaults).

The quantile rule is survey's ``qrule_math``: sort the values, accumulate the
weights, take the last value whose cumulative share is at most q, or the next
one unless the share hits q exactly. Woodruff's interval inverts the interval
of the CDF at the estimate: the share p of weight at or below the quantile is
a proportion with a linearized SE, its t interval [p_lo, p_hi] (``interval.type
= "mean"``) is mapped back through the same rule, and se = width / (2 t(df)).
Sums are accumulated in long double, as R's ``cumsum`` and ``sum`` do, so ties
of the cumulative share with q fall the same way as in R.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats as st

from barometre.stats._estimators import Request
from barometre.stats._variance import FloatArray
from barometre.stats.errors import EstimationError, StatsError
from barometre.stats.results import Estimate

if TYPE_CHECKING:
    from barometre.stats.design import Design

ALPHA = 0.05


def weighted_quantile(x: FloatArray, w: FloatArray, p: float) -> float:
    """survey's ``qrule_math`` (rows with zero weight left out)."""
    keep = w != 0
    x, w = x[keep], w[keep]
    order = np.argsort(x, kind="stable")
    xs = x[order]
    cum_ld = np.cumsum(w[order].astype(np.longdouble))
    cumw = cum_ld.astype(np.float64)
    total = float(math.fsum(w.tolist()))
    pos = int(np.count_nonzero(cumw <= p * total))
    if pos == 0:
        return float(xs[0])
    low = float(xs[pos - 1])
    up = float(xs[pos]) if pos < xs.shape[0] else low
    return low if p - cumw[pos - 1] / total == 0 else up


def quantile(design: Design, column: str, q: float) -> Estimate:
    """The q-th quantile of ``column`` with Woodruff's interval (see the module doc)."""
    if not 0 <= q <= 1:
        raise StatsError(f"quantile of {column!r}: q must be between 0 and 1, got {q}")
    x = design.values(column)
    ok = ~np.isnan(x)
    if not ok.any():
        raise EstimationError(f"quantile of {column!r}: no respondent has a value")
    w = design.engine.weights
    xo, wo = x[ok], w[ok]
    qhat = weighted_quantile(xo, wo, q)
    below = np.where(ok, (x <= qhat).astype(np.float64), np.nan)
    lin = design.engine.run([Request(below, ok)], "mean")
    p, se, df = float(lin.estimate[0]), float(lin.se[0]), int(lin.df[0])
    t = float(st.t.ppf(1 - ALPHA / 2, df)) if df >= 1 else math.nan
    p_lo, p_hi = p - t * se, p + t * se
    # R: NaN when the CDF's interval leaves [0, 1] (the quantile is unbounded there).
    lower = math.nan if not p_lo >= 0 else weighted_quantile(xo, wo, p_lo)
    upper = math.nan if not p_hi <= 1 else weighted_quantile(xo, wo, p_hi)
    return Estimate(
        estimate=qhat,
        se=(upper - lower) / (2 * t),
        ci_low=lower,
        ci_high=upper,
        df=df,
        n=int(ok.sum()),
    )
