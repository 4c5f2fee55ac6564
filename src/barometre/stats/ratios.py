"""Ratio of two totals, as R ``svyratio``: R = Y / X with influence w (y - R x) / X."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from barometre.stats._estimators import Request
from barometre.stats._intervals import mean_interval
from barometre.stats.errors import EstimationError
from barometre.stats.results import Estimate

if TYPE_CHECKING:
    from barometre.stats.design import Design

ALPHA = 0.05


def ratio(design: Design, numerator: str, denominator: str) -> Estimate:
    """Ratio of the weighted totals of two numeric columns (rows missing either left out)."""
    y, x = design.values(numerator), design.values(denominator)
    ok = ~np.isnan(y) & ~np.isnan(x)
    w = np.where(ok, design.engine.weights, 0.0)
    yy, xx = np.where(ok, y, 0.0), np.where(ok, x, 0.0)
    x_total = float(w @ xx)
    if x_total == 0:
        raise EstimationError(
            f"ratio {numerator!r} / {denominator!r}: the denominator's total is zero"
        )
    r = float(w @ yy) / x_total
    resid = np.where(ok, (yy - r * xx) / x_total, np.nan)
    lin = design.engine.run([Request(resid, ok)], "total")
    est = np.array([r])
    lo, hi = mean_interval(est, lin.se, lin.df, ALPHA)
    return Estimate(
        estimate=r,
        se=float(lin.se[0]),
        ci_low=float(lo[0]),
        ci_high=float(hi[0]),
        df=int(lin.df[0]),
        n=int(lin.n[0]),
    )
