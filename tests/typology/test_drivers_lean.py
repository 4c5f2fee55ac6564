"""The drivers' bootstrap refits with a lean IRLS: same numbers as full design refits, faster."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
import pytest
from scipy.special import expit

from barometre.stats import Design, StatsError
from barometre.typology.drivers import (
    _RESPONSE,
    DRIVERS,
    _irls,
    _levels,
    _model_matrix,
    _rao_wu_weights,
    activity_drivers,
)
from barometre.typology.errors import TypologyError
from barometre.typology.profiles import DesignSpec
from barometre.wave import calibration_of

from .._calibrated import calibrated_wave
from ._wave import wave


def _prepared(frame: pl.DataFrame) -> pl.DataFrame:
    complete = pl.all_horizontal([pl.col(c).is_not_null() for c in ("activity", *DRIVERS)])
    return frame.filter(complete).with_columns(
        pl.col("activity").is_in(["active", "tres_active"]).cast(pl.Int8).alias(_RESPONSE)
    )


def _deviance(beta: Sequence[float], x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The weighted binomial deviance, computed as the drivers computed it before."""
    mu = np.clip(expit(x @ np.asarray(beta)), 1e-300, 1 - 1e-16)
    return float(-2.0 * np.sum(w * (y * np.log(mu) + (1 - y) * np.log1p(-mu))))


def _domain(frame: pl.DataFrame, groups: Sequence[str]) -> pl.DataFrame:
    """The wave with the response and the drivers missing outside the complete cases."""
    complete = pl.all_horizontal([pl.col(c).is_not_null() for c in ("activity", *groups)])
    active = pl.col("activity").is_in(["active", "tres_active"]).cast(pl.Int8)
    return frame.with_columns(
        pl.when(complete).then(active).otherwise(None).alias(_RESPONSE),
        *[pl.when(complete).then(pl.col(g)).otherwise(None).alias(g) for g in groups],
    )


def _full_refits(
    d: Design, data: pl.DataFrame, groups: Sequence[str], levels: dict[str, list[str]]
) -> tuple[float, list[float]]:
    """Pseudo-R² and drops as the drivers computed them before: every model by Design.logit,
    on `d` over `data`, whose respondents with a response are the models' domain."""
    inside = data.get_column(_RESPONSE).is_not_null().to_numpy()
    cases = data.filter(pl.Series(inside))
    y = cases.get_column(_RESPONSE).cast(pl.Float64).to_numpy()
    w = d.weights[inside]
    p = float(np.sum(w * y) / np.sum(w))
    d0 = float(-2.0 * np.sum(w * (y * np.log(p) + (1 - y) * np.log1p(-p))))
    full = d.logit(_RESPONSE, categorical=list(groups))
    expected = ["(Intercept)", *(f"{g}{lev}" for g in groups for lev in levels[g][1:])]
    if list(full.terms) != expected:
        raise TypologyError("a level was lost")
    dev_full = _deviance(full.coefficients, _model_matrix(cases, groups, levels), y, w)
    drops = []
    for g in groups:
        rest = [h for h in groups if h != g]
        reduced = d.logit(_RESPONSE, categorical=rest)
        dev = _deviance(reduced.coefficients, _model_matrix(cases, rest, levels), y, w)
        drops.append((dev - dev_full) / d0)
    return 1.0 - dev_full / d0, drops


def _calibrated_with_holes() -> tuple[pl.DataFrame, DesignSpec]:
    """The calibrated test wave with one activity answer in 12 missing, and its design."""
    wave_ = calibrated_wave(800, seed=3)
    holes = pl.Series(np.arange(wave_.respondents.height) % 12 == 5)
    data = wave_.respondents.with_columns(
        pl.when(holes).then(None).otherwise(pl.col("activity")).alias("activity")
    )
    return data, DesignSpec(fpc="fpc", calibration=calibration_of(wave_.spec))


