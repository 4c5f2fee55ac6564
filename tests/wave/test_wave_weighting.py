"""Weighting a wave: one raking step to the frame's cells and regions, thin cells merged."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from barometre.wave import OTHER_REGIONS, WeightingError, frame_counts, weight_wave

SIZES = ("0-9", "10-19", "20-49")
SECTORS = ("industrie", "services")
REGIONS = ("11", "84", "94")


def _frame(rng: np.random.Generator, n: int = 20_000) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "size_band": rng.choice(SIZES, n, p=[0.5, 0.3, 0.2]),
            "sector": rng.choice(SECTORS, n),
            "region": rng.choice(REGIONS, n, p=[0.5, 0.49, 0.01]),
        }
    )


def _wave(frame: pl.DataFrame, rng: np.random.Generator, rate: float = 0.1) -> pl.DataFrame:
    """Respondents of a proportional 20 % sample with a response rate growing with size."""
    sample = frame.sample(fraction=0.2, seed=int(rng.integers(1 << 30)))
    p = sample["size_band"].replace_strict({"0-9": rate, "10-19": 2 * rate, "20-49": 3 * rate})
    resp = sample.filter(pl.Series(rng.random(sample.height) < p.to_numpy()))
    return resp.with_columns(
        pl.format("c{}", pl.int_range(pl.len())).alias("case_id"),
        pl.concat_str("size_band", "sector", separator="|").alias("stratum"),
        pl.lit(5.0).alias("design_weight"),
    )


def test_weights_reproduce_cell_and_region_counts() -> None:
    """Raked weights sum to the frame count of every size x sector cell and every region."""
    rng = np.random.default_rng(1)
    frame = _frame(rng)
    wave = _wave(frame, rng)
    result = weight_wave(wave, frame_counts(frame), min_cell=5)
    data = result.design.data.with_columns(pl.Series("w", result.design.weights))
    cells = dict(data.group_by("weighting_cell").agg(pl.col("w").sum()).iter_rows())
    expected = dict(
        frame.group_by(pl.concat_str("size_band", "sector", separator="|")).len().iter_rows()
    )
    for cell, count in expected.items():
        assert cells[cell] == pytest.approx(count, rel=1e-8)
    assert float(result.weights["weight"].sum()) == pytest.approx(frame.height, rel=1e-8)
    assert result.weights["case_id"].to_list() == wave["case_id"].to_list()


def test_thin_region_joins_other_regions() -> None:
    """A region with fewer respondents than min_cell is weighted inside "other regions"."""
    rng = np.random.default_rng(2)
    frame = _frame(rng)
    wave = _wave(frame, rng).filter(pl.col("region") != "94")
    result = weight_wave(wave, frame_counts(frame), min_cell=5)
    merged = [m for m in result.merges if m.variable == "region"]
    assert merged and "94" in merged[0].merged and merged[0].into == OTHER_REGIONS
    assert merged[0].respondents >= 5, "a merged group still too thin takes in a small region"
    assert OTHER_REGIONS in result.margins["weighting_region"]


def test_thin_cell_merges_within_its_size_band() -> None:
    """A size x sector cell with too few respondents is merged, and the merge is reported."""
    rng = np.random.default_rng(3)
    frame = _frame(rng)
    wave = _wave(frame, rng)
    thin = wave.filter((pl.col("size_band") == "20-49") & (pl.col("sector") == "services")).head(2)
    wave = pl.concat([wave.filter(pl.col("stratum") != "20-49|services"), thin])
    result = weight_wave(wave, frame_counts(frame), min_cell=5, use_region=False)
    cells = [m for m in result.merges if m.variable == "size_band x sector"]
    assert cells and "20-49|services" in cells[0].merged
    assert set(result.margins) == {"weighting_cell"}


def test_bounds_hold_inside_the_single_raking_step() -> None:
    """Adjustment factors stay within the bounds, relative to the overall adjustment."""
    rng = np.random.default_rng(4)
    frame = _frame(rng)
    wave = _wave(frame, rng)
    low, high = 0.4, 2.5
    result = weight_wave(wave, frame_counts(frame), bounds=(low, high))
    overall = frame.height / float(wave["design_weight"].sum())
    g = result.weights["weight"].to_numpy() / (wave["design_weight"].to_numpy() * overall)
    assert g.min() >= low - 1e-9 and g.max() <= high + 1e-9


def test_missing_columns_are_named() -> None:
    """A wave without its design columns is refused with the missing names."""
    frame = _frame(np.random.default_rng(5))
    with pytest.raises(WeightingError, match="design_weight"):
        weight_wave(pl.DataFrame({"case_id": ["a"], "stratum": ["x"]}), frame_counts(frame))


def test_respondent_outside_the_frame_is_named() -> None:
    """A respondent whose size x sector cell is not in the frame is reported by case id."""
    rng = np.random.default_rng(6)
    frame = _frame(rng)
    wave = _wave(frame, rng)
    stray = wave.head(1).with_columns(
        pl.lit("transport").alias("sector"), pl.lit("zz").alias("case_id")
    )
    with pytest.raises(WeightingError, match="case zz"):
        weight_wave(pl.concat([wave, stray]), frame_counts(frame))


def test_empty_wave_is_refused() -> None:
    """A wave with no respondents cannot be weighted."""
    frame = _frame(np.random.default_rng(7))
    wave = _wave(frame, np.random.default_rng(7)).head(0)
    with pytest.raises(WeightingError, match="no respondents"):
        weight_wave(wave, frame_counts(frame))
