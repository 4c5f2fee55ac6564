"""An interval for the mean of a skewed variable (headcount) that covers: Hall's correction.

The symmetric interval ybar -/+ t se assumes the studentised mean T = (ybar - mu) / se is
symmetric. For a right-skewed variable it is not: a sample that misses the few large firms
has both a small mean and a small SE, so T has a long left tail and the symmetric interval
misses the truth above it too often. Hall (1992, "On the removal of skewness by
transformation", JRSS B 54) removes the first-order skewness with the monotone cubic

    g(T) = T + k/6 + k T^2 / 3 + k^2 T^3 / 27 = ((1 + k T / 3)^3 - 1) / k + k/6

where k is the skewness of the estimator itself (gamma / sqrt(n) for a simple random sample
of a variable of skewness gamma: a / sqrt(n) = 1/3, b / sqrt(n) = 1/6 in Hall's notation,
Johnson's 1978 correction being its first-order part). g(T) is referred to Student t and
inverted, T = (3 / k) ((1 + k (u - k / 6))^(1/3) - 1), so the interval is

    [ybar - se T(q), ybar - se T(-q)],    q = t(1 - alpha/2, df)

wider on the right when k > 0.

For a design-weighted mean the estimator is linearised as the total of influence values
z_i (after the calibration's projection, as every variance of `barometre.stats`), and its
third cumulant is estimated per stratum from the PSU totals t_hj as the variance is:

    k3 = sum_h (1 - f_h)(1 - 2 f_h) n_h^2 / ((n_h - 1)(n_h - 2)) sum_j (t_hj - tbar_h)^3

(the unbiased third k-statistic of a sum of n_h draws, with SRSWOR's finite-population
factor), k = k3 / se^3. The df is Satterthwaite's for a stratified variance,
(sum_h v_h)^2 / sum_h v_h^2 / (n_h - 1), v_h stratum h's share of the variance: a few strata
of large firms carry most of the variance of mean headcount, and they have few respondents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats as st

from barometre.stats import EstimationError
from barometre.stats._estimators import mean_influence
from barometre.stats._projections import project

if TYPE_CHECKING:
    from barometre.stats import Design

ALPHA = 0.05
_FLAT = 1e-8  # |k| below this: no skewness to correct, g is the identity


@dataclass(frozen=True)
class SkewedMean:
    """A design-weighted mean with the symmetric and Hall's skewness-corrected intervals."""

    column: str
    estimate: float
    se: float
    n: int
    df: int  # design df (PSUs minus strata), the symmetric interval's
    ci_low: float  # symmetric: estimate -/+ t(df) se
    ci_high: float
    skewness: float  # k: the estimator's skewness
    satterthwaite_df: float
    skewed_ci_low: float  # Hall's interval on the Satterthwaite df
    skewed_ci_high: float


def hall_interval(
    estimate: float, se: float, skewness: float, df: float, alpha: float = ALPHA
) -> tuple[float, float]:
    """Hall's skewness-corrected interval of a mean of SE `se` and estimator skewness k."""
    if not df > 0:
        return -math.inf, math.inf  # no degree of freedom: unbounded, as the t interval
    if not math.isfinite(se):
        return math.nan, math.nan
    if se == 0:
        return estimate, estimate
    q = float(st.t.ppf(1 - alpha / 2, df))
    k = skewness if math.isfinite(skewness) else 0.0

    def inverse(u: float) -> float:
        if abs(k) < _FLAT:
            return u
        return float(3.0 / k * (np.cbrt(1.0 + k * (u - k / 6.0)) - 1.0))

    return estimate - se * inverse(q), estimate - se * inverse(-q)


def skewed_mean(design: Design, column: str, alpha: float = ALPHA) -> SkewedMean:
    """The weighted mean of `column` (missing values left out) with both intervals."""
    y = design.values(column)
    ok = ~np.isnan(y)
    if int(ok.sum()) < 2:
        raise EstimationError(f"mean of {column!r}: fewer than two respondents have a value")
    plain = design.mean(column)
    _, z = mean_influence(design.engine.weights, y, ok)
    z = project(design.engine.projections, z[None, :])
    s = design.structure
    t = s.psu_totals(z)[0]
    n_h = s.n_psu
    sums = np.add.reduceat(t, s.stratum_starts)
    centre = np.where(s.centre, sums / n_h, 0.0)
    dev = t - np.repeat(centre, n_h.astype(np.int64))
    sq = np.add.reduceat(dev**2, s.stratum_starts)
    cube = np.add.reduceat(dev**3, s.stratum_starts)
    v_h = s.scale * sq * s.average_factor
    # (1 - f) back from the scale (1 - f) n / (n - 1); singleton strata carry no third moment.
    with np.errstate(invalid="ignore", divide="ignore"):
        one_minus_f = np.where(n_h > 1, s.scale * (n_h - 1) / n_h, 0.0)
        third = np.where(
            n_h > 2,
            one_minus_f * (1 - 2 * (1 - one_minus_f)) * n_h**2 / ((n_h - 1) * (n_h - 2)) * cube,
            0.0,
        )
    var = float(v_h.sum())
    se = math.sqrt(max(var, 0.0))
    k = float(third.sum()) / se**3 if se > 0 else 0.0
    several = n_h > 1
    denom = float(np.sum(v_h[several] ** 2 / (n_h[several] - 1)))
    df_s = var**2 / denom if denom > 0 else float(plain.df)
    lo, hi = hall_interval(plain.estimate, se, k, df_s, alpha)
    return SkewedMean(
        column=column,
        estimate=plain.estimate,
        se=plain.se,
        n=plain.n,
        df=plain.df,
        ci_low=plain.ci_low,
        ci_high=plain.ci_high,
        skewness=k,
        satterthwaite_df=df_s,
        skewed_ci_low=lo,
        skewed_ci_high=hi,
    )
