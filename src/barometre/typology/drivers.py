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
from typing import Any, Literal

import numpy as np
import polars as pl
from scipy import stats as st
from scipy.special import expit

from barometre.stats import Design, LogitFit, StatsError
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


def _deviance(fit: LogitFit, x: FloatArray, y: FloatArray, w: FloatArray) -> float:
    mu = expit(x @ np.asarray(fit.coefficients))
    mu = np.clip(mu, 1e-300, 1 - 1e-16)
    return float(-2.0 * np.sum(w * (y * np.log(mu) + (1 - y) * np.log1p(-mu))))


def _null_deviance(y: FloatArray, w: FloatArray) -> float:
    p = float(np.sum(w * y) / np.sum(w))
    return float(-2.0 * np.sum(w * (y * np.log(p) + (1 - y) * np.log1p(-p))))


def _importance_once(
    frame: pl.DataFrame,
    weights: str,
    groups: Sequence[str],
    levels: dict[str, list[str]],
    strata: str | None,
    singleton: Literal["fail", "certainty", "adjust", "average"],
) -> tuple[float, list[float], LogitFit]:
    """Pseudo-R² of the full model and its drop for each group removed."""
    d = Design(frame, weights=weights, strata=strata, singleton=singleton)
    y = frame.get_column(_RESPONSE).cast(pl.Float64).to_numpy()
    w = frame.get_column(weights).cast(pl.Float64).to_numpy()
    d0 = _null_deviance(y, w)
    full = d.logit(_RESPONSE, categorical=list(groups))
    expected = ["(Intercept)", *(f"{g}{lev}" for g in groups for lev in levels[g][1:])]
    if list(full.terms) != expected:
        raise TypologyError(f"drivers: model terms {list(full.terms)} are not {expected}")
    dev_full = _deviance(full, _model_matrix(frame, groups, levels), y, w)
    drops = []
    for g in groups:
        rest = [h for h in groups if h != g]
        reduced = d.logit(_RESPONSE, categorical=rest)
        dev = _deviance(reduced, _model_matrix(frame, rest, levels), y, w)
        drops.append((dev - dev_full) / d0)
    return 1.0 - dev_full / d0, drops, full


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
    complete = pl.all_horizontal([pl.col(c).is_not_null() for c in (response, *groups)])
    frame = frame.filter(complete).with_columns(
        pl.col(response).cast(pl.Utf8).is_in(list(active_codes)).cast(pl.Int8).alias(_RESPONSE)
    )
    if frame.height == 0:
        raise TypologyError("drivers: no respondent answered the response and every driver")
    levels = {g: _levels(frame, g) for g in groups}
    for g, lev in levels.items():
        if len(lev) < 2:
            raise TypologyError(f"drivers: {g!r} takes a single value ({lev}) among respondents")
    _check_separation(frame, groups)
    strata = spec.strata if spec.strata in frame.columns else None
    r2, drops, fit = _importance_once(frame, spec.weights, groups, levels, strata, spec.singleton)

    rng = np.random.default_rng(seed)
    w = frame.get_column(spec.weights).cast(pl.Float64).to_numpy()
    strata_values = (
        frame.get_column(strata).cast(pl.Utf8).to_numpy() if strata else np.zeros(frame.height)
    )
    boot = np.full((replicates, len(groups)), np.nan)
    for b in range(replicates):
        wb = _rao_wu_weights(rng, w, strata_values)
        keep = wb > 0
        sub = frame.with_columns(pl.Series("__wrep", wb)).filter(pl.Series(keep))
        try:
            _, boot[b], _ = _importance_once(sub, "__wrep", groups, levels, None, spec.singleton)
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
