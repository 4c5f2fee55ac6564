"""Design-based logistic regression, as R ``svyglm(family = quasibinomial())``.

Coefficients solve the weighted score equations (IRLS); their covariance is
the sandwich A^-1 B A^-1, with B the design variance of the score totals
(influence z_i = w_i (y_i - mu_i) x_i A^-1, calibration residuals included).
p-values use Student t on degf + 1 - p, as R's summary.svyglm.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats as st
from scipy.special import expit  # overflow-free logistic function

from barometre.stats._projections import project
from barometre.stats._variance import FloatArray, covariance, domain_df
from barometre.stats.errors import EstimationError
from barometre.stats.results import LogitFit

if TYPE_CHECKING:
    from barometre.stats.design import Design

MAX_ITER = 100
TOL = 1e-12


def _model_matrix(
    design: Design, numeric: Sequence[str], categorical: Sequence[str]
) -> tuple[FloatArray, list[str]]:
    cols: list[FloatArray] = [np.ones(design.n)]
    terms = ["(Intercept)"]
    for name in numeric:
        cols.append(design.values(name))
        terms.append(name)
    for name in categorical:
        levels, codes = design.levels(name, "categorical regressor")
        # Reference = first level in sorted order, R's default for a factor.
        for k in range(1, len(levels)):
            col = (codes == k).astype(np.float64)
            col[codes < 0] = np.nan
            cols.append(col)
            terms.append(f"{name}{levels[k]}")
    return np.column_stack(cols), terms


def logit(
    design: Design,
    response: str,
    numeric: Sequence[str],
    categorical: Sequence[str],
    *,
    level: Any = None,
) -> LogitFit:
    """Fit the model and return coefficients, SEs, odds ratios and p-values."""
    y = design.values(response) if level is None else design.indicator(response, level)
    if np.any((y != 0) & (y != 1) & ~np.isnan(y)):
        raise EstimationError(
            f"logit: response {response!r} must be 0/1 (or give level= for a categorical)"
        )
    x, terms = _model_matrix(design, numeric, categorical)
    ok = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    w = np.where(ok, design.engine.weights, 0.0)
    y0 = np.where(ok, y, 0.0)
    x0 = np.where(ok[:, None], x, 0.0)
    # The rank of X'X (p x p) equals that of X; an SVD of the n x p matrix cost 90 % of a fit.
    if np.linalg.matrix_rank(x0.T @ x0, hermitian=True) < x0.shape[1]:
        raise EstimationError(f"logit: the model matrix of {terms} is rank deficient")
    beta = np.zeros(x0.shape[1])
    iterations = 0
    while iterations < MAX_ITER:
        iterations += 1
        mu = expit(x0 @ beta)
        info = x0.T @ (x0 * (w * mu * (1 - mu))[:, None])
        step = np.linalg.solve(info, x0.T @ (w * (y0 - mu)))
        beta = beta + step
        if np.max(np.abs(step) / (np.abs(beta) + 1e-8)) < TOL:
            break
    if iterations >= MAX_ITER:
        raise EstimationError(
            f"logit: IRLS did not converge in {MAX_ITER} iterations (separation?)"
        )
    mu = expit(x0 @ beta)
    a_inv = np.linalg.inv(x0.T @ (x0 * (w * mu * (1 - mu))[:, None]))
    z = ((x0 * (w * (y0 - mu))[:, None]) @ a_inv).T
    vcov = covariance(design.structure, project(design.engine.projections, z))
    se = np.sqrt(np.diag(vcov))
    df_res = int(domain_df(design.structure, ok[None, :])[0]) + 1 - len(terms)
    t = beta / se
    p = 2 * st.t.sf(np.abs(t), df_res)
    return LogitFit(
        response=response,
        terms=tuple(terms),
        coefficients=tuple(float(b) for b in beta),
        se=tuple(float(v) for v in se),
        odds_ratios=tuple(float(v) for v in np.exp(beta)),
        p_values=tuple(float(v) for v in p),
        df_residual=df_res,
        n=int(ok.sum()),
        iterations=iterations,
    )
