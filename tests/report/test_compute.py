"""The wave's numbers: indicators, bases, suppression, comparisons and changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from barometre.report import (
    DesignInfo,
    ReportError,
    Share,
    WaveFormatError,
    WaveResults,
    compute_results,
    write_results_json,
)
from barometre.report.indicators import catalogue
from barometre.report.study2018 import PUBLISHED_TO_INDICATOR, compare_published
from barometre.report.testing import example_wave as make_wave
from barometre.report.trends import changes


def test_every_closed_question_code_is_an_indicator(
    results: WaveResults, questionnaire: Any
) -> None:
    """Each code of each single, yes/no, scale and multiple question has an indicator."""
    ids = {i.id for i in results.indicators}
    for q in questionnaire.questions:
        for c in q.choices:
            assert f"{q.id}.{c.code}" in ids
    for derived in (
        "presence_any",
        "activity.active_or_tres_active",
        "spend.under_10k",
        "net_facebook.yes@present",
        "managed_by.leader@all",
    ):
        assert derived in ids


def test_weighted_share_is_the_weighted_mean(results: WaveResults, wave: pl.DataFrame) -> None:
    """An indicator's estimate is sum(w*y)/sum(w) over its base, and the CI brackets it."""
    answered = wave.filter(pl.col("tempo").is_not_null())
    y = (answered["tempo"] == "en_retard").cast(pl.Float64)
    expected = float((answered["weight"] * y).sum() / answered["weight"].sum())
    share = results.indicator("tempo.en_retard").share
    assert share.estimate == pytest.approx(expected, rel=1e-12)
    assert share.n == answered.height
    assert share.unweighted == pytest.approx(float(y.mean()), rel=1e-12)
    for ind in results.indicators:
        s = ind.share
        if s.shown:
            assert s.ci_low is not None and s.ci_high is not None and s.estimate is not None
            assert s.ci_low <= s.estimate <= s.ci_high, ind.id


def test_base_of_networks_among_present_firms(results: WaveResults, wave: pl.DataFrame) -> None:
    """Network shares among present firms rest on the present firms only."""
    present = wave.filter(pl.col("present") == "yes").height
    assert results.indicator("net_linkedin.yes@present").share.n == present
    assert results.indicator("actions.company_news").share.n == present
    assert results.indicator("managed_by.leader@all").share.n == wave.height


def test_group_equals_the_sum_of_its_codes(results: WaveResults) -> None:
    """ "Active or très active" is the sum of "active" and "très active"."""
    total = sum(
        results.indicator(f"activity.{c}").share.estimate or 0 for c in ("active", "tres_active")
    )
    assert results.indicator("activity.active_or_tres_active").share.estimate == pytest.approx(
        total
    )


def test_small_cells_are_suppressed_and_marked(wave: pl.DataFrame, questionnaire: Any) -> None:
    """With a minimum base of 100, cells under 100 respondents lose their numbers."""
    r = compute_results(wave, questionnaire, min_base=100, with_drivers=False)
    cells = [c for b in r.breakdowns for c in b.cells]
    small = [c for c in cells if c.share.n < 100]
    assert small, "the test wave must have small cells"
    assert all(c.share.suppressed and c.share.estimate is None for c in small)
    assert all(not c.share.suppressed for c in cells if c.share.n >= 100)


def test_breakdowns_cover_size_sector_and_market(results: WaveResults) -> None:
    """Key indicators are broken down by size band, sector and market, in questionnaire order."""
    assert [b.variable for b in results.breakdowns] == ["size_band", "sector", "market"]
    size = results.breakdown("size_band")
    assert size is not None
    assert size.domains == ("0-9", "10-19", "20-49", "50-249", "250+")
    cell = size.cell("activity.active_or_tres_active", "20-49")
    assert cell is not None and cell.share.n > 0


def test_published_2018_figures_map_to_indicators(wave: pl.DataFrame, questionnaire: Any) -> None:
    """Every mapped 2018 figure names an indicator the catalogue makes."""
    ids = {s.id for s in catalogue(questionnaire, wave.columns)}
    assert set(PUBLISHED_TO_INDICATOR.values()) <= ids


def test_comparison_with_2018_flags_clear_gaps() -> None:
    """A gap of 20 points with small SEs is significant; a gap of 0.5 point is not."""
    far = {"presence_any": Share(0.9, 0.01, 0.88, 0.92, 1000, 0.9)}
    near = {"presence_any": Share(0.705, 0.01, 0.685, 0.725, 1000, 0.7)}
    (c_far,) = compare_published(far)
    (c_near,) = compare_published(near)
    assert c_far.published == pytest.approx(0.70)
    assert c_far.difference == pytest.approx(0.20) and c_far.significant is True
    assert c_near.significant is False


def test_change_between_waves_has_a_ci() -> None:
    """The change is the difference, with CI = diff ± 1.96 sqrt(se1² + se2²) (independent waves)."""
    prev = {"x": Share(0.30, 0.02, 0.26, 0.34, 800, 0.3)}
    cur = {"x": Share(0.40, 0.015, 0.37, 0.43, 900, 0.4)}
    (c,) = changes(prev, cur)
    half = 1.959963984540054 * (0.02**2 + 0.015**2) ** 0.5
    assert c.difference == pytest.approx(0.10)
    assert c.ci_low == pytest.approx(0.10 - half) and c.ci_high == pytest.approx(0.10 + half)
    assert c.significant


