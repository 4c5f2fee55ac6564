"""Fast path for element samples: every domain of a breakdown from a few bincounts.

When each respondent is its own PSU and the weights come from at most one
calibration step, an estimate's linearized residual has the form

    r_i = z_i - w_i G(c_i)

where c_i is the respondent's *cell* (stratum x calibration levels) and G a
function of the cell found by the calibration rule. The stratified variance
needs only, per stratum, sum r_i and sum r_i^2, and both follow from
per-(cell, domain) sums of w, w y, w^2, w^2 y, w^2 y^2, y and 1. So a whole
breakdown (all its domains) costs a handful of ``np.bincount`` over the rows
instead of one dense pass per domain: this is what makes thousands of
estimates per second possible. Results equal the dense path (``_estimators``)
up to rounding; the R reference tests run through both.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from barometre.stats._estimators import Linearized, srs_variance
from barometre.stats._projections import (
    R_RAKING_SWEEPS,
    GregCalibration,
    PostStratification,
    Projection,
    Raking,
)
from barometre.stats._variance import FloatArray, IntArray, SampleStructure

# Relative size under which a sum-of-squares variance is rounding noise.
ROUNDING_FLOOR = 1e-12


@dataclass(frozen=True, slots=True)
class CellIndex:
    """Respondents grouped by stratum x calibration levels, with the cells' sums."""

    cell: IntArray  # cell of each row
    n_cells: int
    cell_stratum: IntArray
    count: FloatArray  # rows per cell
    w1: FloatArray  # sum of weights per cell
    w2: FloatArray  # sum of squared weights per cell
    levels: tuple[IntArray, ...]  # per calibration margin: level of each cell
    sizes: tuple[int, ...]
    ratio: FloatArray  # per cell: old weight / new weight of the calibration step
    projection: Projection | None
    # A calibration step's pseudo-inverted Gram matrix on the cells, computed once.
    gram_pinv: FloatArray | None = None


def applicable(structure: SampleStructure, projections: tuple[Projection, ...]) -> bool:
    """True when the fast path reproduces the dense one: no clusters, one step at most."""
    return structure.psu_starts is None and len(projections) <= 1


def build_cells(
    structure: SampleStructure, weights: FloatArray, projections: tuple[Projection, ...]
) -> CellIndex:
    """Group rows into cells for the fast path (``applicable`` must hold)."""
    stratum = np.repeat(np.arange(structure.n_strata), structure.n_psu.astype(np.int64))
    projection = projections[0] if projections else None
    margins: tuple[IntArray, ...] = ()
    sizes: tuple[int, ...] = ()
    if isinstance(projection, PostStratification):
        margins, sizes = (projection.codes,), (projection.n_levels,)
    elif isinstance(projection, Raking | GregCalibration):
        margins, sizes = projection.margins, projection.sizes
    key = stratum.astype(np.int64)
    for codes, size in zip(margins, sizes, strict=True):
        key = key * size + codes
    uniq, cell = np.unique(key, return_inverse=True)
    cell = cell.reshape(-1).astype(np.int64)
    n_cells = int(uniq.shape[0])
    levels = []
    rest = uniq.copy()
    for size in reversed(sizes):
        levels.append(rest % size)
        rest = rest // size
    ratio = np.ones(n_cells)
    if isinstance(projection, PostStratification | GregCalibration):
        first = np.zeros(n_cells, dtype=np.int64)
        first[cell[::-1]] = np.arange(cell.shape[0])[::-1]
        ratio = (projection.old_weights / projection.new_weights)[first]
    cells = CellIndex(
        cell=cell,
        n_cells=n_cells,
        cell_stratum=rest.astype(np.int64),
        count=np.bincount(cell, minlength=n_cells).astype(np.float64),
        w1=np.bincount(cell, weights=weights, minlength=n_cells).astype(np.float64),
        w2=np.bincount(cell, weights=weights**2, minlength=n_cells).astype(np.float64),
        levels=tuple(reversed(levels)),
        sizes=sizes,
        ratio=ratio,
        projection=projection,
    )
    if not isinstance(projection, GregCalibration):
        return cells
    x = _cell_design(cells)
    gram = x.T @ (x * (cells.w1 * cells.ratio)[:, None])
    gram_pinv = np.asarray(np.linalg.pinv(gram), dtype=np.float64)
    return replace(cells, gram_pinv=gram_pinv)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The occupied (domain, cell) bins of a breakdown, sorted by domain, stratum, cell.

    Only bins with respondents are kept (a cell meets few domains: a stratum
    domain holds its own cells only), so a block of k estimates costs k x
    bins, not k x domains x cells. ``rows_*`` are sparse (bins + 1) x rows
    maps carrying 1, w and w² of each row to its bin (the last bin gathers the
    rows outside every domain); one sparse product sums a whole block.
    """

    n_domains: int
    n_bins: int
    bin_domain: IntArray
    bin_cell: IntArray
    domain_starts: IntArray  # first bin of each domain
    group_starts: IntArray  # first bin of each occupied (domain, stratum)
    group_key: IntArray  # domain * strata + stratum of each group
    w: FloatArray  # per bin: sum of weights
    w2: FloatArray
    ones: FloatArray
    rows_1: sp.csc_matrix
    rows_w: sp.csc_matrix
    rows_w2: sp.csc_matrix
    domain_levels: sp.csr_matrix | None  # bins x (domains * calibration levels)

    def bin_sums(self, values_t: FloatArray, rows: sp.csc_matrix) -> FloatArray:
        """Per bin sums of each column of ``values_t`` (n x k) -> (k x bins)."""
        flat = np.asarray(rows @ values_t)
        out: FloatArray = np.ascontiguousarray(flat[: self.n_bins].T)
        return out

    def per_domain(self, a: FloatArray) -> FloatArray:
        """Sums of bin values (k x bins) over each domain's bins -> (k x domains)."""
        out: FloatArray = np.add.reduceat(a, self.domain_starts, axis=1)
        return out

    def per_domain_stratum(self, a: FloatArray, n_strata: int) -> FloatArray:
        """Sums over each (domain, stratum) -> (k * domains x strata), zeros where empty."""
        k = a.shape[0]
        out = np.zeros((k, self.n_domains * n_strata))
        out[:, self.group_key] = np.add.reduceat(a, self.group_starts, axis=1)
        result: FloatArray = out.reshape(k * self.n_domains, n_strata)
        return result


