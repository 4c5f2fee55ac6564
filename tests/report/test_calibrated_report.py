"""The report on the wave's calibrated design: which design, its annex lines, trend covariance."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl
import pytest

from barometre.report import compute_results
from barometre.report.annex import variance_lines
from barometre.report.results_json import results_from_mapping, to_dict
from barometre.report.trends import Z_95, overlap_covariances
from barometre.wave import design_info, design_kind, wave_design

from .._calibrated import CalibratedWave, calibrated_wave


@pytest.fixture(scope="module")
def wave() -> CalibratedWave:
    """A wave of 700 respondents raked to size x sector cells and regions."""
    return calibrated_wave(700, seed=8)


@pytest.fixture(scope="module")
def results(wave: CalibratedWave, questionnaire: Any) -> Any:
    """Its results on the calibrated design."""
    return compute_results(
        wave.respondents,
        questionnaire,
        design_info(wave.spec),
        wave="2026",
        with_drivers=False,
        explorer=False,
    )


def test_results_record_the_calibrated_design(wave: CalibratedWave, results: Any) -> None:
    """The results say the SEs rest on the calibrated design with fpc, and its shares match it."""
    plan = results.design
    assert plan.kind == "calibrated" == design_kind(wave.spec)
    assert plan.fpc and plan.strata == "stratum"
    assert plan.margins == ("weighting_cell", "weighting_region")
    share = results.indicator("strategy.yes").share
    direct = wave_design(wave.respondents, wave.spec).proportion("strategy", "yes")
    assert share.se == pytest.approx(direct.se, rel=1e-9)
    assert results_from_mapping(to_dict(results)).design == plan


def test_annex_says_which_variance_plan_was_used(results: Any, questionnaire: Any) -> None:
    """The annex names the calibrated plan, its fpc and the changes' SE, in French and English."""
    fr = dict(variance_lines(results, "fr"))
    assert "calé sur les marges de la pondération" in fr["Plan des erreurs-types"]
    assert "correction de population finie" in fr["Plan des erreurs-types"]
    assert "\u00a0:" in fr["Plan des erreurs-types"]
    assert fr["Erreur-type des évolutions"].startswith("Sans objet")
    en = dict(variance_lines(results, "en"))
    assert "calibrated to the weighting's margins" in en["Design of the standard errors"]
    plain = compute_results(
        results_wave_plain(), questionnaire, wave="p", with_drivers=False, explorer=False
    )
    assert plain.design.kind == "plain"
    assert "ni calage" in dict(variance_lines(plain, "fr"))["Plan des erreurs-types"]


def results_wave_plain() -> pl.DataFrame:
    """A small wave without weighting spec."""
    from barometre.report.testing import example_wave

    return example_wave(300, seed=2)


def _panel(wave: CalibratedWave, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The same firms in two waves; a tenth of the second wave's strategy answers flipped."""
    first = wave.respondents.with_columns(pl.format("S{}", pl.int_range(pl.len())).alias("siren"))
    rng = np.random.default_rng(seed)
    flip = pl.Series(rng.random(first.height) < 0.1)
    second = first.with_columns(
        pl.when(flip & (pl.col("strategy") == "yes"))
        .then(pl.lit("no"))
        .when(flip & (pl.col("strategy") == "no"))
        .then(pl.lit("yes"))
        .otherwise(pl.col("strategy"))
        .alias("strategy")
    )
    return first, second


def test_change_se_includes_the_overlap_covariance(
    wave: CalibratedWave, questionnaire: Any
) -> None:
    """Firms in both waves give a positive covariance that shrinks the SE of a change."""
    first, second = _panel(wave, seed=4)
    info = design_info(wave.spec)
    light: dict[str, Any] = {"with_drivers": False, "with_typology": False, "explorer": False}
    before = compute_results(first, questionnaire, info, wave="2024", **light)
    independent = compute_results(
        second, questionnaire, info, wave="2026", previous=before, **light
    )
    paired = compute_results(
        second, questionnaire, info, wave="2026", previous=before, previous_data=first, **light
    )
    cov = paired.trend_covariance["strategy.yes"]
    assert cov > 0
    assert paired.design.trend_covariance and paired.design.overlap == first.height
    change = next(c for c in paired.changes if c.indicator_id == "strategy.yes")
    alone = next(c for c in independent.changes if c.indicator_id == "strategy.yes")
    se1, se2 = change.previous.se, change.current.se
    se = math.sqrt(se1**2 + se2**2 - 2 * cov)
    assert change.ci_high - change.ci_low == pytest.approx(2 * Z_95 * se, rel=1e-9)
    assert se < 0.7 * math.sqrt(se1**2 + se2**2)
    assert (change.ci_high - change.ci_low) < (alone.ci_high - alone.ci_low)
    lines = dict(variance_lines(paired, "fr"))
    assert f"{first.height}" in lines["Erreur-type des évolutions"].replace("\u202f", "")
    assert results_from_mapping(to_dict(paired)).trend_covariance == paired.trend_covariance


def test_overlap_covariance_matches_the_influence_formula(wave: CalibratedWave) -> None:
    """One indicator's covariance: sum over strata of (1 - n1 n2 / (m N)) m / (m - 1) sum z1 z2."""
    from barometre.questionnaire import load_builtin
    from barometre.report.indicators import catalogue, with_presence

    first, second = _panel(wave, seed=9)
    a, b = with_presence(first), with_presence(second)
    specs = [s for s in catalogue(load_builtin("bpi2018"), a.columns) if s.id == "strategy.yes"]
    sizes = dict(wave.spec.stratum_population)
    cov = overlap_covariances(b, a, specs, stratum_population=sizes)["strategy.yes"]

    def z(frame: pl.DataFrame) -> pl.DataFrame:
        y = (pl.col("strategy") == "yes").cast(pl.Float64)
        f = frame.filter(pl.col("strategy").is_not_null()).with_columns(y.alias("y"))
        total = float(f["weight"].sum())
        cell_mean = (pl.col("y") * pl.col("weight")).sum().over("weighting_cell") / pl.col(
            "weight"
        ).sum().over("weighting_cell")
        return f.with_columns((pl.col("weight") * (pl.col("y") - cell_mean) / total).alias("z"))

    za, zb = z(a), z(b)
    both = za.select("siren", "stratum", "z").join(
        zb.select("siren", pl.col("z").alias("z2")), on="siren"
    )
    expected = 0.0
    for (stratum,), g in both.group_by(["stratum"]):
        n1 = za.filter(pl.col("stratum") == stratum).height
        n2 = zb.filter(pl.col("stratum") == stratum).height
        m = g.height
        expected += (
            (1 - n1 * n2 / (m * sizes[str(stratum)]))
            * m
            / (m - 1)
            * float((g["z"] * g["z2"]).sum())
        )
    assert cov == pytest.approx(expected, rel=1e-10)
    assert overlap_covariances(b.drop("siren"), a, specs) == {}