def test_results_carry_changes_since_the_previous_wave(results: WaveResults) -> None:
    """With an earlier wave, every indicator of both waves gets a change."""
    assert results.previous_wave == "2024"
    assert {c.indicator_id for c in results.changes} == {i.id for i in results.indicators}


def test_weight_diagnostics(results: WaveResults, wave: pl.DataFrame) -> None:
    """Kish deff = n sum(w²)/sum(w)², effective n = n / deff."""
    w = wave["weight"]
    deff = wave.height * float((w**2).sum()) / float(w.sum()) ** 2
    assert results.weights.deff_kish == pytest.approx(deff)
    assert results.weights.effective_n == pytest.approx(wave.height / deff)


def test_typology_shares_and_not_classified(results: WaveResults, wave: pl.DataFrame) -> None:
    """Four segments whose shares sum to 1; unanswered tempo rows are counted as not classified."""
    typ = results.typology
    assert typ is not None
    assert {s.code for s in typ.segments} == {
        "masse_silencieuse",
        "desinvoltes",
        "combatives",
        "pionnieres",
    }
    assert sum(s.share.estimate or 0 for s in typ.segments) == pytest.approx(1.0)
    missing = wave.filter(pl.col("tempo").is_null() | pl.col("activity").is_null()).height
    assert typ.not_classified == missing > 0
    assert {s.position for s in typ.segments} == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_drivers_have_odds_ratios(results: WaveResults) -> None:
    """The drivers model gives odds ratios inside their CIs, and a weight per driver group."""
    d = results.drivers
    assert d is not None and d.terms and d.groups
    for term in d.terms:
        assert term.ci_low <= term.odds_ratio <= term.ci_high
    assert sum(g.share for g in d.groups) == pytest.approx(1.0)


def test_missing_weight_column_is_a_clear_error(wave: pl.DataFrame, questionnaire: Any) -> None:
    """A wave without its weight column raises WaveFormatError naming the column."""
    with pytest.raises(WaveFormatError, match="w_final"):
        compute_results(wave, questionnaire, DesignInfo(weights="w_final"))


def test_trends_need_the_same_questionnaire(
    results: WaveResults, wave: pl.DataFrame, questionnaire: Any
) -> None:
    """An earlier wave of another questionnaire is refused with a message naming both."""
    other = dataclasses.replace(results, questionnaire_id="other2030", wave="2030")
    with pytest.raises(ReportError, match="other2030"):
        compute_results(wave, questionnaire, previous=other)


def test_a_model_that_cannot_be_fitted_leaves_a_note(
    wave: pl.DataFrame, questionnaire: Any
) -> None:
    """When every firm has the same size band, the drivers are left out with a note saying why."""
    one_size = wave.with_columns(pl.lit("20-49").alias("size_band"))
    r = compute_results(one_size, questionnaire, with_typology=False)
    assert r.drivers is None
    assert any(n.startswith("drivers:") and "size_band" in n for n in r.notes)


def test_unstratified_wave(wave: pl.DataFrame, questionnaire: Any) -> None:
    """A wave without strata is estimated as a single-stratum design."""
    r = compute_results(
        wave.drop("stratum"), questionnaire, DesignInfo(strata=None), with_drivers=False
    )
    assert r.strata == ()
    assert r.indicator("presence_any").share.shown


def test_question_nobody_answered(wave: pl.DataFrame, questionnaire: Any) -> None:
    """A question left blank by everyone gives suppressed shares with a base of 0, no error."""
    blank = wave.with_columns(pl.lit(None, dtype=pl.Utf8).alias("growth"))
    r = compute_results(blank, questionnaire, with_typology=False, with_drivers=False)
    share = r.indicator("growth.up").share
    assert share.n == 0 and share.suppressed and share.estimate is None


def test_drivers_bootstrap_gives_intervals_and_ranks(results: WaveResults) -> None:
    """With replicates, each driver group has a CI around its weight and a first-rank share."""
    d = results.drivers
    assert d is not None
    for g in d.groups:
        assert g.ci_low is not None and g.ci_high is not None and g.rank_first is not None
        assert g.ci_low <= g.ci_high
    assert sum(g.rank_first or 0 for g in d.groups) == pytest.approx(1.0)


def test_two_runs_write_identical_results_json(
    results: WaveResults, wave: pl.DataFrame, questionnaire: Any, tmp_path: Path
) -> None:
    """Computing the same wave twice gives byte-identical results.json (sums in a fixed order)."""
    previous = compute_results(
        make_wave(500, seed=12), questionnaire, wave="2024", with_drivers=False
    )
    again = compute_results(
        wave, questionnaire, wave="2026", previous=previous, driver_replicates=20
    )
    first = write_results_json(results, tmp_path / "first.json").read_bytes()
    second = write_results_json(again, tmp_path / "second.json").read_bytes()
    assert first == second
    shares = [p.share_overall for s in again.typology.segments for p in s.profile]
    assert shares and all(0 < x <= 1 for x in shares)
