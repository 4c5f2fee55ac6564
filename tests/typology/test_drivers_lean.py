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


def _full_refits(
    frame: pl.DataFrame, weights: str, levels: dict[str, list[str]], strata: str | None
) -> tuple[float, list[float]]:
    """Pseudo-R² and drops as the drivers computed them before: every model by Design.logit."""
    d = Design(frame, weights=weights, strata=strata, singleton="adjust")
    y = frame.get_column(_RESPONSE).cast(pl.Float64).to_numpy()
    w = frame.get_column(weights).cast(pl.Float64).to_numpy()
    p = float(np.sum(w * y) / np.sum(w))
    d0 = float(-2.0 * np.sum(w * (y * np.log(p) + (1 - y) * np.log1p(-p))))
    full = d.logit(_RESPONSE, categorical=list(DRIVERS))
    expected = ["(Intercept)", *(f"{g}{lev}" for g in DRIVERS for lev in levels[g][1:])]
    if list(full.terms) != expected:
        raise TypologyError("a level was lost")
    dev_full = _deviance(full.coefficients, _model_matrix(frame, DRIVERS, levels), y, w)
    drops = []
    for g in DRIVERS:
        rest = [h for h in DRIVERS if h != g]
        reduced = d.logit(_RESPONSE, categorical=rest)
        dev = _deviance(reduced.coefficients, _model_matrix(frame, rest, levels), y, w)
        drops.append((dev - dev_full) / d0)
    return 1.0 - dev_full / d0, drops


def test_bootstrap_is_bit_identical_to_full_design_refits() -> None:
    """Drops, bootstrap CIs and first-rank shares equal, to the bit, those of full refits."""
    frame = _prepared(wave(900, seed=5))
    replicates, seed = 12, 7
    result = activity_drivers(wave(900, seed=5), replicates=replicates, seed=seed)
    levels = {g: _levels(frame, g) for g in DRIVERS}
    r2, drops = _full_refits(frame, "weight", levels, "stratum")
    rng = np.random.default_rng(seed)
    w = frame.get_column("weight").cast(pl.Float64).to_numpy()
    strata = frame.get_column("stratum").cast(pl.Utf8).to_numpy()
    boot = []
    for _ in range(replicates):
        wb = _rao_wu_weights(rng, w, strata)
        sub = frame.with_columns(pl.Series("__wrep", wb)).filter(pl.Series(wb > 0))
        try:
            boot.append(_full_refits(sub, "__wrep", levels, None)[1])
        except (StatsError, TypologyError, np.linalg.LinAlgError):
            continue
    b = np.array(boot)
    assert result.replicates == b.shape[0] > 0
    assert result.pseudo_r2 == r2
    first = np.bincount(np.argmax(b, axis=1), minlength=len(DRIVERS)) / b.shape[0]
    tail = (1 - 0.95) / 2  # as the drivers write it, not the literal 0.025
    low, high = np.quantile(b, tail, axis=0), np.quantile(b, 1 - tail, axis=0)
    for i, imp in enumerate(result.importance):
        assert imp.delta_r2 == drops[i]
        assert imp.ci_low == float(low[i])
        assert imp.ci_high == float(high[i])
        assert imp.rank_first == float(first[i])


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
