"""Replicate weights in the exports: JKn, recalibrated in each replicate, declared for analysts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from barometre.report import export_wave
from barometre.wave import design_info, wave_design

from .._calibrated import CalibratedWave, calibrated_wave


@pytest.fixture(scope="module")
def wave() -> CalibratedWave:
    """A small calibrated wave (200 respondents, so 200 replicates)."""
    return calibrated_wave(200, seed=21)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, wave: CalibratedWave, questionnaire: Any):
    """The wave exported with its replicate weights."""
    out = tmp_path_factory.mktemp("replicates")
    return export_wave(
        wave.respondents,
        questionnaire,
        out,
        lang="fr",
        design=design_info(wave.spec),
        replicate_weights=True,
    )


def test_replicate_columns_scales_and_do_file_are_written(exported: Any, wave: CalibratedWave):
    """repw_1..repw_R go in the CSV and Parquet, with R scales, a Stata do-file and a codebook."""
    data = pl.read_parquet(exported.parquet)
    reps = [c for c in data.columns if c.startswith("repw_")]
    jk = wave_design(wave.respondents, wave.spec).jackknife(recalibrate=True)
    assert reps == [f"repw_{r + 1}" for r in range(jk.n_replicates)]
    assert pl.read_csv(exported.csv).select(reps).shape == (wave.respondents.height, len(reps))
    scales = pl.read_csv(exported.replicate_scales)
    assert scales["replicate"].to_list() == reps
    assert np.allclose(scales["rscale"].to_numpy(), jk.rscales, rtol=1e-15)
    do = Path(exported.replicate_do).read_text(encoding="utf-8")
    assert "svyset [pweight = weight], vce(jackknife)" in do
    assert f"jkrweight(repw_1-repw_{len(reps)}" in do
    assert Path(exported.replicate_dta).stat().st_size > 0
    codebook = Path(exported.codebook_md).read_text(encoding="utf-8")
    assert 'svrepdesign(data = d, weights = ~weight, repweights = "repw_[0-9]+"' in codebook
    assert 'type = "JKn", scale = s$scale[1], rscales = s$rscale' in codebook
    assert "SPSS Complex Samples" in codebook


def test_each_replicate_is_recalibrated_to_the_margins(exported: Any, wave: CalibratedWave):
    """Every replicate's weights meet the wave's size x sector and region totals again."""
    data = pl.read_parquet(exported.parquet).with_columns(
        wave.respondents.select("weighting_cell", "weighting_region")
    )
    for column, totals in wave.spec.margins.items():
        sums = data.group_by(column).agg(pl.col("^repw_.*$").sum())
        for row in sums.iter_rows(named=True):
            got = np.array([v for k, v in row.items() if k.startswith("repw_")])
            assert np.allclose(got, totals[row[column]], rtol=1e-8)


def test_replicate_weights_reproduce_the_calibrated_jackknife_se(
    exported: Any, wave: CalibratedWave
) -> None:
    """The share of strategy = yes and its JKn variance recomputed from the files match stats."""
    data = pl.read_parquet(exported.parquet).filter(pl.col("strategy").is_not_null())
    scales = pl.read_csv(exported.replicate_scales)
    y = (data["strategy"] == "yes").cast(pl.Float64).to_numpy()
    w = data.select(scales["replicate"].to_list()).to_numpy()
    theta = (w * y[:, None]).sum(axis=0) / w.sum(axis=0)
    rscale = scales["rscale"].to_numpy()
    variance = scales["scale"][0] * float((rscale * (theta - theta.mean()) ** 2).sum())
    design = wave_design(wave.respondents, wave.spec)
    jk = design.jackknife(recalibrate=True).proportion("strategy", "yes")
    assert np.sqrt(variance) == pytest.approx(jk.se, abs=1e-6)
    # the replicates were recalibrated: R's default (final weights x factors) differs
    as_r_default = design.jackknife().proportion("strategy", "yes").se
    assert abs(np.sqrt(variance) - as_r_default) > 1e-4
