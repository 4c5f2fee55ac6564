"""Vectorized means, totals and proportions over many (column, domain) pairs.

Each request is one column of values and one domain mask (rows in the domain
with a non-missing value). Requests are stacked into blocks of columns so that
one pass over the data serves many estimates; influence values follow R:

- total: z = w y 1_d
- mean (and proportion, the mean of an indicator): z = w (y - ybar_d) 1_d / W_d

then calibration residuals (``_projections``) and the stratified PSU variance
(``_variance``). Degrees of freedom are R's ``degf`` of the domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from barometre.stats._projections import Projection, project
from barometre.stats._variance import (
    CELLS_PER_BLOCK,
    MIN_BLOCK,
    BoolArray,
    FloatArray,
    IntArray,
    SampleStructure,
    domain_df,
    variances,
)
from barometre.stats.errors import EstimationError


@dataclass(frozen=True, slots=True)
class Request:
    """One estimate to make: values (NaN = missing) restricted to a domain mask."""

    values: FloatArray
    mask: BoolArray


@dataclass(frozen=True, slots=True)
class Linearized:
    """Point estimates, SEs, df, respondent counts and non-zero counts, one per request."""

    estimate: FloatArray
    se: FloatArray
    df: IntArray
    n: IntArray
    nonzero: IntArray
    deff: FloatArray | None = None  # design effect (R svymean/svytotal deff = TRUE)


def srs_variance(
    spread: FloatArray, wsum: FloatArray, nobs: IntArray, statistic: str
) -> FloatArray:
    """Variance under simple random sampling without replacement, as R's ``deff = TRUE``.

    ``spread`` is the weighted sum of squared deviations from the domain mean,
    ``wsum`` the domain's weight total (R's estimate of the population size N)
    and ``nobs`` its respondents: s² (N - n) / (N n) for a mean, times N² for
    a total, with s² = n / (n - 1) * spread / N (R ``svyvar``).
    """
    m = nobs.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = m / (m - 1) * spread / wsum
        out: FloatArray = s2 * (wsum - m) / (wsum * m)
        if statistic == "total":
            out = out * wsum * wsum
    # R returns NA when the weights sum to less than the sample size.
    return np.where(wsum < m, np.nan, out)


def mean_influence(
    weights: FloatArray, values: FloatArray, mask: BoolArray
) -> tuple[float, FloatArray]:
    """A domain mean and its influence values w (y - ybar) 1_d / W_d (before calibration)."""
    ok = mask & ~np.isnan(values)
    wm = np.where(ok, weights, 0.0)
    wsum = float(wm.sum())
    if wsum <= 0:
        raise EstimationError("the domain has no respondent with a value")
    y = np.where(ok, values, 0.0)
    mean = float(wm @ y) / wsum
    z: FloatArray = wm * (y - mean) / wsum
    return mean, z


@dataclass(frozen=True, slots=True)
class Engine:
    """What every estimate of a design needs: weights, structure, calibration steps."""

    weights: FloatArray
    structure: SampleStructure
    projections: tuple[Projection, ...]

    def run(self, requests: Sequence[Request], statistic: str) -> Linearized:
        """Estimate ``statistic`` ("mean" or "total") for every request."""
        k = len(requests)
        est = np.empty(k)
        var = np.empty(k)
        df = np.empty(k, dtype=np.int64)
        n = np.empty(k, dtype=np.int64)
        nonzero = np.empty(k, dtype=np.int64)
        srs = np.empty(k)
        w = self.weights[None, :]
        n_rows = self.weights.shape[0]
        # Domains shared by many requests (a breakdown) get their df once.
        df_of_mask: dict[int, int] = {}
        block = max(MIN_BLOCK, CELLS_PER_BLOCK // max(n_rows, 1))
        for start in range(0, k, block):
            chunk = requests[start : start + block]
            sl = slice(start, start + len(chunk))
            mask = np.empty((len(chunk), n_rows), dtype=bool)
            y = np.empty((len(chunk), n_rows))
            for j, r in enumerate(chunk):
                mask[j] = r.mask
                y[j] = r.values
            missing = np.isnan(y)
            has_missing: BoolArray = np.asarray((missing & mask).any(axis=1))
            if missing.any():
                mask &= ~missing
                y[missing] = 0.0
            y *= mask
            nonzero[sl] = np.count_nonzero(y, axis=1)
            n[sl] = np.count_nonzero(mask, axis=1)
            df[sl] = self._df(chunk, mask, has_missing, df_of_mask)
            wm = mask * w
            wsum = wm.sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.einsum("kn,kn->k", wm, y) / wsum
                spread = np.einsum("kn,kn,kn->k", wm, y, y) - mean * mean * wsum
            srs[sl] = srs_variance(spread, wsum, n[sl], statistic)
            if statistic == "total":
                y *= wm
                est[sl] = y.sum(axis=1)
            else:
                with np.errstate(invalid="ignore", divide="ignore"):
                    y -= mean[:, None]
                    y *= wm
                    y /= wsum[:, None]
                y[wsum == 0] = 0.0
                est[sl] = mean
            var[sl] = variances(self.structure, project(self.projections, y))
        with np.errstate(invalid="ignore", divide="ignore"):
            deff = var / srs
        return Linearized(
            estimate=est,
            se=np.sqrt(np.maximum(var, 0.0)),
            df=df,
            n=n,
            nonzero=nonzero,
            deff=deff,
        )

    def _df(
        self,
        chunk: Sequence[Request],
        mask: BoolArray,
        has_missing: BoolArray,
        cache: dict[int, int],
    ) -> IntArray:
        out = np.empty(len(chunk), dtype=np.int64)
        todo = [j for j in range(len(chunk)) if has_missing[j] or id(chunk[j].mask) not in cache]
        pending = set(todo)
        if todo:
            computed = domain_df(self.structure, mask[todo])
            for j, value in zip(todo, computed, strict=True):
                out[j] = value
                if not has_missing[j]:
                    cache[id(chunk[j].mask)] = int(value)
        for j in range(len(chunk)):
            if j not in pending:
                out[j] = cache[id(chunk[j].mask)]
        return out
