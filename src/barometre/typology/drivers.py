"""Drivers of activity: a weighted logistic model and the relative weight of each driver.

The model is fitted by ``Design.logit`` (R ``svyglm``, quasibinomial): being
"active or très active" on the leader's own activity, trained staff, a
marketing team, sector, size band, market, employees' and leader's age.

Relative importance of a driver group is the drop in McFadden's pseudo-R²
(1 - D/D0, D the weighted deviance) when the group is removed from the model,
all models fitted on the same respondents. Its uncertainty comes from a
Rao-Wu rescaled bootstrap over the design (respondents resampled within
strata), which also says how often each driver ranks first: the honest basis
for a sentence like "the leader's appetite weighs most".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from scipy import stats as st
from scipy.special import expit

from barometre.stats import Design, EstimationError, LogitFit, StatsError
from barometre.stats.regression import MAX_ITER, irls
from barometre.typology._frame import FloatArray, as_polars
from barometre.typology.errors import ColumnError, TypologyError
from barometre.typology.profiles import DesignSpec

#: The driver groups of the 2018 study (vocabulary.md question ids).
DRIVERS = (
    "leader_activity",
    "staff_trained",
    "marketing_team",
    "sector",
    "size_band",
    "market",
    "employee_age",
    "leader_age",
)
ACTIVE_CODES = ("active", "tres_active")
_RESPONSE = "__active"


@dataclass(frozen=True)
class DriverTerm:
    """One coefficient of the model, as an odds ratio against the group's reference level."""

    term: str
    group: str | None
    level: str | None
    coefficient: float
    se: float
    odds_ratio: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class DriverImportance:
    """Drop in pseudo-R² when a driver group leaves the model, with a bootstrap interval."""

    group: str
    reference_level: str
    delta_r2: float
    ci_low: float
    ci_high: float
    share: float
    rank_first: float


@dataclass(frozen=True)
class DriversResult:
    """The fitted drivers model and the relative importance of each driver group."""

    response: str
    active_codes: tuple[str, ...]
    n: int
    pseudo_r2: float
    terms: tuple[DriverTerm, ...]
    importance: tuple[DriverImportance, ...]
    replicates: int
    fit: LogitFit

    def ranked(self) -> tuple[DriverImportance, ...]:
        """Driver groups from the heaviest to the lightest."""
        return tuple(sorted(self.importance, key=lambda d: -d.delta_r2))


def _levels(frame: pl.DataFrame, column: str) -> list[str]:
    return frame.get_column(column).cast(pl.Utf8).drop_nulls().unique().sort().to_list()


def _model_matrix(
    frame: pl.DataFrame, groups: Sequence[str], levels: dict[str, list[str]]
) -> FloatArray:
    cols = [np.ones(frame.height)]
    for g in groups:
        values = frame.get_column(g).cast(pl.Utf8).to_numpy()
        cols.extend((values == lev).astype(np.float64) for lev in levels[g][1:])
    return np.column_stack(cols)


def _columns(groups: Sequence[str], levels: dict[str, list[str]]) -> dict[str, list[int]]:
    """Each group's columns in the full model matrix (column 0 is the intercept)."""
    out: dict[str, list[int]] = {}
    start = 1
    for g in groups:
        out[g] = list(range(start, start + len(levels[g]) - 1))
        start += len(levels[g]) - 1
    return out


def _without(columns: dict[str, list[int]], group: str) -> list[int]:
    """The model matrix's columns once `group` is removed, intercept first, groups in order."""
    return [0, *(c for g, cols in columns.items() if g != group for c in cols)]


def _irls(x: FloatArray, y: FloatArray, w: FloatArray) -> FloatArray:
    """The weighted logit's coefficients by IRLS, without any variance: point estimates only.

    The same iterations, in the same arithmetic, as ``Design.logit`` (barometre.stats.
    regression), so coefficients are bit-identical to it on the same rows in the same order;
    the design-based (sandwich) variance, which the bootstrap and the reduced models never
    read, is not computed. Raises EstimationError as it would (rank deficiency, no convergence).
    """
    if np.linalg.matrix_rank(x.T @ x, hermitian=True) < x.shape[1]:
        raise EstimationError("drivers: the model matrix is rank deficient")
    beta, iterations = irls(x, y, w)
    if iterations >= MAX_ITER:
        raise EstimationError(f"drivers: IRLS did not converge in {MAX_ITER} iterations")
    return beta


