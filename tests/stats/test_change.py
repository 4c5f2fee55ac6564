"""Multiplicity adjustment and the covariance of overlapping samples."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from barometre.stats import Design, StatsError
from barometre.stats.change import adjust_p_values, overlap_covariance


def test_adjustments_match_r_p_adjust() -> None:
    """Holm and BH give R's p.adjust values (p = 0.01 ... 0.05, shuffled)."""
    p = [0.03, 0.01, 0.05, 0.02, 0.04]
    assert adjust_p_values(p, "holm") == pytest.approx([0.09, 0.05, 0.09, 0.08, 0.09])
    assert adjust_p_values(p, "bh") == pytest.approx([0.05] * 5)
    assert adjust_p_values(p, "none") == pytest.approx(p)
    with pytest.raises(StatsError, match="holm"):
        adjust_p_values(p, "bonferroni")  # type: ignore[arg-type]


def _wave(ids: list[str], y: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame(
        {"siren": ids, "stratum": ["a"] * len(ids), "weight": 10.0, "y": y.astype(float)}
    )


def test_panel_covariance_and_disjoint_samples() -> None:
    """The same firms give a positive covariance near the variance; disjoint samples none."""
    rng = np.random.default_rng(1)
    y = (rng.random(500) < 0.4).astype(float)
    ids = [f"s{i}" for i in range(500)]
    same = overlap_covariance(_wave(ids, y), _wave(ids, y), "y", stratum_population={"a": 1e9})
    variance = float(np.var(y, ddof=1) / 500)  # the design's variance of the mean
    assert same == pytest.approx(variance, rel=1e-6)
    other = [f"t{i}" for i in range(500)]
    assert (
        overlap_covariance(_wave(ids, y), _wave(other, y), "y", stratum_population={"a": 1e9})
        == 0.0
    )
    whole = overlap_covariance(_wave(ids, y), _wave(ids, y), "y", stratum_population={"a": 500})
    assert whole == pytest.approx(0.0, abs=1e-15), "a census panel has no sampling covariance"


def test_a_panel_of_the_same_answers_has_a_change_with_no_variance() -> None:
    """In small strata the covariance carries the variance's n / (n - 1): same answers twice,
    change SE zero (without it, strata of 10 firms left a third of the independent SE)."""
    rng = np.random.default_rng(7)
    strata = [s for s in "abc" for _ in range(10)]
    population = {"a": 200.0, "b": 120.0, "c": 40.0}
    frame = pl.DataFrame(
        {
            "siren": [f"s{i}" for i in range(30)],
            "stratum": strata,
            "weight": [population[s] / 10 for s in strata],
            "fpc": [population[s] for s in strata],
            "y": (rng.random(30) < 0.5).astype(float),
        }
    )
    se = Design(frame, weights="weight", strata="stratum", fpc="fpc").mean("y").se
    cov = overlap_covariance(frame, frame, "y", stratum_population=population)
    assert cov == pytest.approx(se**2, rel=1e-10)
    assert se**2 + se**2 - 2 * cov == pytest.approx(0.0, abs=1e-15)
