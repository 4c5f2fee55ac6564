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
from dataclasses import dataclass

import numpy as np

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
    return CellIndex(
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


def _cell_sums(key: IntArray, weights: FloatArray | None, size: int) -> FloatArray:
    out: FloatArray = np.bincount(key, weights=weights, minlength=size).astype(np.float64)
    return out


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A breakdown's bin of each row (cell x domain; one extra bin for no domain)."""

    key: IntArray
    n_domains: int
    n_cells: int
    w: FloatArray  # per domain x cell: sum of weights
    w2: FloatArray  # sum of squared weights
    ones: FloatArray  # respondents

    @property
    def trash(self) -> int:
        """The bin of rows outside every domain."""
        return self.n_cells * self.n_domains

    def sums(self, v: FloatArray | None, key: IntArray | None = None) -> FloatArray:
        """Per (domain, cell) sums of ``v`` (counts when None)."""
        k = self.key if key is None else key
        flat = _cell_sums(k, v, self.trash + 1)[: self.trash]
        out: FloatArray = flat.reshape(self.n_cells, self.n_domains).T
        return out


def breakdown(cells: CellIndex, weights: FloatArray, domain: IntArray, n_domains: int) -> Breakdown:
    """Bins of a breakdown with its weight sums, computed once per ``by`` column."""
    trash = cells.n_cells * n_domains
    key = np.where(domain >= 0, cells.cell * n_domains + domain, trash)
    b = Breakdown(
        key=key,
        n_domains=n_domains,
        n_cells=cells.n_cells,
        w=np.empty(0),
        w2=np.empty(0),
        ones=np.empty(0),
    )
    object.__setattr__(b, "w", b.sums(weights))
    object.__setattr__(b, "w2", b.sums(weights * weights))
    object.__setattr__(b, "ones", b.sums(None))
    return b


def run_breakdown(
    cells: CellIndex,
    structure: SampleStructure,
    weights: FloatArray,
    values: FloatArray,
    bd: Breakdown,
    statistic: str,
    binary: bool = False,
) -> Linearized:
    """Mean or total of ``values`` (NaN = missing) in each domain of ``bd``.

    ``binary``: values are 0/1 (an indicator), which saves two of the sums.
    """
    missing = np.isnan(values)
    if missing.any():
        key = np.where(missing, bd.trash, bd.key)
        y = np.where(missing, 0.0, values)
        w, w2, ones = bd.sums(weights, key), bd.sums(weights * weights, key), bd.sums(None, key)
    else:
        key, y, w, w2, ones = bd.key, values, bd.w, bd.w2, bd.ones

    def sums(v: FloatArray | None) -> FloatArray:
        return bd.sums(v, key)

    wy = sums(weights * y)
    w2y = sums(weights * weights * y)
    s_y = sums(y)
    if binary:
        w2y2, nonzero, wy2 = w2y, s_y, wy
    else:
        w2y2, nonzero = sums(weights * weights * y * y), sums((y != 0).astype(np.float64))
        wy2 = sums(weights * y * y)
    if statistic == "total":
        est = wy.sum(axis=1)
        z1, zw, z2, zr = wy, w2y, w2y2, s_y
    else:
        wsum = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            est = wy.sum(axis=1) / wsum
            m, inv = est[:, None], np.where(wsum > 0, 1.0 / wsum, 0.0)[:, None]
            z1 = (wy - m * w) * inv
            zw = (w2y - m * w2) * inv
            z2 = (w2y2 - 2 * m * w2y + m * m * w2) * inv**2
            zr = (s_y - m * ones) * inv
        z1, zw, z2, zr = (np.nan_to_num(a) for a in (z1, zw, z2, zr))
    shift = _shift(cells, z1, zr)
    h = cells.cell_stratum
    s1 = _by_stratum(z1 - cells.w1[None, :] * shift, h, structure.n_strata)
    s2 = _by_stratum(z2 - 2 * zw * shift + cells.w2[None, :] * shift**2, h, structure.n_strata)
    centred = np.where(structure.centre[None, :], s1**2 / structure.n_psu[None, :], 0.0)
    raw = (s2 * structure.scale[None, :]).sum(axis=1)
    var = ((s2 - centred) * structure.scale[None, :]).sum(axis=1) * structure.average_factor
    # sum r^2 - (sum r)^2 / n loses ~1e-16 of sum r^2 to rounding: below that
    # floor the variance is zero (e.g. the share of a stratum with equal weights).
    var = np.where(var <= ROUNDING_FLOOR * raw, 0.0, var)
    n_by_stratum = _by_stratum(ones, h, structure.n_strata)
    n = ones.sum(axis=1).astype(np.int64)
    df = n - (n_by_stratum > 0).sum(axis=1)
    w_dom, wy_dom = w.sum(axis=1), wy.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = wy2.sum(axis=1) - wy_dom * wy_dom / w_dom
        deff = var / srs_variance(spread, w_dom, n, statistic)
    return Linearized(
        estimate=est,
        se=np.sqrt(np.maximum(var, 0.0)),
        df=df.astype(np.int64),
        n=n,
        nonzero=nonzero.sum(axis=1).astype(np.int64),
        deff=deff,
    )


def _indicator(codes: IntArray, size: int) -> FloatArray:
    out = np.zeros((codes.shape[0], size))
    out[np.arange(codes.shape[0]), codes] = 1.0
    return out


def _by_stratum(a: FloatArray, stratum: IntArray, n_strata: int) -> FloatArray:
    # Cells are few (strata x calibration levels): a dense product is fastest.
    out: FloatArray = a @ _indicator(stratum, n_strata)
    return out


def _level_sums(a: FloatArray, levels: IntArray, size: int) -> FloatArray:
    out: FloatArray = a @ _indicator(levels, size)
    return out


def _shift(cells: CellIndex, z1: FloatArray, zr: FloatArray) -> FloatArray:
    """G(cell) of the calibration step for each domain (D x cells); 0 without one."""
    p = cells.projection
    if p is None:
        return np.zeros_like(z1)
    if isinstance(p, PostStratification):
        lv = cells.levels[0]
        num = _level_sums(z1 * cells.ratio[None, :], lv, p.n_levels)
        den = np.bincount(p.codes, weights=p.old_weights, minlength=p.n_levels)
        out: FloatArray = (num / den[None, :])[:, lv]
        return out
    if isinstance(p, Raking):
        offsets = p.offsets
        sums = np.concatenate(
            [_level_sums(zr, lv, s) for lv, s in zip(cells.levels, cells.sizes, strict=True)],
            axis=1,
        )
        coef = np.zeros_like(sums)
        for _ in range(R_RAKING_SWEEPS):
            for lo, hi in itertools.pairwise(offsets):
                fitted = coef @ p.cross[lo:hi].T
                coef[:, lo:hi] += (sums[:, lo:hi] - fitted) / p.counts[None, lo:hi]
        return _expand(coef, cells, offsets)
    x_rhs = np.concatenate(
        [
            _level_sums(z1 * cells.ratio[None, :], lv, s)
            for lv, s in zip(cells.levels, cells.sizes, strict=True)
        ],
        axis=1,
    )
    offsets = tuple(int(v) for v in np.cumsum((0, *cells.sizes)))
    old_w1 = cells.w1 * cells.ratio
    gram = np.zeros((offsets[-1], offsets[-1]))
    for (lo_a, _), lv_a in zip(itertools.pairwise(offsets), cells.levels, strict=True):
        for (lo_b, _), lv_b in zip(itertools.pairwise(offsets), cells.levels, strict=True):
            np.add.at(gram, (lo_a + lv_a, lo_b + lv_b), old_w1)
    b = x_rhs @ np.linalg.pinv(gram).T
    return _expand(b, cells, offsets)


def _expand(coef: FloatArray, cells: CellIndex, offsets: tuple[int, ...]) -> FloatArray:
    out = np.zeros((coef.shape[0], cells.n_cells))
    for lo, lv in zip(offsets, cells.levels, strict=False):
        out += coef[:, lo + lv]
    return out
