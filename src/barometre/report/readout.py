"""Reader-facing numeric read-outs of a wave: headcount, tested size gaps, design effects.

What `barometre.stats` offers next to R survey, used where it serves a reader:

- `headcount_summary`: the weighted median headcount with R `svyquantile`'s default interval
  (Woodruff's), and the weighted mean with the symmetric interval and Hall's
  skewness-corrected one (`report.skewed`: headcount is heavily right-skewed and the
  symmetric interval misses the truth above it too often);
- `gap_bands` / `size_gaps`: each key share in the largest size band minus the smallest
  (R `svycontrast`, the covariance of the two domains included), tested, Holm-adjusted
  across the family of gaps, in points with its CI;
- `key_precision`: the design effect and effective sample size n / deff of each key share
  (R `svymean(..., deff = TRUE)`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats as st

from barometre.report.results import DomainGap, KeyPrecision, NumericSummary
from barometre.report.skewed import skewed_mean
from barometre.stats import StatsError
from barometre.stats.change import Adjustment, adjust_p_values

if TYPE_CHECKING:
    from barometre.stats import Design

__all__ = [
    "DomainGap",
    "KeyPrecision",
    "NumericSummary",
    "gap_bands",
    "headcount_summary",
    "key_precision",
    "size_gaps",
]

HEADCOUNT = "headcount"
SIZE = "size_band"


def _finite(x: Any) -> float | None:
    v = float(x)
    return v if math.isfinite(v) else None


def headcount_summary(design: Design, column: str = HEADCOUNT) -> NumericSummary | None:
    """Median and mean of `column` with their intervals; None when fewer than 2 answered."""
    if column not in design.data.columns:
        return None
    values = design.values(column)
    if int(np.count_nonzero(~np.isnan(values))) < 2:
        return None
    median = design.quantile(column, 0.5)
    mean = skewed_mean(design, column)
    deff = design.mean(column).deff
    return NumericSummary(
        variable=column,
        n=mean.n,
        median=_finite(median.estimate),
        median_ci_low=_finite(median.ci_low),
        median_ci_high=_finite(median.ci_high),
        mean=_finite(mean.estimate),
        mean_se=_finite(mean.se),
        mean_ci_low=_finite(mean.ci_low),
        mean_ci_high=_finite(mean.ci_high),
        skewed_ci_low=_finite(mean.skewed_ci_low),
        skewed_ci_high=_finite(mean.skewed_ci_high),
        skewness=_finite(mean.skewness),
        df=mean.df,
        skewed_df=_finite(mean.satterthwaite_df),
        deff=_finite(deff),
    )


def gap_bands(
    domains: Sequence[str], bases: Mapping[str, int], min_base: int
) -> tuple[tuple[str, str], ...]:
    """The pair of size bands a gap is tested between: the largest band minus the smallest.

    `domains` in size order; a band whose base is under `min_base` is passed over (its
    share is not published), so the pair is the extreme bands that are. Empty when fewer
    than two bands qualify.
    """
    shown = [d for d in domains if bases.get(d, 0) >= max(min_base, 1)]
    return ((shown[-1], shown[0]),) if len(shown) >= 2 else ()


def size_gaps(
    design: Design,
    columns: Mapping[str, str],
    bases: Mapping[str, Mapping[str, int]],
    domains: Sequence[str],
    min_base: int,
    *,
    variable: str = SIZE,
    adjustment: Adjustment = "holm",
) -> tuple[DomainGap, ...]:
    """Each indicator's gap between size bands, tested and adjusted across the family.

    `columns`: indicator id -> its 0/1 column in `design` (missing outside its base);
    `bases`: indicator id -> {band: respondents in the base}; `domains`: the bands in size
    order. The p-values are two-sided t tests on the design df, adjusted together
    (`adjustment`, Holm by default) over every gap returned.
    """
    raw: list[tuple[str, str, str, Any, Any, Any, int, int, float]] = []
    for ind, column in columns.items():
        for a, b in gap_bands(domains, bases.get(ind, {}), min_base):
            try:
                diff = design.contrast(column, by=variable, a=a, b=b)
                mean_a = design.by(variable).mean(column)
            except StatsError:
                continue
            if not (math.isfinite(diff.se) and diff.se > 0):
                continue
            statistic = diff.estimate / diff.se
            p = float(2 * st.t.sf(abs(statistic), diff.df)) if diff.df >= 1 else math.nan
            if not math.isfinite(p):
                continue
            share_a, share_b = _domain_value(mean_a, a), _domain_value(mean_a, b)
            n_a, n_b = bases[ind][a], bases[ind][b]
            raw.append((ind, a, b, diff, share_a, share_b, n_a, n_b, p))
    adjusted = adjust_p_values([r[-1] for r in raw], adjustment)
    return tuple(
        DomainGap(
            indicator_id=ind,
            variable=variable,
            domain_a=a,
            domain_b=b,
            share_a=share_a,
            share_b=share_b,
            difference=float(diff.estimate),
            se=float(diff.se),
            ci_low=float(diff.ci_low),
            ci_high=float(diff.ci_high),
            p_value=p,
            p_adjusted=p_adj,
            n_a=n_a,
            n_b=n_b,
            adjustment=adjustment,
        )
        for (ind, a, b, diff, share_a, share_b, n_a, n_b, p), p_adj in zip(
            raw, adjusted, strict=True
        )
    )


def _domain_value(estimates: Mapping[Any, Any], domain: str) -> float:
    for key, est in estimates.items():
        if str(key) == domain:
            return float(est.estimate)
    raise KeyError(domain)


def key_precision(
    design: Design, columns: Mapping[str, str], bases: Mapping[str, int]
) -> tuple[KeyPrecision, ...]:
    """The design effect and effective sample size of each key share (its 0/1 column)."""
    out = []
    for ind, column in columns.items():
        try:
            est = design.mean(column)
        except StatsError:
            continue
        if not (math.isfinite(est.deff) and est.deff > 0):
            continue
        n = bases.get(ind, est.n)
        out.append(
            KeyPrecision(
                indicator_id=ind,
                estimate=float(est.estimate),
                se=float(est.se),
                n=int(n),
                deff=float(est.deff),
                effective_n=n / float(est.deff),
            )
        )
    return tuple(out)
