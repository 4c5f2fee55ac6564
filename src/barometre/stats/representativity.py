"""Representativity of the responding set: R-indicator and partial R-indicators.

Schouten, Cobben and Bethlehem (2009), "Indicators for the representativeness of survey
response", Survey Methodology 35(1); partial indicators after Schouten, Shlomo and Skinner
(2011), Journal of Official Statistics 27(2). Response propensities rho_i are fitted by a
design-weighted logistic regression of "responded" on the auxiliaries (main effects) over
the sampled units (or the frame); then

- R = 1 - 2 S(rho), S the design-weighted SD of the propensities (divisor N - 1, N the
  sum of the weights, as in the paper): 1 when everyone is as
  likely to answer, lower as response depends on the auxiliaries;
- the maximal absolute bias of a respondent mean, in SDs of the variable:
  B = (1 - R) / (2 mean(rho));
- the unconditional partial indicator of a variable X: the between-category SD of the
  propensities, sqrt(sum_k N_k / N (rho_k - rho)^2), and per category its signed term
  sqrt(N_k / N) (rho_k - rho) (negative: the category answers less);
- the conditional partial indicator of X: the SD of the propensities within the cells of
  the other auxiliaries, i.e. what X adds once they are known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from barometre.stats._variance import FloatArray
from barometre.stats.errors import ColumnNotFoundError, EstimationError, StatsError


@dataclass(frozen=True)
class PartialR:
    """The partial R-indicators of one auxiliary."""

    variable: str
    unconditional: float
    conditional: float
    categories: tuple[tuple[str, float], ...]  # (category, signed unconditional partial)


@dataclass(frozen=True)
class RIndicators:
    """R-indicator of a responding set, with its partial indicators per auxiliary."""

    r_indicator: float
    response_rate: float  # design-weighted mean propensity
    propensity_sd: float
    max_bias: float  # (1 - R) / (2 response rate): bound on |bias| / SD of any mean
    n: int
    partials: tuple[PartialR, ...]


def _design_matrix(frame: pl.DataFrame, auxiliaries: Sequence[str]) -> FloatArray:
    blocks = [np.ones((frame.height, 1))]
    for name in auxiliaries:
        codes = frame[name].cast(pl.String).to_numpy()
        levels = sorted(set(codes.tolist()))
        for level in levels[1:]:
            blocks.append((codes == level).astype(np.float64)[:, None])
    out: FloatArray = np.hstack(blocks)
    return out


def _fit_propensities(x: FloatArray, y: FloatArray, w: FloatArray) -> FloatArray:
    """Weighted logistic regression by IRLS (ridge-stabilised for empty categories)."""
    beta = np.zeros(x.shape[1])
    p = np.full(y.shape[0], float(np.average(y, weights=w)))
    for _ in range(100):
        eta = np.clip(x @ beta, -30, 30)
        p = 1.0 / (1.0 + np.exp(-eta))
        v = w * p * (1 - p)
        hess = x.T @ (x * v[:, None]) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, x.T @ (w * (y - p)))
        beta = beta + step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    eta = np.clip(x @ beta, -30, 30)
    out: FloatArray = 1.0 / (1.0 + np.exp(-eta))
    return out


def _group_sd(rho: FloatArray, w: FloatArray, groups: np.ndarray, within: bool) -> float:
    """Between-group (or within-group) SD of rho, design-weighted over N = sum w."""
    _, inverse = np.unique(groups, return_inverse=True)
    inverse = inverse.reshape(-1)
    sums = np.bincount(inverse, weights=w)
    means = np.bincount(inverse, weights=w * rho) / sums
    total = float(w.sum())
    if within:
        return float(np.sqrt(np.sum(w * (rho - means[inverse]) ** 2) / total))
    grand = float(np.sum(w * rho) / total)
    return float(np.sqrt(np.sum(sums * (means - grand) ** 2) / total))


def representativity(
    frame_or_sample: pl.DataFrame,
    responded: str,
    auxiliaries: Sequence[str],
    *,
    weights: str | None = None,
) -> RIndicators:
    """R-indicator and partial R-indicators of the respondents among `frame_or_sample`.

    `responded` is a 0/1 (or boolean) column; `auxiliaries` are categorical columns known
    for every unit (registry variables); `weights` are design weights (None: all equal,
    e.g. the whole frame).
    """
    if not auxiliaries:
        raise StatsError("representativity: give at least one auxiliary variable")
    needed = [responded, *auxiliaries] + ([weights] if weights else [])
    missing = [c for c in needed if c not in frame_or_sample.columns]
    if missing:
        raise ColumnNotFoundError(f"representativity: no column(s) {missing}")
    nulls = [c for c in needed if frame_or_sample[c].null_count()]
    if nulls:
        raise StatsError(f"representativity: column(s) {nulls} have missing values")
    y = frame_or_sample[responded].cast(pl.Float64).to_numpy()
    if not np.all((y == 0) | (y == 1)):
        raise StatsError(f"representativity: {responded!r} must be 0/1 (responded or not)")
    w = (
        np.ones(frame_or_sample.height)
        if weights is None
        else frame_or_sample[weights].cast(pl.Float64).to_numpy()
    )
    if np.any(~np.isfinite(w)) or np.any(w <= 0):
        raise StatsError(f"representativity: weights {weights!r} must be positive")
    if y.sum() == 0 or y.sum() == y.shape[0]:
        raise EstimationError("representativity: needs both respondents and non-respondents")
    rho = _fit_propensities(_design_matrix(frame_or_sample, auxiliaries), y, w)
    total = float(w.sum())
    mean = float(np.sum(w * rho) / total)
    n = frame_or_sample.height
    sd = float(np.sqrt(np.sum(w * (rho - mean) ** 2) / (total - 1.0)))
    r = 1.0 - 2.0 * sd
    partials = []
    for name in auxiliaries:
        codes = frame_or_sample[name].cast(pl.String).to_numpy()
        unconditional = _group_sd(rho, w, codes, within=False)
        others = [a for a in auxiliaries if a != name]
        if others:
            cells = (
                frame_or_sample.select(
                    pl.concat_str([pl.col(a).cast(pl.String) for a in others], separator="\x1f")
                )
                .to_series()
                .to_numpy()
            )
            conditional = _group_sd(rho, w, cells, within=True)
        else:
            conditional = unconditional
        categories = []
        for level in sorted(set(codes.tolist())):
            mask = codes == level
            share = float(w[mask].sum()) / total
            level_mean = float(np.sum(w[mask] * rho[mask]) / w[mask].sum())
            categories.append((str(level), float(np.sqrt(share) * (level_mean - mean))))
        partials.append(PartialR(name, unconditional, conditional, tuple(categories)))
    return RIndicators(
        r_indicator=r,
        response_rate=mean,
        propensity_sd=sd,
        max_bias=(1.0 - r) / (2.0 * mean),
        n=n,
        partials=tuple(partials),
    )
