"""The weighting's fallback ladder, nearest-neighbour merges and the rebuilt calibrated design."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from barometre.wave import (
    CELL,
    WeightingSpec,
    calibrated_design,
    frame_counts,
    spec_of,
    weight_wave,
    weighting_report,
)

SIZES = ("0-9", "10-19")
SECTORS = ("commerce", "industrie", "services", "transport")


def _frame(n: int = 40_000, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "size_band": rng.choice(SIZES, n, p=[0.6, 0.4]),
            "sector": rng.choice(SECTORS, n),
            "region": rng.choice(["11", "84"], n),
        }
    ).with_columns(pl.concat_str("size_band", "sector", separator="|").alias("stratum"))


def _wave(frame: pl.DataFrame, rates: dict[str, float], seed: int = 2) -> pl.DataFrame:
    """Respondents of a 10 % proportional sample, with a response rate per stratum."""
    rng = np.random.default_rng(seed)
    sample = frame.sample(fraction=0.1, seed=seed)
    p = sample["stratum"].replace_strict(rates, default=0.3, return_dtype=pl.Float64).to_numpy()
    resp = sample.filter(pl.Series(rng.random(sample.height) < p))
    return resp.with_columns(
        pl.format("c{}", pl.int_range(pl.len())).alias("case_id"),
        pl.lit(10.0).alias("design_weight"),
    )


def test_one_thin_cell_merges_with_one_neighbour_not_the_band() -> None:
    """A thin cell joins its nearest neighbour only; the other cells of its band stay apart."""
    frame = _frame()
    wave = _wave(frame, {"0-9|transport": 0.001, "0-9|services": 0.28})
    result = weight_wave(wave, frame_counts(frame), use_region=False)
    merges = [m for m in result.merges if m.variable == "size_band x sector"]
    assert len(merges) == 1
    assert "0-9|transport" in merges[0].merged and len(merges[0].merged) == 2
    assert merges[0].into != "0-9|all"
    cells = set(result.margins[CELL])
    assert {"0-9|commerce", "0-9|industrie"} <= cells or len(cells) == 2 + 4


def test_infeasible_bounds_climb_the_ladder_and_never_raise() -> None:
    """Bounds no g can meet lead to recorded fallback steps, and the margins are still met."""
    frame = _frame()
    # One stratum answers 20 times less than the others: its g must be ~20 times theirs.
    wave = _wave(frame, {"0-9|commerce": 0.015})
    result = weight_wave(wave, frame_counts(frame), bounds=(0.5, 2.0), use_region=False)
    kinds = [s.kind for s in result.steps]
    assert kinds, "the bounds (0.5, 2) cannot hold here"
    assert all(s.reason for s in result.steps)
    data = result.design.data.with_columns(pl.Series("w", result.design.weights))
    got = dict(data.group_by(CELL).agg(pl.col("w").sum()).iter_rows())
    for cell, total in result.margins[CELL].items():
        assert got[cell] == pytest.approx(total, rel=1e-6)
    text = weighting_report(result, "fr")
    assert "étapes de repli" in text and "\u00a0" not in text.split(":")[0]


def test_spec_rebuilds_the_same_weights_with_the_fpc() -> None:
    """The stored spec rebuilds the calibrated design: same weights, and a finite population
    correction that shrinks the SE against a design without it."""
    frame = _frame()
    wave = _wave(frame, {"0-9|transport": 0.05})
    result = weight_wave(wave, frame_counts(frame))
    spec = WeightingSpec.from_json(spec_of(result).to_json())
    assert spec == spec_of(result)
    rebuilt = calibrated_design(wave, spec)
    np.testing.assert_allclose(rebuilt.weights, result.weights["weight"].to_numpy(), rtol=1e-9)
    data = wave.with_columns(
        # Not a margin (a margin's share would be calibrated to a zero SE).
        pl.Series("y", (np.random.default_rng(9).random(wave.height) < 0.3).astype(float)),
        pl.Series("weight", result.weights["weight"]),
    )
    with_fpc = calibrated_design(data, spec).mean("y")
    no_design_weight = calibrated_design(data.drop("design_weight"), spec).mean("y")
    assert no_design_weight.estimate == pytest.approx(with_fpc.estimate, rel=1e-9)
    assert no_design_weight.se == pytest.approx(with_fpc.se, rel=0.05)
    bare = WeightingSpec(**{**spec.__dict__, "stratum_population": {}})
    assert calibrated_design(data, bare).mean("y").se > with_fpc.se