def _deviance(
    beta: Sequence[float] | FloatArray, x: FloatArray, y: FloatArray, w: FloatArray
) -> float:
    mu = expit(x @ np.asarray(beta))
    mu = np.clip(mu, 1e-300, 1 - 1e-16)
    return float(-2.0 * np.sum(w * (y * np.log(mu) + (1 - y) * np.log1p(-mu))))


def _null_deviance(y: FloatArray, w: FloatArray) -> float:
    p = float(np.sum(w * y) / np.sum(w))
    return float(-2.0 * np.sum(w * (y * np.log(p) + (1 - y) * np.log1p(-p))))


def _drops(
    x: FloatArray,
    y: FloatArray,
    w: FloatArray,
    columns: dict[str, list[int]],
    dev_full: float,
    d0: float,
    fit_rows: tuple[FloatArray, FloatArray, FloatArray] | None = None,
) -> list[float]:
    """Each group's drop in pseudo-R², its reduced model refitted by the lean IRLS.

    `fit_rows` are the model matrix, response and weights the fits run on (by default
    `x`, `y`, `w`): the design's rows in its internal order, zero outside the domain, as
    ``Design.logit`` has them. Deviances are summed over `x`, `y`, `w` (the complete cases
    in the frame's order), as for the full model.
    """
    xs, ys, ws = (x, y, w) if fit_rows is None else fit_rows
    drops = []
    for g in columns:
        keep = _without(columns, g)
        # C order, as np.column_stack builds a model matrix: BLAS sums an F-ordered copy in
        # another order, and the last bits would differ from a full refit's.
        beta = _irls(np.ascontiguousarray(xs[:, keep]), ys, ws)
        dev = _deviance(beta, np.ascontiguousarray(x[:, keep]), y, w)
        drops.append((dev - dev_full) / d0)
    return drops