@pytest.mark.parametrize("case", ["plain", "calibrated"])
def test_bootstrap_is_bit_identical_to_full_design_refits(case: str) -> None:
    """Drops, bootstrap CIs and first-rank shares equal, to the bit, those of full refits by
    Design.logit on the complete cases as a domain of the wave's design (plain, or with its
    fpc and calibration), the bootstrap replicates refitted on the complete cases."""
    if case == "plain":
        data, spec, groups = wave(900, seed=5), DesignSpec(), list(DRIVERS)
    else:
        data, spec = _calibrated_with_holes()
        groups = ["leader_activity", "staff_trained", "sector", "size_band"]
    replicates, seed = 12, 7
    result = activity_drivers(data, groups=groups, design=spec, replicates=replicates, seed=seed)
    masked = _domain(data, groups)
    d = spec.design(masked)
    inside = masked.get_column(_RESPONSE).is_not_null()
    assert 0 < int(inside.sum()) < masked.height  # a domain, not the whole design
    frame = masked.filter(inside)
    levels = {g: _levels(frame, g) for g in groups}
    r2, drops = _full_refits(d, masked, groups, levels)
    rng = np.random.default_rng(seed)
    w = d.weights[inside.to_numpy()]
    strata = frame.get_column("stratum").cast(pl.Utf8).to_numpy()
    boot = []
    for _ in range(replicates):
        wb = _rao_wu_weights(rng, w, strata)
        sub = frame.with_columns(pl.Series("__wrep", wb)).filter(pl.Series(wb > 0))
        try:
            rep = Design(sub, weights="__wrep", singleton="adjust")
            boot.append(_full_refits(rep, sub, groups, levels)[1])
        except (StatsError, TypologyError, np.linalg.LinAlgError):
            continue
    b = np.array(boot)
    assert result.replicates == b.shape[0] > 0
    assert result.pseudo_r2 == r2
    full = d.logit(_RESPONSE, categorical=groups)
    assert result.fit.coefficients == full.coefficients
    assert result.fit.se == full.se
    first = np.bincount(np.argmax(b, axis=1), minlength=len(groups)) / b.shape[0]
    tail = (1 - 0.95) / 2  # as the drivers write it, not the literal 0.025
    low, high = np.quantile(b, tail, axis=0), np.quantile(b, 1 - tail, axis=0)
    for i, imp in enumerate(result.importance):
        assert imp.delta_r2 == drops[i]
        assert imp.ci_low == float(low[i])
        assert imp.ci_high == float(high[i])
        assert imp.rank_first == float(first[i])


def test_the_domain_keeps_every_respondent_in_its_stratum() -> None:
    """The drivers' SEs are those of the complete cases as a domain of the design, which a
    design drawn on the complete cases alone (each stratum's n_h counting only them) is not."""
    data = wave(900, seed=5)
    result = activity_drivers(data, replicates=0)
    masked = _domain(data, DRIVERS)
    domain = DesignSpec().design(masked).logit(_RESPONSE, categorical=list(DRIVERS))
    alone = DesignSpec().design(masked.filter(pl.col(_RESPONSE).is_not_null()))
    cases = alone.logit(_RESPONSE, categorical=list(DRIVERS))
    assert result.fit.se == domain.se
    assert result.fit.coefficients == pytest.approx(cases.coefficients, rel=1e-12)
    moved = [abs(a / b - 1) for a, b in zip(result.fit.se, cases.se, strict=True)]
    assert max(moved) > 1e-5


def test_lean_irls_matches_the_design_logit() -> None:
    """_irls gives Design.logit's coefficients (stats.regression) to 1e-10, unweighted rows too."""
    frame = _prepared(wave(700, seed=9))
    levels = {g: _levels(frame, g) for g in DRIVERS}
    fit = Design(frame, weights="weight").logit(_RESPONSE, categorical=list(DRIVERS))
    x = _model_matrix(frame, DRIVERS, levels)
    y = frame.get_column(_RESPONSE).cast(pl.Float64).to_numpy()
    w = frame.get_column("weight").cast(pl.Float64).to_numpy()
    beta = _irls(x, y, w)
    assert beta == pytest.approx(np.array(fit.coefficients), abs=1e-10)
    assert _deviance(beta, x, y, w) == pytest.approx(_deviance(fit.coefficients, x, y, w))


def test_lean_irls_refuses_a_lost_level() -> None:
    """A replicate that lost a level (a column of zeros) is refused as a StatsError."""
    frame = _prepared(wave(400, seed=2))
    levels = {g: _levels(frame, g) for g in DRIVERS}
    x = _model_matrix(frame, DRIVERS, levels)
    x[:, 3] = 0.0
    y = frame.get_column(_RESPONSE).cast(pl.Float64).to_numpy()
    with pytest.raises(StatsError, match="rank deficient"):
        _irls(x, y, np.ones(x.shape[0]))
