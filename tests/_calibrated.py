"""A small calibrated wave for tests: `example_wave` raked by `weight_wave` to frame counts.

The sample is stratified by size band; the frame's sector and region mix differ from the
sample's, so the calibration to size x sector cells and regions moves the weights. Activity
depends on the sector, so the calibration explains part of it and calibrated SEs are smaller
than plain (size-band-stratified) ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from barometre.questionnaire.vocabulary import SECTORS
from barometre.questionnaire.vocabulary import SIZE_BANDS as SIZES
from barometre.report.testing import POPULATION, example_wave
from barometre.wave import WaveWeighting, WeightingSpec, spec_of, weight_wave, with_weighting_groups

REGIONS = {"11": 0.28, "84": 0.27, "75": 0.2, "44": 0.18, "outre_mer": 0.07}
FRAME_SECTORS = dict(zip(SECTORS, (0.18, 0.08, 0.14, 0.18, 0.08, 0.08, 0.26), strict=True))


@dataclass(frozen=True)
class CalibratedWave:
    """A weighted wave: respondents (final weights, weighting groups, fpc), spec, counts."""

    respondents: pl.DataFrame
    spec: WeightingSpec
    weighting: WaveWeighting
    counts: pl.DataFrame


def frame_counts_for_tests() -> pl.DataFrame:
    """Frame units by size band x sector x region, with the sampling stratum (size band)."""
    rows = [
        {
            "size_band": size,
            "sector": sector,
            "region": region,
            "units": float(round(POPULATION[size] * share * r_share)),
        }
        for size in SIZES
        for sector, share in FRAME_SECTORS.items()
        for region, r_share in REGIONS.items()
    ]
    counts = pl.DataFrame(rows)
    # The sample is stratified by size band (its design weights depend on the band alone).
    return counts.with_columns(pl.col("size_band").alias("stratum"))


def calibrated_wave(n: int = 800, seed: int = 3, shift: float = 0.0) -> CalibratedWave:
    """`example_wave(n, seed)` weighted in one raking step to the test frame's margins."""
    wave = example_wave(n, seed=seed, shift=shift).with_columns(
        pl.col("size_band").alias("stratum")
    )
    counts = frame_counts_for_tests()
    weighting = weight_wave(wave, counts)
    spec = spec_of(weighting)
    final = wave.drop("weight").join(weighting.weights, on="case_id", how="left")
    return CalibratedWave(with_weighting_groups(final, spec), spec, weighting, counts)