def breakdown(cells: CellIndex, weights: FloatArray, domain: IntArray, n_domains: int) -> Breakdown:
    """Occupied bins of a breakdown with their weight sums, computed once per ``by``."""
    n = domain.shape[0]
    n_strata = int(cells.cell_stratum.max()) + 1
    inside = domain >= 0
    stratum = cells.cell_stratum[cells.cell]
    full_key = (domain * n_strata + stratum) * cells.n_cells + cells.cell
    uniq, inverse = np.unique(full_key[inside], return_inverse=True)
    n_bins = int(uniq.shape[0])
    row_bin = np.full(n, n_bins, dtype=np.int64)
    row_bin[inside] = inverse.reshape(-1)
    bin_cell = (uniq % cells.n_cells).astype(np.int64)
    group = uniq // cells.n_cells
    bin_domain = (group // n_strata).astype(np.int64)
    new_group = np.ones(n_bins, dtype=bool)
    new_group[1:] = group[1:] != group[:-1]
    new_domain = np.ones(n_bins, dtype=bool)
    new_domain[1:] = bin_domain[1:] != bin_domain[:-1]

    def rows(v: FloatArray) -> sp.csc_matrix:
        # One entry per data row (column): built as CSC directly, no sorting.
        return sp.csc_matrix((v, row_bin, np.arange(n + 1, dtype=np.int64)), shape=(n_bins + 1, n))

    def sums(v: FloatArray) -> FloatArray:
        out: FloatArray = np.bincount(row_bin, weights=v, minlength=n_bins + 1)[:n_bins].astype(
            np.float64
        )
        return out

    domain_levels = None
    if cells.levels:
        width = sum(cells.sizes)
        offsets = np.cumsum((0, *cells.sizes))[:-1]
        cols = np.concatenate(
            [
                bin_domain * width + off + lv[bin_cell]
                for lv, off in zip(cells.levels, offsets, strict=True)
            ]
        )
        rows_idx = np.tile(np.arange(n_bins), len(cells.levels))
        domain_levels = sp.csr_matrix(
            (np.ones(cols.shape[0]), (rows_idx, cols)), shape=(n_bins, n_domains * width)
        )
    return Breakdown(
        n_domains=n_domains,
        n_bins=n_bins,
        bin_domain=bin_domain,
        bin_cell=bin_cell,
        domain_starts=np.flatnonzero(new_domain).astype(np.int64),
        group_starts=np.flatnonzero(new_group).astype(np.int64),
        group_key=group[new_group].astype(np.int64),
        w=sums(weights),
        w2=sums(weights * weights),
        ones=sums(np.ones(n)),
        rows_1=rows(np.ones(n)),
        rows_w=rows(weights),
        rows_w2=rows(weights * weights),
        domain_levels=domain_levels,
    )


def run_breakdown(
    cells: CellIndex,
    structure: SampleStructure,
    weights: FloatArray,
    values: FloatArray,
    bd: Breakdown,
    statistic: str,
    binary: bool = False,
) -> Linearized:
    """Mean or total of each row of ``values`` (k x n, NaN = missing) in each domain of ``bd``.

    Results are indicator-major: estimate ``i * domains + d`` is row i in
    domain d. ``binary``: values are 0/1 (indicators), which saves sums.
    """
    if values.ndim == 1:
        values = values[None, :]
    k, n_dom, n_strata = values.shape[0], bd.n_domains, structure.n_strata
    # Rows x estimates, contiguous: the layout sparse (bins x rows) products want.
    yt = np.ascontiguousarray(values.T)
    missing = np.isnan(yt)
    if missing.any():
        present = (~missing).astype(np.float64)
        yt = np.where(missing, 0.0, yt)
        w = bd.bin_sums(present, bd.rows_w)
        w2 = bd.bin_sums(present, bd.rows_w2)
        ones = bd.bin_sums(present, bd.rows_1)
    else:
        w, w2, ones = (np.broadcast_to(a, (k, bd.n_bins)) for a in (bd.w, bd.w2, bd.ones))
    wy = bd.bin_sums(yt, bd.rows_w)
    w2y = bd.bin_sums(yt, bd.rows_w2)
    s_y = bd.bin_sums(yt, bd.rows_1)
    if binary:
        w2y2, nonzero, wy2 = w2y, s_y, wy
    else:
        yy = yt * yt
        w2y2, wy2 = bd.bin_sums(yy, bd.rows_w2), bd.bin_sums(yy, bd.rows_w)
        nonzero = bd.bin_sums((yt != 0).astype(np.float64), bd.rows_1)
    w_dom, wy_dom = bd.per_domain(w), bd.per_domain(wy)
    if statistic == "total":
        est = wy_dom
        z1, zw, z2, zr = wy, w2y, w2y2, s_y
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            est = wy_dom / w_dom
            inv_dom = np.where(w_dom > 0, 1.0 / w_dom, 0.0)
        m = np.nan_to_num(est)[:, bd.bin_domain]
        inv = inv_dom[:, bd.bin_domain]
        z1 = (wy - m * w) * inv
        zw = (w2y - m * w2) * inv
        z2 = (w2y2 - 2 * m * w2y + m * m * w2) * inv**2
        zr = (s_y - m * ones) * inv
    s1 = bd.per_domain_stratum(z1, n_strata)
    s2 = bd.per_domain_stratum(z2, n_strata)
    coef = _coefficients(cells, bd, z1, zr, k)
    if coef is not None:
        # r_i = z_i - w_i G(d, c_i) with G(d, c) = x_c . coef_d over every cell
        # (calibration spreads a domain's residual to all rows). Cells are
        # sorted by stratum, so stratum sums are contiguous segments.
        offsets = np.cumsum((0, *cells.sizes))[:-1]
        g = coef[:, offsets[0] + cells.levels[0]]
        for lv, off in zip(cells.levels[1:], offsets[1:], strict=True):
            g += coef[:, off + lv]
        starts = np.flatnonzero(np.r_[True, cells.cell_stratum[1:] != cells.cell_stratum[:-1]])
        strata_hit = cells.cell_stratum[starts]
        g_bins = g.reshape(k, n_dom, cells.n_cells)[:, bd.bin_domain, bd.bin_cell]
        gw1 = np.zeros_like(s1)
        gw1[:, strata_hit] = np.add.reduceat(g * cells.w1[None, :], starts, axis=1)
        gw2 = np.zeros_like(s2)
        gw2[:, strata_hit] = np.add.reduceat(g * g * cells.w2[None, :], starts, axis=1)
        s1 = s1 - gw1
        s2 = s2 - 2 * bd.per_domain_stratum(zw * g_bins, n_strata) + gw2
    centred = np.where(structure.centre[None, :], s1**2 / structure.n_psu[None, :], 0.0)
    raw = (s2 * structure.scale[None, :]).sum(axis=1)
    var = ((s2 - centred) * structure.scale[None, :]).sum(axis=1) * structure.average_factor
    # sum r^2 - (sum r)^2 / n loses ~1e-16 of sum r^2 to rounding: below that
    # floor the variance is zero (e.g. the share of a stratum with equal weights).
    var = np.where(var <= ROUNDING_FLOOR * raw, 0.0, var)
    n_by_stratum = bd.per_domain_stratum(np.ascontiguousarray(ones), n_strata)
    n = n_by_stratum.sum(axis=1).astype(np.int64)
    df = n - (n_by_stratum > 0).sum(axis=1)
    w_flat, wy_flat = w_dom.reshape(-1), wy_dom.reshape(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = bd.per_domain(wy2).reshape(-1) - wy_flat * wy_flat / w_flat
        deff = var / srs_variance(spread, w_flat, n, statistic)
    return Linearized(
        estimate=est.reshape(-1),
        se=np.sqrt(np.maximum(var, 0.0)),
        df=df.astype(np.int64),
        n=n,
        nonzero=bd.per_domain(nonzero).reshape(-1).astype(np.int64),
        deff=deff,
    )


def _cell_design(cells: CellIndex) -> FloatArray:
    """One-hot of every calibration margin's level, per cell: cells x levels."""
    x = np.zeros((cells.n_cells, sum(cells.sizes)))
    off = 0
    for lv, size in zip(cells.levels, cells.sizes, strict=True):
        x[np.arange(cells.n_cells), off + lv] = 1.0
        off += size
    return x


def _stratum_weights(cells: CellIndex, per_cell: FloatArray, n_strata: int) -> FloatArray:
    """cells x strata matrix carrying each cell's value to its stratum."""
    out = np.zeros((cells.n_cells, n_strata))
    out[np.arange(cells.n_cells), cells.cell_stratum] = per_cell
    return out


def _domain_level_sums(bd: Breakdown, a: FloatArray, k: int) -> FloatArray:
    """Sums of bin values (k x bins) per (domain, margin level) -> (k * domains x levels)."""
    assert bd.domain_levels is not None
    out = np.asarray(bd.domain_levels.T @ a.T).T  # k x (domains * levels)
    result: FloatArray = out.reshape(k * bd.n_domains, -1)
    return result


def _raking_map(p: Raking) -> FloatArray:
    """The linear map from level sums to coefficients of R's ten raking sweeps."""
    eye = np.eye(p.offsets[-1])
    coef = np.zeros_like(eye)
    for _ in range(R_RAKING_SWEEPS):
        for lo, hi in itertools.pairwise(p.offsets):
            fitted = coef @ p.cross[lo:hi].T
            coef[:, lo:hi] += (eye[:, lo:hi] - fitted) / p.counts[None, lo:hi]
    return coef


def _coefficients(
    cells: CellIndex, bd: Breakdown, z1: FloatArray, zr: FloatArray, k: int
) -> FloatArray | None:
    """Per domain, the calibration step's coefficients on the margins' levels; None without one.

    G(d, c) = x_c . coef_d is the fitted part removed from the influence
    values (R ``svyrecvar``'s post-stratification, raking or regression residual).
    """
    p = cells.projection
    if p is None:
        return None
    ratio = cells.ratio[bd.bin_cell][None, :]
    if isinstance(p, PostStratification):
        num = _domain_level_sums(bd, z1 * ratio, k)
        den = np.bincount(p.codes, weights=p.old_weights, minlength=p.n_levels)
        post: FloatArray = num / den[None, :]
        return post
    if isinstance(p, Raking):
        # The sweeps are linear in the level sums: run them once on the identity
        # and apply the resulting map to every domain's sums.
        sums = _domain_level_sums(bd, zr, k)
        coef: FloatArray = sums @ _raking_map(p)
        return coef
    x_rhs = _domain_level_sums(bd, z1 * ratio, k)
    assert cells.gram_pinv is not None  # build_cells computes it for a GregCalibration
    b: FloatArray = x_rhs @ cells.gram_pinv.T
    return b
