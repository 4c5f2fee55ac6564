"""Calibration-aware linearization: residuals of influence values (R ``svyrecvar``).

A calibrated weight reproduces known totals exactly, so the part of an
estimate's error explained by the calibration variables disappears. R removes
it by replacing the influence values z with residuals before the variance sum;
each class below reproduces one of R's rules, applied in the order the
adjustments were made (R keeps a list ``design$postStrata``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

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
    hot: sp.csr_matrix = field(init=False)
    cross: FloatArray = field(init=False)
    counts: FloatArray = field(init=False)
    offsets: tuple[int, ...] = field(init=False)
    codes: IntArray = field(init=False)

    def __post_init__(self) -> None:
        offsets = tuple(int(x) for x in np.cumsum((0, *self.sizes)))
        hot = sp.vstack(
            [one_hot(c, s) for c, s in zip(self.margins, self.sizes, strict=True)]
        ).tocsr()
        set_ = object.__setattr__
        set_(self, "offsets", offsets)
        set_(self, "hot", hot.multiply(1.0 / self.weights[None, :]).tocsr())
        set_(self, "cross", (hot @ hot.T).toarray())
        set_(self, "counts", np.asarray(hot.sum(axis=1)).reshape(-1))
        # Row -> stacked level index, one column per margin, for the final shift.
        set_(self, "codes", np.column_stack([c + o for c, o in zip(self.margins, offsets, strict=False)]))

    def apply(self, z: FloatArray) -> FloatArray:
        """Residual of ``z`` (n x k) after raking."""
        level_sums = np.asarray(self.hot @ z)  # sum of z / w in each level
        coef = np.zeros_like(level_sums)
        for _ in range(R_RAKING_SWEEPS):
            for lo, hi in itertools.pairwise(self.offsets):
                fitted = self.cross[lo:hi] @ coef
                coef[lo:hi] += (level_sums[lo:hi] - fitted) / self.counts[lo:hi, None]
        shift = coef[self.codes[:, 0]]
        for m in range(1, self.codes.shape[1]):
            shift += coef[self.codes[:, m]]
        shift *= self.weights[:, None]
        out: FloatArray = z - shift
        return out


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