def _design_rows(
    d: Design, complete: np.ndarray[Any, Any], x: FloatArray, y: FloatArray, w: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The complete cases' rows spread over the design's rows, zero outside the domain, in
    the design's internal order (by stratum): the arrays ``Design.logit`` fits the domain
    on, so that the lean reduced fits are bit-identical to full refits on the design."""
    rows = np.flatnonzero(complete)
    n = complete.shape[0]
    xd = np.zeros((n, x.shape[1]))
    xd[rows] = x
    yd = np.zeros(n)
    yd[rows] = y
    wd = np.zeros(n)
    wd[rows] = w
    order = d.order
    if order is None:
        return xd, yd, wd
    return xd[order], yd[order], wd[order]


def _importance_once(
    d: Design,
    frame: pl.DataFrame,
    complete: np.ndarray[Any, Any],
    w: FloatArray,
    groups: Sequence[str],
    levels: dict[str, list[str]],
) -> tuple[float, list[float], LogitFit, FloatArray]:
    """Pseudo-R² of the full model (fitted with its design variance) and each group's drop.

    `d` is the design the models are fitted on (complete cases as its domain, `complete`
    marking them among its rows); `frame` holds the complete cases and `w` their weights in
    `d`, for the deviances. Also returns the full model matrix, which the bootstrap reuses
    row by row.
    """
    y = frame.get_column(_RESPONSE).cast(pl.Float64).to_numpy()
    d0 = _null_deviance(y, w)
    full = d.logit(_RESPONSE, categorical=list(groups))
    expected = ["(Intercept)", *(f"{g}{lev}" for g in groups for lev in levels[g][1:])]
    if list(full.terms) != expected:
        raise TypologyError(f"drivers: model terms {list(full.terms)} are not {expected}")
    x = _model_matrix(frame, groups, levels)
    dev_full = _deviance(full.coefficients, x, y, w)
    fit_rows = _design_rows(d, complete, x, y, w)
    drops = _drops(x, y, w, _columns(groups, levels), dev_full, d0, fit_rows)
    return 1.0 - dev_full / d0, drops, full, x


def _importance_replicate(
    x: FloatArray, y: FloatArray, w: FloatArray, columns: dict[str, list[int]]
) -> list[float]:
    """Each group's drop in pseudo-R² on one bootstrap replicate, coefficients only.

    A replicate that lost a level has a column of zeros: the rank check refuses it, as the
    full refit refused its shorter list of terms.
    """
    d0 = _null_deviance(y, w)
    dev_full = _deviance(_irls(x, y, w), x, y, w)
    return _drops(x, y, w, columns, dev_full, d0)


def _domain_design(
    everyone: pl.DataFrame, complete: pl.Series, groups: Sequence[str], spec: DesignSpec
) -> tuple[Design, FloatArray]:
    """The design over every respondent (calibrated as the wave was, when it was), with the
    response and the drivers left missing outside the complete cases, so that each model's
    respondents are a domain of it (R: `svyglm(..., design = subset(design, complete))`,
    r/typology_drivers_reference.R): a stratum's n_h counts all its respondents, and the
    subset is never calibrated again on its own. Returns it and the complete cases' weights.
    """
    # The design's own columns stay whole: they describe every respondent.
    protected = set(spec.calibration.columns) if spec.calibration is not None else set()
    protected |= {spec.weights, spec.strata or "", spec.psu or "", spec.fpc or ""}
    masked = everyone.with_columns(
        [
            pl.when(complete).then(pl.col(c)).otherwise(None).alias(c)
            for c in (_RESPONSE, *groups)
            if c not in protected
        ]
    )
    d = spec.design(masked)
    return d, d.weights[complete.to_numpy()]


def _check_separation(frame: pl.DataFrame, groups: Sequence[str]) -> None:
    """Refuse a driver level whose respondents are all active (or none is): its odds ratio
    is infinite, so the model has no estimate (the check `stats.regression.logit` makes)."""
    for g in groups:
        constant = (
            frame.group_by(pl.col(g).cast(pl.Utf8))
            .agg(pl.col(_RESPONSE).min().alias("lo"), pl.col(_RESPONSE).max().alias("hi"), pl.len())
            .filter(pl.col("lo") == pl.col("hi"))
            .sort(g)
        )
        if constant.height:
            level, outcome, _, count = constant.row(0)
            state = "active" if outcome else "not active"
            raise TypologyError(
                f"drivers: the {count} respondent(s) with {g} = {level!r} are all {state}, "
                "so the model cannot be estimated (separation); merge that level with another "
                f"or leave {g!r} out of the drivers"
            )


def _rao_wu_weights(
    rng: np.random.Generator, w: FloatArray, strata: np.ndarray[Any, Any]
) -> FloatArray:
    """One Rao-Wu rescaled bootstrap replicate: n_h - 1 draws with replacement per stratum."""
    out = w.copy()
    for h in np.unique(strata):
        idx = np.flatnonzero(strata == h)
        n_h = idx.size
        if n_h < 2:
            continue
        draws = np.bincount(rng.integers(0, n_h, n_h - 1), minlength=n_h)
        out[idx] = w[idx] * draws * n_h / (n_h - 1)
    return out


def activity_drivers(
    df: Any,
    groups: Sequence[str] = DRIVERS,
    response: str = "activity",
    active_codes: Sequence[str] = ACTIVE_CODES,
    design: DesignSpec | None = None,
    replicates: int = 100,
    seed: int = 2018,
    confidence: float = 0.95,
) -> DriversResult:
    """Weighted logit of being active on ``groups``, odds ratios with CIs, and relative importance.

    Respondents missing the response or any driver are left out of every model,
    so that the deviances compared are on the same respondents.
    """
    spec = design or DesignSpec()
    frame = as_polars(df)
    missing = [c for c in (response, spec.weights, *groups) if c not in frame.columns]
    if missing:
        raise ColumnError(f"drivers: columns missing from the wave: {missing}")
    if len(groups) < 2:
        raise TypologyError("drivers: relative importance needs at least two driver groups")
    complete_expr = pl.all_horizontal([pl.col(c).is_not_null() for c in (response, *groups)])
    everyone = frame.with_columns(
        pl.col(response).cast(pl.Utf8).is_in(list(active_codes)).cast(pl.Int8).alias(_RESPONSE)
    )
    complete = everyone.select(complete_expr.alias("_complete")).to_series()
    frame = everyone.filter(complete)
    if frame.height == 0:
        raise TypologyError("drivers: no respondent answered the response and every driver")
    levels = {g: _levels(frame, g) for g in groups}
    for g, lev in levels.items():
        if len(lev) < 2:
            raise TypologyError(f"drivers: {g!r} takes a single value ({lev}) among respondents")
    _check_separation(frame, groups)
    strata = spec.strata if spec.strata in frame.columns else None
    model_design, w_model = _domain_design(everyone, complete, groups, spec)
    r2, drops, fit, x = _importance_once(
        model_design, frame, complete.to_numpy(), w_model, groups, levels
    )
    columns = _columns(groups, levels)
    y = frame.get_column(_RESPONSE).cast(pl.Float64).to_numpy()

    rng = np.random.default_rng(seed)
    w = w_model
    strata_values = (
        frame.get_column(strata).cast(pl.Utf8).to_numpy() if strata else np.zeros(frame.height)
    )
    boot = np.full((replicates, len(groups)), np.nan)
    for b in range(replicates):
        wb = _rao_wu_weights(rng, w, strata_values)
        keep = wb > 0
        try:
            boot[b] = _importance_replicate(x[keep], y[keep], wb[keep], columns)
        except (StatsError, TypologyError, np.linalg.LinAlgError):
            # a replicate can lose a level or separate perfectly: it is left out, and
            # DriversResult.replicates says how many were used
            continue
    ok = ~np.isnan(boot).any(axis=1)
    boot = boot[ok]
    tail = (1 - confidence) / 2
    lo = np.quantile(boot, tail, axis=0) if boot.size else np.full(len(groups), np.nan)
    hi = np.quantile(boot, 1 - tail, axis=0) if boot.size else np.full(len(groups), np.nan)
    first = (
        np.bincount(np.argmax(boot, axis=1), minlength=len(groups)) / boot.shape[0]
        if boot.size
        else np.full(len(groups), np.nan)
    )
    total = float(np.sum(np.maximum(drops, 0.0)))
    importance = tuple(
        DriverImportance(
            group=g,
            reference_level=levels[g][0],
            delta_r2=float(drops[i]),
            ci_low=float(lo[i]),
            ci_high=float(hi[i]),
            share=float(max(drops[i], 0.0) / total) if total > 0 else float("nan"),
            rank_first=float(first[i]),
        )
        for i, g in enumerate(groups)
    )
    return DriversResult(
        response=response,
        active_codes=tuple(active_codes),
        n=frame.height,
        pseudo_r2=r2,
        terms=_terms(fit, groups, levels, confidence),
        importance=importance,
        replicates=int(boot.shape[0]),
        fit=fit,
    )


def _terms(
    fit: LogitFit, groups: Sequence[str], levels: dict[str, list[str]], confidence: float
) -> tuple[DriverTerm, ...]:
    owner: dict[str, tuple[str, str]] = {
        f"{g}{lev}": (g, lev) for g in groups for lev in levels[g][1:]
    }
    q = float(st.t.ppf(1 - (1 - confidence) / 2, max(fit.df_residual, 1)))
    out = []
    for term, b, se, odds, p in zip(
        fit.terms, fit.coefficients, fit.se, fit.odds_ratios, fit.p_values, strict=True
    ):
        group, level = owner.get(term, (None, None))
        out.append(
            DriverTerm(
                term=term,
                group=group,
                level=level,
                coefficient=b,
                se=se,
                odds_ratio=odds,
                ci_low=float(np.exp(b - q * se)),
                ci_high=float(np.exp(b + q * se)),
                p_value=p,
            )
        )
    return tuple(out)
