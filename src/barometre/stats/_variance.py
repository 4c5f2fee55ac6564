"""Taylor-linearization variance of many estimates at once (as R ``svyrecvar``).

Every estimate here is linearized: its error is approximated by the weighted
total of an influence value z_i per respondent. The variance of that total
under a stratified (cluster) design without replacement is

    V = sum_h (1 - f_h) n_h / (n_h - 1) sum_{j in h} (t_hj - mean_h t)^2

with t_hj the PSU totals of z, n_h the PSUs of stratum h in the whole sample
and f_h = n_h / N_h. Calibration (post-stratification, raking, bounded
raking) enters by replacing z with its residual from the calibration model
before this sum (see ``_calibration_projection``). Columns of z are processed
together, so thousands of estimates cost a few passes over the data.
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
SingletonPolicy = Literal["fail", "certainty", "adjust", "average"]
SINGLETON_POLICIES: tuple[str, ...] = ("fail", "certainty", "adjust", "average")

# Columns per block: bounds peak memory at n x 64 doubles (512 MB at 10^6).
BLOCK = 64
# Rows x columns of one block of influence values in the estimators (32 MB).
CELLS_PER_BLOCK = 4_000_000


def one_hot(codes: IntArray, n_levels: int) -> sp.csr_matrix:
    """Sparse (levels x rows) indicator matrix: one row per level."""
    n = codes.shape[0]
    return sp.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(n_levels, n), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class SampleStructure:
    """Strata, PSUs and finite-population corrections of a sample."""

    stratum: IntArray  # stratum code of each row
    psu: IntArray | None  # PSU code of each row (None: each row is its own PSU)
    psu_stratum: IntArray  # stratum code of each PSU
    n_psu: FloatArray  # PSUs per stratum in the whole sample
    scale: FloatArray  # per stratum: (1 - f) n / (n - 1), or the singleton rule's factor
    centre: npt.NDArray[np.bool_]  # per stratum: centre PSU totals on the stratum mean
    drop_average: bool  # "average" policy with singletons present
    n_strata: int
    n_singletons: int
    stratum_labels: tuple[str, ...]
    psu_matrix: sp.csr_matrix | None  # PSU x rows
    stratum_matrix: sp.csr_matrix  # strata x rows
    psu_to_stratum: sp.csr_matrix  # strata x PSUs

    @property
    def n_rows(self) -> int:
        """Number of respondents."""
        return int(self.stratum.shape[0])

    @property
    def n_psus(self) -> int:
        """Number of PSUs in the whole sample."""
        return int(self.psu_stratum.shape[0])


def build_structure(
    stratum: IntArray,
    stratum_labels: Sequence[str],
    psu: IntArray | None,
    fpc: FloatArray | None,
    singleton: SingletonPolicy,
) -> SampleStructure:
    """Derive per-stratum PSU counts, fpc factors and singleton handling."""
    n_strata = len(stratum_labels)
    if psu is None:
        psu_stratum = stratum
        psu_matrix = None
    else:
        # PSU ids are nested in strata (R's nest=TRUE): recode (stratum, psu) pairs.
        pairs = stratum.astype(np.int64) * (int(psu.max()) + 1) + psu
        uniq, inverse = np.unique(pairs, return_inverse=True)
        psu = inverse.astype(np.int64).reshape(-1)
        first_row = np.zeros(uniq.shape[0], dtype=np.int64)
        first_row[psu[::-1]] = np.arange(psu.shape[0])[::-1]
        psu_stratum = stratum[first_row]
        psu_matrix = one_hot(psu, int(uniq.shape[0]))
    n_psu = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
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
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n_psu > 1, f * n_psu / np.maximum(n_psu - 1, 1), f)
    centre = np.ones(n_strata, dtype=bool)
    if singleton == "certainty":
        scale = np.where(lonely, 0.0, scale)
    elif singleton == "adjust":
        centre = ~lonely  # deviation from the grand mean, not the stratum's
    elif singleton == "average":
        scale = np.where(lonely, 0.0, scale)
    return SampleStructure(
        stratum=stratum,
        psu=psu,
        psu_stratum=psu_stratum,
        n_psu=n_psu,
        scale=scale,
        centre=centre,
        drop_average=bool(singleton == "average" and np.any(lonely)),
        n_strata=n_strata,
        n_singletons=int(np.sum(lonely)),
        stratum_labels=tuple(stratum_labels),
        psu_matrix=psu_matrix,
        stratum_matrix=one_hot(stratum, n_strata),
        psu_to_stratum=one_hot(psu_stratum, n_strata),
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


def psu_totals(s: SampleStructure, z: FloatArray) -> FloatArray:
    """PSU totals of the influence columns (rows already are PSUs without clusters)."""
    if s.psu_matrix is None:
        return z
    return np.asarray(s.psu_matrix @ z)


def _centred_psu_totals(s: SampleStructure, z: FloatArray) -> FloatArray:
    t = psu_totals(s, z)
    sums = np.asarray(s.psu_to_stratum @ t)
    mean = sums / np.maximum(s.n_psu, 1.0)[:, None]
    mean[~s.centre] = 0.0
    return t - mean[s.psu_stratum]


def _average_factor(s: SampleStructure) -> float:
    if not s.drop_average:
        return 1.0
    return s.n_strata / (s.n_strata - s.n_singletons)


def variances(s: SampleStructure, z: FloatArray) -> FloatArray:
    """Variance of the total of each column of ``z`` (n x k) -> (k,)."""
    out = np.empty(z.shape[1])
    w = s.scale[s.psu_stratum][:, None]
    for start in range(0, z.shape[1], BLOCK):
        tc = _centred_psu_totals(s, z[:, start : start + BLOCK])
        out[start : start + BLOCK] = np.einsum("ij,ij->j", tc * w, tc)
    return out * _average_factor(s)


def covariance(s: SampleStructure, z: FloatArray) -> FloatArray:
    """Full covariance matrix of the totals of the columns of ``z`` (k x k)."""
    tc = _centred_psu_totals(s, z)
    root = tc * np.sqrt(s.scale[s.psu_stratum])[:, None]
    return np.asarray(root.T @ root) * _average_factor(s)


def domain_df(s: SampleStructure, mask: npt.NDArray[np.bool_]) -> IntArray:
    """R's degf of a subset, per column of ``mask``: PSUs in it minus strata in it."""
    m = mask.astype(np.float64)
    psu_hits = psu_totals(s, m) > 0
    strata_hits = np.asarray(s.stratum_matrix @ m) > 0
    df: IntArray = (psu_hits.sum(axis=0) - strata_hits.sum(axis=0)).astype(np.int64)
    return df
