"""Confidence intervals: Student t for means and totals, R ``svyciprop`` for proportions.

Rule at the boundary (R returns NaN there): when no respondent of the domain,
or every one, has the level, the weighted proportion is 0 or 1 and its
linearized SE is 0, which says nothing about uncertainty. We return se = 0 and
the Clopper-Pearson exact interval for 0 (or n) successes out of the n
respondents, [0, 1 - (alpha/2)^(1/n)] or [(alpha/2)^(1/n), 1]: the design
effect cannot be estimated without variation, so the unweighted count is the
honest sample size. When 0 < p < 1 but the SE is 0 (a level that is itself a
calibration margin is known exactly), the interval is [p, p].
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import stats as st

from barometre.stats._variance import FloatArray, IntArray

CiMethod = Literal["logit", "beta", "mean"]
CI_METHODS: tuple[str, ...] = ("logit", "beta", "mean")


def t_quantile(df: IntArray, alpha: float) -> FloatArray:
    """Upper alpha/2 quantile of Student t on ``df`` (NaN where df < 1)."""
    d = df.astype(np.float64)
    out = np.full(d.shape, np.nan)
    ok = d >= 1
    # A batch has few distinct df: one quantile per distinct value.
    distinct, where = np.unique(d[ok], return_inverse=True)
    out[ok] = np.asarray(st.t.ppf(1 - alpha / 2, distinct))[where.reshape(-1)]
    return out


def mean_interval(
    est: FloatArray, se: FloatArray, df: IntArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    """est -/+ t(df) se; unbounded when the domain leaves no degree of freedom."""
    q = t_quantile(df, alpha)
    lo = np.where(np.isnan(q), -np.inf, est - q * se)
    hi = np.where(np.isnan(q), np.inf, est + q * se)
    return lo, hi


def proportion_interval(
    p: FloatArray,
    se: FloatArray,
    df: IntArray,
    n: IntArray,
    n_rows: IntArray,
    yes: IntArray,
    method: str,
    alpha: float,
) -> tuple[FloatArray, FloatArray]:
    """R svyciprop's interval for each proportion, with the boundary rule above.

    ``n_rows`` is R's ``nrow(design)`` used by the "beta" method's df correction.
    """
    q = t_quantile(df, alpha)
    lo = np.full(p.shape, np.nan)
    hi = np.full(p.shape, np.nan)
    zero = yes == 0
    full = yes == n
    exact = ~zero & ~full & (se <= 1e-9 * np.maximum(p * (1 - p), 1e-300) ** 0.5)
    no_df = np.isnan(q) & ~zero & ~full & ~exact
    inner = ~zero & ~full & ~exact & ~no_df
    pi, si, qi = p[inner], se[inner], q[inner]
    if method == "logit":
        centre = np.log(pi / (1 - pi))
        half = qi * si / (pi * (1 - pi))
        lo[inner] = 1 / (1 + np.exp(-(centre - half)))
        hi[inner] = 1 / (1 + np.exp(-(centre + half)))
    elif method == "mean":
        lo[inner] = pi - qi * si
        hi[inner] = pi + qi * si
    elif method == "beta":
        half_alpha = alpha / 2
        n_eff = pi * (1 - pi) / si**2
        d = df[inner].astype(np.float64)
        rows = n_rows[inner].astype(np.float64)
        n_eff = n_eff * (st.t.ppf(half_alpha, rows - 1) / st.t.ppf(half_alpha, d)) ** 2
        lo[inner] = st.beta.ppf(half_alpha, n_eff * pi, n_eff * (1 - pi) + 1)
        hi[inner] = st.beta.ppf(1 - half_alpha, n_eff * pi + 1, n_eff * (1 - pi))
    else:
        raise ValueError(f"ci must be one of {CI_METHODS}, got {method!r}")
    nn = np.maximum(n, 1).astype(np.float64)
    lo[zero], hi[zero] = 0.0, 1 - (alpha / 2) ** (1 / nn[zero])
    lo[full], hi[full] = (alpha / 2) ** (1 / nn[full]), 1.0
    lo[exact], hi[exact] = p[exact], p[exact]
    lo[no_df], hi[no_df] = 0.0, 1.0
    return lo, hi
