"""Calibration-aware linearization: residuals of influence values (R ``svyrecvar``).

A calibrated weight reproduces known totals exactly, so the part of an
estimate's error explained by the calibration variables disappears. R removes
it by replacing the influence values z with residuals before the variance sum;
each class below reproduces one of R's rules, applied in the order the
adjustments were made (R keeps a list ``design$postStrata``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from barometre.stats._variance import FloatArray, IntArray, one_hot

# R's svyrecvar runs the raking projections for exactly ten sweeps.
R_RAKING_SWEEPS = 10


@dataclass(frozen=True, slots=True)
class PostStratification:
    """R ``postStratify``: z - w * (old-weighted mean of z / w in the post-stratum)."""

    codes: IntArray
    n_levels: int
    new_weights: FloatArray
    old_weights: FloatArray

    def apply(self, z: FloatArray) -> FloatArray:
        """Residual of ``z`` (n x k) after post-stratification."""
        g = one_hot(self.codes, self.n_levels)
        num = np.asarray(g @ (z * (self.old_weights / self.new_weights)[:, None]))
        den = np.bincount(self.codes, weights=self.old_weights, minlength=self.n_levels)
        return z - self.new_weights[:, None] * (num / den[:, None])[self.codes]


@dataclass(frozen=True, slots=True)
class Raking:
    """R ``rake``: ten sweeps of z <- z - w * (unweighted mean of z / w per margin level).

    The sweeps are run on level totals, not rows: after the sweeps
    z_final = z - w * sum_m a_m[level_m], and a_m only needs the level sums of
    z / w and the margins' two-way counts, so rows are touched twice.
    """

    margins: tuple[IntArray, ...]
    sizes: tuple[int, ...]
    weights: FloatArray

    def apply(self, z: FloatArray) -> FloatArray:
        """Residual of ``z`` (n x k) after raking."""
        hot = [one_hot(c, s) for c, s in zip(self.margins, self.sizes, strict=True)]
        ratio = z / self.weights[:, None]
        level_sums = [np.asarray(h @ ratio) for h in hot]
        counts = [np.asarray(h.sum(axis=1)).reshape(-1) for h in hot]
        cross = [[(hm @ hn.T).toarray() for hn in hot] for hm in hot]
        coef = [np.zeros((s, z.shape[1])) for s in self.sizes]
        for _ in range(R_RAKING_SWEEPS):
            for m in range(len(hot)):
                fitted = sum(cross[m][j] @ coef[j] for j in range(len(hot)))
                coef[m] = coef[m] + (level_sums[m] - fitted) / counts[m][:, None]
        shift = sum(c[codes] for c, codes in zip(coef, self.margins, strict=True))
        return z - self.weights[:, None] * shift


@dataclass(frozen=True, slots=True)
class GregCalibration:
    """R ``calibrate``: z - w * X b, b the design-weighted regression of z / w on X."""

    margins: tuple[IntArray, ...]
    sizes: tuple[int, ...]
    old_weights: FloatArray
    new_weights: FloatArray

    def apply(self, z: FloatArray) -> FloatArray:
        """Residual of ``z`` (n x k) after calibration on the margins' indicators."""
        x = sp.vstack(
            [one_hot(c, s) for c, s in zip(self.margins, self.sizes, strict=True)]
        ).tocsr()  # levels x rows
        gram = (x.multiply(self.old_weights[None, :]) @ x.T).toarray()
        rhs = np.asarray(x @ (z * (self.old_weights / self.new_weights)[:, None]))
        # The one-hot blocks are collinear (each sums to 1): the pseudo-inverse
        # gives the same projection as R's intercept-plus-dummies QR.
        b = np.linalg.pinv(gram) @ rhs
        out: FloatArray = z - self.new_weights[:, None] * np.asarray(x.T @ b)
        return out


Projection = PostStratification | Raking | GregCalibration


def project(projections: tuple[Projection, ...], z: FloatArray) -> FloatArray:
    """Apply every calibration step's residual rule, oldest first."""
    for p in projections:
        z = p.apply(z)
    return z
