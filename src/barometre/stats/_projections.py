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

from barometre.stats._variance import FloatArray, IntArray, level_sums, one_hot

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
        """Residual of ``z`` (k x n) after post-stratification."""
        num = level_sums(z * (self.old_weights / self.new_weights)[None, :], self.hot())
        den = np.bincount(self.codes, weights=self.old_weights, minlength=self.n_levels)
        out: FloatArray = z - self.new_weights[None, :] * (num / den[None, :])[:, self.codes]
        return out

    def hot(self) -> sp.csr_matrix:
        """Level x row indicator matrix."""
        return one_hot(self.codes, self.n_levels)


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
        hot = stacked_one_hot(self.margins, self.sizes)
        set_ = object.__setattr__
        set_(self, "offsets", offsets)
        set_(self, "hot", hot.multiply(1.0 / self.weights[None, :]).tocsr())
        set_(self, "cross", (hot @ hot.T).toarray())
        set_(self, "counts", np.asarray(hot.sum(axis=1)).reshape(-1))
        stacked = [c + o for c, o in zip(self.margins, offsets, strict=False)]
        set_(self, "codes", np.column_stack(stacked))

    def apply(self, z: FloatArray) -> FloatArray:
        """Residual of ``z`` (k x n) after raking."""
        sums = level_sums(z, self.hot)  # sum of z / w in each level
        coef = np.zeros_like(sums)
        for _ in range(R_RAKING_SWEEPS):
            for lo, hi in itertools.pairwise(self.offsets):
                fitted = coef @ self.cross[lo:hi].T
                coef[:, lo:hi] += (sums[:, lo:hi] - fitted) / self.counts[None, lo:hi]
        shift = coef[:, self.codes[:, 0]]
        for m in range(1, self.codes.shape[1]):
            shift += coef[:, self.codes[:, m]]
        shift *= self.weights[None, :]
        out: FloatArray = z - shift
        return out


def stacked_one_hot(margins: tuple[IntArray, ...], sizes: tuple[int, ...]) -> sp.csr_matrix:
    """Indicators of every margin's levels, stacked: (sum of levels) x rows."""
    return sp.vstack([one_hot(c, s) for c, s in zip(margins, sizes, strict=True)]).tocsr()


@dataclass(frozen=True, slots=True)
class GregCalibration:
    """R ``calibrate``: z - w * X b, b the design-weighted regression of z / w on X.

    The margins' indicators and the pseudo-inverse of their weighted Gram matrix depend on
    the design only: they are computed once here, not for every block of estimates (a
    report applies the rule hundreds of times).
    """

    margins: tuple[IntArray, ...]
    sizes: tuple[int, ...]
    old_weights: FloatArray
    new_weights: FloatArray
    hot: sp.csr_matrix = field(init=False)
    gram_pinv: FloatArray = field(init=False)

    def __post_init__(self) -> None:
        x = stacked_one_hot(self.margins, self.sizes)  # levels x rows
        gram = (x.multiply(self.old_weights[None, :]) @ x.T).toarray()
        object.__setattr__(self, "hot", x)
        # The one-hot blocks are collinear (each sums to 1): the pseudo-inverse
        # gives the same projection as R's intercept-plus-dummies QR.
        object.__setattr__(self, "gram_pinv", np.linalg.pinv(gram))

    def apply(self, z: FloatArray) -> FloatArray:
        """Residual of ``z`` (k x n) after calibration on the margins' indicators."""
        x = self.hot
        rhs = level_sums(z * (self.old_weights / self.new_weights)[None, :], x)
        b = rhs @ self.gram_pinv.T
        fitted = np.asarray(x.T @ np.ascontiguousarray(b.T)).T
        out: FloatArray = z - self.new_weights[None, :] * fitted
        return out


Projection = PostStratification | Raking | GregCalibration


def project(projections: tuple[Projection, ...], z: FloatArray) -> FloatArray:
    """Apply every calibration step's residual rule, oldest first."""
    for p in projections:
        z = p.apply(z)
    return z
