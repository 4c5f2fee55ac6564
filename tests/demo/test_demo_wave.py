"""The demo wave end to end: outputs exist, estimates recover the synthetic population's truth."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest

from barometre.demo import DemoConfig, DemoResult, run_demo
from barometre.questionnaire import load_builtin
from barometre.store import open_store

pytestmark = pytest.mark.slow

SKIPPED_WHEN_ABSENT = {q.id for q in load_builtin("bpi2018").questions if q.relevant}

# The study's unweighted respondent mix by size band (STUDY.md), which the demo reproduces.
STUDY_RESPONDENT_MIX = {"0-9": 0.16, "10-19": 0.23, "20-49": 0.38, "50-249": 0.18, "250+": 0.05}
STUDY_TYPOLOGY = {
    "masse_silencieuse": 0.44,
    "desinvoltes": 0.19,
    "combatives": 0.09,
    "pionnieres": 0.28,
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """The demo at its real size (30,000 invitations), run once for this module."""
    return run_demo(DemoConfig(out_dir=tmp_path_factory.mktemp("demo")))


@pytest.fixture(scope="module")
def results(demo: DemoResult) -> dict[str, Any]:
    return json.loads(demo.results_json.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truth(demo: DemoResult) -> dict[tuple[str, str, str], float]:
    data = json.loads(demo.truth_json.read_text(encoding="utf-8"))
    return {(i["question"], i["code"], i["base"]): i["share"] for i in data["indicators"]}


def _truth_of(indicator: dict[str, Any], truth: dict[tuple[str, str, str], float]) -> float | None:
    """The population value an indicator of results.json estimates, if the truth has it."""
    if len(indicator["codes"]) != 1:
        return None
    question, code = indicator["question_id"], indicator["codes"][0]
    base = indicator["id"].partition("@")[2]
    if base:
        return truth.get((question, code, base))
    # Without a stated base, a share among those asked: firms present on a network for the
    # questions skipped otherwise, all firms for the others.
    asked = "present" if question in SKIPPED_WHEN_ABSENT else "all"
    return truth.get((question, code, asked))


def test_demo_writes_report_results_and_exports(demo: DemoResult) -> None:
    """The report (HTML + PDF), results.json, the exports and the codebook are all written."""
    assert demo.report_html.stat().st_size > 50_000
    assert demo.report_pdf is not None and demo.report_pdf.read_bytes()[:5] == b"%PDF-"
    exports = demo.report_html.parent / "exports"
    for name in ("wave.csv", "wave.parquet", "wave.xlsx", "wave.sav", "wave.dta", "codebook.md"):
        assert (exports / name).stat().st_size > 0, name
    assert pl.read_parquet(exports / "wave.parquet").height == demo.respondents


def test_demo_campaign_matches_2018(demo: DemoResult) -> None:
    """30,000 invitations return about 5.5 %, with the study's raw mix by size band."""
    assert demo.sampled == 30_000
    assert 0.045 <= demo.respondents / demo.sampled <= 0.065
    store = open_store(demo.database_url)
    data = store.wave_dataset(demo.wave_id)
    mix = data["size_band"].value_counts(normalize=True)
    got = dict(zip(mix["size_band"], mix["proportion"], strict=True))
    for band, share in STUDY_RESPONDENT_MIX.items():
        assert abs(got[band] - share) < 0.03, (band, got[band], share)
    assert store.wave(demo.wave_id).status == "published"
    assert store.benchmark(demo.wave_id), "the published wave has a benchmark table"
    store.close()


def test_weighted_intervals_cover_the_truth(
    results: dict[str, Any], truth: dict[tuple[str, str, str], float]
) -> None:
    """For at least 90 % of the indicators, the weighted 95 % CI covers the population truth."""
    checked = covered = 0
    misses = []
    for indicator in results["indicators"]:
        value, share = _truth_of(indicator, truth), indicator["share"]
        if value is None or share["suppressed"] or share["ci_low"] is None:
            continue
        checked += 1
        if share["ci_low"] - 1e-9 <= value <= share["ci_high"] + 1e-9:
            covered += 1
        else:
            misses.append((indicator["id"], round(value, 3), share["ci_low"], share["ci_high"]))
    assert checked >= 90
    assert covered / checked >= 0.90, misses


def test_unweighted_shares_miss_where_the_design_says(
    results: dict[str, Any], truth: dict[tuple[str, str, str], float]
) -> None:
    """Size bands: raw respondent shares are far from the population, weighted ones are exact."""
    by_id = {i["id"]: i["share"] for i in results["indicators"]}
    for band in STUDY_RESPONDENT_MIX:
        share, value = by_id[f"size_band.{band}"], truth[("size_band", band, "all")]
        assert share["estimate"] == pytest.approx(value, abs=1e-6), band
    # Small firms are under-represented among respondents, mid-sized ones over-represented.
    assert by_id["size_band.0-9"]["unweighted"] < truth[("size_band", "0-9", "all")] - 0.10
    assert by_id["size_band.20-49"]["unweighted"] > truth[("size_band", "20-49", "all")] + 0.08


def test_population_typology_is_the_studys(truth: dict[tuple[str, str, str], float]) -> None:
    """The demo population's four behaviours are within 3 points of 44/19/9/28."""
    for segment, share in STUDY_TYPOLOGY.items():
        assert abs(truth[("typology", segment, "all")] - share) <= 0.03, segment


def test_weights_reproduce_the_frame(demo: DemoResult) -> None:
    """Final weights sum to the frame in every weighting cell and stay positive."""
    w = demo.weighting
    data = w.design.data.with_columns(pl.Series("w", w.design.weights))
    for variable, margin in w.margins.items():
        sums = dict(data.group_by(variable).agg(pl.col("w").sum()).iter_rows())
        for level, total in margin.items():
            assert sums[level] == pytest.approx(total, rel=1e-6), (variable, level)
    assert float(data["w"].min()) > 0
    assert w.diagnostics.effective_n < w.diagnostics.n
