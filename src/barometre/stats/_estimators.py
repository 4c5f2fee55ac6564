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
import numpy.typing as npt

from barometre.stats._projections import Projection, project
from barometre.stats._variance import (
    BLOCK,
    CELLS_PER_BLOCK,
    FloatArray,
    IntArray,
    SampleStructure,
    domain_df,
    variances,
)

BoolArray = npt.NDArray[np.bool_]


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
        w = self.weights[:, None]
        n_rows = self.weights.shape[0]
        # Wide blocks amortize per-block costs; ~4e6 cells keep memory in check.
        block = max(BLOCK, CELLS_PER_BLOCK // max(n_rows, 1))
        for start in range(0, k, block):
            chunk = requests[start : start + block]
            mask = np.empty((n_rows, len(chunk)), dtype=bool, order="F")
            values = np.empty((n_rows, len(chunk)), order="F")
            for j, r in enumerate(chunk):
                mask[:, j] = r.mask
                values[:, j] = r.values
            missing = np.isnan(values)
            if missing.any():
                mask &= ~missing
                values[missing] = 0.0
            y = values
            y *= mask
            nonzero[start : start + len(chunk)] = np.count_nonzero(y, axis=0)
            wm = w * mask
            sl = slice(start, start + len(chunk))
            if statistic == "total":
                z = wm * y
                est[sl] = z.sum(axis=0)
            else:
                wsum = wm.sum(axis=0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    mean = (wm * y).sum(axis=0) / wsum
                    y -= mean
                    y *= wm
                    y /= wsum
                    z = y
                z[:, wsum == 0] = 0.0
                est[sl] = mean
            var[sl] = variances(self.structure, project(self.projections, z))
            df[sl] = domain_df(self.structure, mask)
            n[sl] = mask.sum(axis=0)
        return Linearized(
            estimate=est, se=np.sqrt(np.maximum(var, 0.0)), df=df, n=n, nonzero=nonzero
        )
