"""Taylor-linearization variance of many estimates at once (as R ``svyrecvar``).

Every estimate here is linearized: its error is approximated by the weighted
total of an influence value z_i per respondent. The variance of that total
under a stratified (cluster) design without replacement is

    V = sum_h (1 - f_h) n_h / (n_h - 1) sum_{j in h} (t_hj - mean_h t)^2

with t_hj the PSU totals of z, n_h the PSUs of stratum h in the whole sample
and f_h = n_h / N_h. Calibration (post-stratification, raking, bounded
raking) enters by replacing z with its residual from the calibration model
before this sum (see ``_projections``).

Layout: influence values are a (k estimates x n rows) array, and the design
keeps its rows sorted by stratum then PSU, so PSU and stratum totals are
contiguous segment sums (``np.add.reduceat``) over a whole block of estimates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from barometre.stats.errors import DesignVariableError, SingletonStratumError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
SingletonPolicy = Literal["fail", "certainty", "adjust", "average"]
SINGLETON_POLICIES: tuple[str, ...] = ("fail", "certainty", "adjust", "average")

# Estimates per block: bounds peak memory at ~CELLS_PER_BLOCK doubles per array.
CELLS_PER_BLOCK = 4_000_000
MIN_BLOCK = 16


def one_hot(codes: IntArray, n_levels: int) -> sp.csr_matrix:
    """Sparse (levels x rows) indicator matrix: one row per level."""
    n = codes.shape[0]
    return sp.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(n_levels, n), dtype=np.float64)


def level_sums(z: FloatArray, hot: sp.csr_matrix) -> FloatArray:
    """Sums of each row of ``z`` (k x n) within levels: (k x levels)."""
    out: FloatArray = np.asarray(hot @ np.ascontiguousarray(z.T)).T
    return out


def segment_sums(z: FloatArray, starts: IntArray) -> FloatArray:
    """Sums of contiguous column segments of ``z`` (k x n) beginning at ``starts``."""
    out: FloatArray = np.add.reduceat(z, starts, axis=1)
    return out


@dataclass(frozen=True, slots=True)
class SampleStructure:
    """Strata, PSUs and finite-population corrections of a row-sorted sample."""

    n_rows: int
    psu_starts: IntArray | None  # first row of each PSU (None: each row is a PSU)
    stratum_starts: IntArray  # first PSU of each stratum (in PSU order)
    psu_stratum: IntArray  # stratum code of each PSU
    n_psu: FloatArray  # PSUs per stratum in the whole sample
    scale: FloatArray  # per stratum: (1 - f) n / (n - 1), or the singleton rule's factor
    centre: BoolArray  # per stratum: centre PSU totals on the stratum mean
    average_factor: float  # "average" policy: H / (H - singletons), else 1
    n_strata: int
    stratum_labels: tuple[str, ...]

    @property
    def n_psus(self) -> int:
        """Number of PSUs in the whole sample."""
        return int(self.psu_stratum.shape[0])

    def psu_totals(self, z: FloatArray) -> FloatArray:
        """PSU totals of each row of ``z`` (k x n) -> (k x PSUs)."""
        return z if self.psu_starts is None else segment_sums(z, self.psu_starts)


def sort_order(stratum: IntArray, psu: IntArray | None) -> IntArray:
    """Row order grouping rows by stratum, then PSU (stable)."""
    keys = (stratum,) if psu is None else (psu, stratum)
    order: IntArray = np.lexsort(keys).astype(np.int64)
    return order


def build_structure(
    stratum: IntArray,
    stratum_labels: Sequence[str],
    psu: IntArray | None,
    fpc: FloatArray | None,
    singleton: SingletonPolicy,
) -> SampleStructure:
    """Per-stratum PSU counts, fpc factors and singleton rule of rows sorted by ``sort_order``."""
    n = stratum.shape[0]
    n_strata = len(stratum_labels)
    if psu is None:
        psu_starts = None
        psu_stratum = stratum
    else:
        # PSU ids are nested in strata (R's nest=TRUE): a new PSU starts where
        # the (stratum, psu) pair changes.
        change = np.ones(n, dtype=bool)
        change[1:] = (stratum[1:] != stratum[:-1]) | (psu[1:] != psu[:-1])
        psu_starts = np.flatnonzero(change).astype(np.int64)
        psu_stratum = stratum[psu_starts]
    n_psu = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    stratum_starts = np.concatenate(([0], np.cumsum(n_psu)[:-1])).astype(np.int64)
    if fpc is None:
        f = np.ones(n_strata)
    else:
        pop = _stratum_constant(fpc, stratum, n_strata, stratum_labels)
        # As R: values <= 1 are sampling fractions, larger ones population sizes.
        f = 1.0 - pop if np.all(pop <= 1.0) else (pop - n_psu) / pop
        if np.any(f < -1e-9):
            bad = stratum_labels[int(np.argmin(f))]
            raise DesignVariableError(
                f"fpc: stratum {bad!r} has more sampled PSUs than its population size"
            )
        f = np.clip(f, 0.0, 1.0)
    lonely = (n_psu == 1) & (f > 1e-7)  # a take-all stratum (f = 0) adds nothing
    if singleton == "fail" and np.any(lonely):
        names = [stratum_labels[int(i)] for i in np.flatnonzero(lonely)]
        raise SingletonStratumError(
            f"stratum {names[0]!r} has a single PSU (singleton policy 'fail'; "
            f"{len(names)} such strata: {names[:5]}). Pass singleton='certainty', "
            "'adjust' or 'average', or give the stratum's population size as fpc "
            "if it was taken whole."
        )
    scale = np.where(n_psu > 1, f * n_psu / np.maximum(n_psu - 1, 1), f)
    centre = np.ones(n_strata, dtype=bool)
    factor = 1.0
    if singleton in ("certainty", "average"):
        scale = np.where(lonely, 0.0, scale)
    if singleton == "adjust":
        centre = ~lonely  # deviation from the grand mean, not the stratum's
    if singleton == "average" and np.any(lonely):
        factor = n_strata / (n_strata - int(np.sum(lonely)))
    return SampleStructure(
        n_rows=n,
        psu_starts=psu_starts,
        stratum_starts=stratum_starts,
        psu_stratum=psu_stratum,
        n_psu=n_psu,
        scale=scale,
        centre=centre,
        average_factor=factor,
        n_strata=n_strata,
        stratum_labels=tuple(stratum_labels),
    )


def _stratum_constant(
    values: FloatArray, stratum: IntArray, n_strata: int, labels: Sequence[str]
) -> FloatArray:
    """The one value a stratum-level column takes in each stratum."""
    lo = np.full(n_strata, np.inf)
    hi = np.full(n_strata, -np.inf)
    np.minimum.at(lo, stratum, values)
    np.maximum.at(hi, stratum, values)
    if np.any(hi - lo > 1e-9 * np.maximum(np.abs(hi), 1.0)):
        bad = labels[int(np.argmax(hi - lo))]
        raise DesignVariableError(f"fpc: stratum {bad!r} has more than one value")
    return lo


def _centred_psu_totals(s: SampleStructure, z: FloatArray) -> FloatArray:
    t = s.psu_totals(z)
    mean = segment_sums(t, s.stratum_starts) / s.n_psu[None, :]
    mean[:, ~s.centre] = 0.0
    out: FloatArray = t - np.repeat(mean, s.n_psu.astype(np.int64), axis=1)
    return out


def variances(s: SampleStructure, z: FloatArray) -> FloatArray:
    """Variance of the total of each row of ``z`` (k x n) -> (k,)."""
    tc = _centred_psu_totals(s, z)
    w = s.scale[s.psu_stratum]
    out: FloatArray = np.einsum("kj,kj,j->k", tc, tc, w) * s.average_factor
    return out


def covariance(s: SampleStructure, z: FloatArray) -> FloatArray:
    """Full covariance matrix of the totals of the rows of ``z`` (k x n) -> (k x k)."""
    tc = _centred_psu_totals(s, z) * np.sqrt(s.scale[s.psu_stratum])[None, :]
    out: FloatArray = (tc @ tc.T) * s.average_factor
    return out


def domain_df(s: SampleStructure, mask: BoolArray) -> IntArray:
    """R's degf of a subset, per row of ``mask`` (k x n): PSUs in it minus strata in it."""
    m = mask.astype(np.float64)
    psu_hit = (s.psu_totals(m) > 0).astype(np.float64)
    strata_hit = segment_sums(psu_hit, s.stratum_starts) > 0
    df: IntArray = (psu_hit.sum(axis=1) - strata_hit.sum(axis=1)).astype(np.int64)
    return df
