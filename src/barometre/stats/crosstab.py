"""Weighted two-way tables and the Rao-Scott tests of independence (R ``svychisq``).

Pearson's X² is computed on the weighted table scaled to the n respondents;
the design effect matrix Delta compares the design covariance of the cell
shares with a multinomial one on the interaction contrasts. The second-order
test divides X² by trace(Delta) and refers it to F(d, d nu), d = tr(Delta)² /
tr(Delta²), nu = PSUs - strata; the first-order one divides X² by the mean
eigenvalue and refers it to chi-square((r-1)(c-1)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import stats as st

from barometre.stats._projections import project
from barometre.stats._variance import FloatArray, covariance
from barometre.stats.errors import EstimationError
from barometre.stats.results import CrossTab, RaoScott, Wald

if TYPE_CHECKING:
    from barometre.stats.design import Design


def _dummies(factor: np.ndarray, n_levels: int) -> FloatArray:
    """Treatment contrasts of a factor: columns for levels 2..n (R model.matrix)."""
    out: FloatArray = (factor[:, None] == np.arange(1, n_levels)[None, :]).astype(np.float64)
    return out


def crosstab(design: Design, rows: str, cols: str) -> CrossTab:
    """Weighted counts, shares and Rao-Scott tests of ``rows`` x ``cols``."""
    r_levels, r_codes = design.levels(rows, "crosstab rows")
    c_levels, c_codes = design.levels(cols, "crosstab cols")
    nr, nc = len(r_levels), len(c_levels)
    if nr < 2 or nc < 2:
        raise EstimationError(f"crosstab {rows!r} x {cols!r}: each needs at least two levels")
    ok = (r_codes >= 0) & (c_codes >= 0)
    w = design.engine.weights
    s = design.structure
    # Cells ordered rows-fastest, like R's interaction(rows, cols).
    cell = np.where(ok, r_codes + nr * c_codes, -1)
    k = nr * nc
    wm = w * ok
    wsum = wm.sum()
    ind = (cell[:, None] == np.arange(k)[None, :]).astype(np.float64)
    share = (wm[:, None] * ind).sum(axis=0) / wsum
    z = (wm[:, None] * (ind - share[None, :]) / wsum).T
    v = covariance(s, project(design.engine.projections, z))
    n = int(ok.sum())
    table = (share * n).reshape(nc, nr).T  # svytable(..., Ntotal = n)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.nansum((table - expected) ** 2 / expected))
    grid_r = np.tile(np.arange(nr), nc)
    grid_c = np.repeat(np.arange(nc), nr)
    x1 = np.column_stack([np.ones(k), _dummies(grid_r, nr), _dummies(grid_c, nc)])
    dr, dc = _dummies(grid_r, nr), _dummies(grid_c, nc)
    inter = np.column_stack([dr[:, i] * dc[:, j] for j in range(nc - 1) for i in range(nr - 1)])
    q, _ = np.linalg.qr(x1)
    cmat = inter - q @ (q.T @ inter)
    inv_d = np.where(share == 0, 0.0, 1.0 / np.where(share == 0, 1.0, share))
    denom = cmat.T @ (inv_d[:, None] / n * cmat)
    numr = cmat.T @ (inv_d[:, None] * v * inv_d[None, :]) @ cmat
    delta = np.linalg.solve(denom, numr)
    tr = float(np.trace(delta))
    d0 = tr**2 / float(np.trace(delta @ delta))
    nu = s.n_psus - s.n_strata
    f_stat = pearson / tr
    df_chi = (nr - 1) * (nc - 1)
    chisq = pearson / (tr / delta.shape[0])
    rao = RaoScott(
        statistic=f_stat,
        ndf=d0,
        ddf=d0 * nu,
        p_value=float(st.f.sf(f_stat, d0, d0 * nu)),
        pearson=pearson,
        chisq=chisq,
        chisq_df=df_chi,
        chisq_p_value=float(st.chi2.sf(chisq, df_chi)),
    )
    counts = (share * wsum).reshape(nc, nr).T
    wald = _wald(design, ind, grid_r, grid_c, nr, nc, wm, nu)
    return CrossTab(
        row_variable=rows,
        col_variable=cols,
        row_levels=tuple(str(v) for v in r_levels),
        col_levels=tuple(str(v) for v in c_levels),
        counts=tuple(tuple(float(x) for x in row) for row in counts),
        shares=tuple(tuple(float(x) for x in row) for row in counts / wsum),
        rao_scott=rao,
        wald=wald,
    )


def _wald(
    design: Design,
    ind: FloatArray,
    grid_r: np.ndarray,
    grid_c: np.ndarray,
    nr: int,
    nc: int,
    wm: FloatArray,
    nu: int,
) -> Wald:
    """R ``svychisq(statistic = "Wald")``: N_ij - N_i. N_.j / N against its covariance.

    The totals of the cells, the row and column margins and the grand total
    are linearized jointly; the delta method (Jacobian ``jac``) carries their
    covariance to the deviations from independence, of which the
    (r-1)(c-1) cells beyond the first row and column are tested.
    """
    k = nr * nc
    rows = ind.reshape(-1, nc, nr).sum(axis=1)  # row margins: sum over columns
    cols = ind.reshape(-1, nc, nr).sum(axis=2)
    x = np.column_stack([ind, rows, cols, np.ones(ind.shape[0])])
    z = (wm[:, None] * x).T
    totals = z.sum(axis=1)
    v = covariance(design.structure, project(design.engine.projections, z))
    n_r, n_c, n_all = totals[k : k + nr], totals[k + nr : k + nr + nc], totals[-1]
    jac = np.zeros((k, x.shape[1]))
    cells = np.arange(k)
    jac[cells, cells] = 1.0
    jac[cells, k + grid_r] = -n_c[grid_c] / n_all
    jac[cells, k + nr + grid_c] = -n_r[grid_r] / n_all
    jac[:, -1] = n_r[grid_r] * n_c[grid_c] / n_all**2
    dev = totals[:k] - n_r[grid_r] * n_c[grid_c] / n_all
    vd = jac @ v @ jac.T
    use = (grid_r > 0) & (grid_c > 0)
    ndf = (nr - 1) * (nc - 1)
    stat = float(dev[use] @ np.linalg.solve(vd[np.ix_(use, use)], dev[use])) / ndf
    return Wald(
        statistic=stat, ndf=float(ndf), ddf=float(nu), p_value=float(st.f.sf(stat, ndf, nu))
    )
