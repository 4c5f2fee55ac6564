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


#: A factor's dummy columns: its name, its levels and each row's level code (-1 missing).
IntArray = np.ndarray[Any, np.dtype[np.int64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
Factor = tuple[str, list[Any], IntArray]

#: Relative tolerance of the aliasing test: R's ``qr(tol = 1e-7)`` in ``glm.fit``.
ALIAS_TOL = 1e-7


def _model_matrix(
    design: Design, numeric: Sequence[str], categorical: Sequence[str]
) -> tuple[FloatArray, list[str], list[Factor]]:
    cols: list[FloatArray] = [np.ones(design.n)]
    terms = ["(Intercept)"]
    factors: list[Factor] = []
    for name in numeric:
        cols.append(design.values(name))
        terms.append(name)
    for name in categorical:
        levels, codes = design.levels(name, "categorical regressor")
        factors.append((name, list(levels), np.asarray(codes, dtype=np.int64)))
        # Reference = first level in sorted order, R's default for a factor.
        for k in range(1, len(levels)):
            col = (codes == k).astype(np.float64)
            col[codes < 0] = np.nan
            cols.append(col)
            terms.append(f"{name}{levels[k]}")
    return np.column_stack(cols), terms, factors


def _aliased_terms(x: FloatArray, terms: Sequence[str]) -> list[str]:
    """Terms whose column is a linear combination of the columns before it.

    Column by column, as R's limited-pivoting QR (``dqrdc2``) does in ``glm.fit``: a column
    whose residual on the columns kept so far is below ``ALIAS_TOL`` times its own norm is
    aliased (R reports its coefficient as NA); a column of zeros (an empty level) is too.
    """
    basis: list[FloatArray] = []
    aliased: list[str] = []
    for j, term in enumerate(terms):
        v = x[:, j].astype(np.float64, copy=True)
        norm = float(np.linalg.norm(v))
        for _ in range(2):  # Gram-Schmidt twice is enough for orthogonality in floating point
            for q in basis:
                v -= (q @ v) * q
        rest = float(np.linalg.norm(v))
        if norm == 0.0 or rest <= ALIAS_TOL * norm:
            aliased.append(term)
        else:
            basis.append(v / rest)
    return aliased


def _separated_level(
    y: FloatArray, ok: BoolArray, factors: Sequence[Factor]
) -> tuple[str, Any, int, int] | None:
    """The first factor level whose respondents all have the same outcome, if any.

    Such a level separates the data (quasi-complete separation): its odds ratio is infinite
    and IRLS drifts until its information matrix is singular. Returned as (factor, level,
    outcome, respondents).
    """
    for name, levels, codes in factors:
        used = ok & (codes >= 0)
        counts = np.bincount(codes[used], minlength=len(levels))
        ones = np.bincount(codes[used], weights=y[used], minlength=len(levels))
        for k, level in enumerate(levels):
            if counts[k] > 0 and ones[k] in (0.0, counts[k]):
                return name, level, int(ones[k] > 0), int(counts[k])
    return None


def _check_estimable(
    response: str,
    x0: FloatArray,
    y: FloatArray,
    ok: BoolArray,
    terms: list[str],
    factors: Sequence[Factor],
) -> None:
    """Refuse, naming the term, a model whose estimates do not exist."""
    if not ok.any():
        raise EstimationError(f"logit: no respondent has {response!r} and every regressor")
    outcomes = np.unique(y[ok])
    if outcomes.size < 2:
        raise EstimationError(
            f"logit: response {response!r} is {int(outcomes[0])} for every respondent: "
            "there is nothing to model"
        )
    # The rank of X'X (p x p) equals that of X; an SVD of the n x p matrix cost 90 % of a fit.
    # Only a deficient matrix pays for the column-by-column QR that names the aliased terms.
    if np.linalg.matrix_rank(x0.T @ x0, hermitian=True) < x0.shape[1]:
        aliased = _aliased_terms(x0[ok], terms)
        named = (
            f"term(s) {aliased} are linear combinations of earlier terms (an empty level, or "
            "collinear regressors)"
            if aliased
            else "terms are nearly collinear"
        )
        raise EstimationError(f"logit: the model matrix of {terms} is rank deficient: {named}")
    separated = _separated_level(y, ok, factors)
    if separated is not None:
        name, level, outcome, count = separated
        raise EstimationError(
            f"logit: level {level!r} of {name!r} separates the data: its {count} "
            f"respondent(s) all have {response} = {outcome}, so its odds ratio is infinite "
            "(merge the level with another, or leave the term out)"
        )


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
    x, terms, factors = _model_matrix(design, numeric, categorical)
    ok = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    w = np.where(ok, design.engine.weights, 0.0)
    y0 = np.where(ok, y, 0.0)
    x0 = np.where(ok[:, None], x, 0.0)
    _check_estimable(response, x0, y0, ok, terms, factors)
    try:
        beta, iterations, a_inv = _irls(x0, y0, w)
    except np.linalg.LinAlgError as exc:
        raise EstimationError(
            f"logit: the information matrix of {terms} became singular during IRLS "
            "(separation by a combination of terms?)"
        ) from exc
    if iterations >= MAX_ITER:
        raise EstimationError(
            f"logit: IRLS did not converge in {MAX_ITER} iterations (separation?)"
        )
    mu = expit(x0 @ beta)
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


def irls(x0: FloatArray, y0: FloatArray, w: FloatArray) -> tuple[FloatArray, int]:
    """Weighted logit coefficients by Newton-Raphson (IRLS) and the iterations used.

    No variance: the drivers' bootstrap refits with it, in the same arithmetic as `logit`,
    so that its coefficients are bit-identical on the same rows in the same order.
    """
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
    return beta, iterations


def _irls(x0: FloatArray, y0: FloatArray, w: FloatArray) -> tuple[FloatArray, int, FloatArray]:
    """Coefficients by Newton-Raphson (IRLS), iterations used, and the inverse information."""
    beta, iterations = irls(x0, y0, w)
    mu = expit(x0 @ beta)
    a_inv = np.linalg.inv(x0.T @ (x0 * (w * mu * (1 - mu))[:, None]))
    return beta, iterations, a_inv
