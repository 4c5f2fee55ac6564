"""Fixtures of the report tests: the 2018 questionnaire and small synthetic waves."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from barometre.questionnaire import load_builtin
from barometre.report import WaveResults, build_report, compute_results
from barometre.report.build import ReportPaths
from barometre.report.testing import example_wave as make_wave


@pytest.fixture(scope="session")
def questionnaire() -> Any:
    """The built-in 2018 instrument."""
    return load_builtin("bpi2018")


@pytest.fixture(scope="session")
def wave() -> pl.DataFrame:
    """A synthetic wave of 600 respondents (polars frames are immutable)."""
    return make_wave(600, seed=11)


@pytest.fixture(scope="session")
def results(wave: pl.DataFrame, questionnaire: Any) -> WaveResults:
    """The wave's results, with an earlier wave for the trends (frozen dataclasses)."""
    previous = compute_results(
        make_wave(500, seed=12), questionnaire, wave="2024", with_drivers=False
    )
    return compute_results(
        wave, questionnaire, wave="2026", previous=previous, driver_replicates=20
    )


@pytest.fixture(scope="session")
def built(
    tmp_path_factory: pytest.TempPathFactory, wave: pl.DataFrame, questionnaire: Any
) -> ReportPaths:
    """A full report (HTML, PDF, results.json, exports) built once for the session."""
    out = tmp_path_factory.mktemp("report")
    previous = compute_results(
        make_wave(500, seed=12), questionnaire, wave="2024", with_drivers=False
    )
    return build_report(wave, questionnaire, out, "fr", previous, wave="2026")


@pytest.fixture(scope="session")
def html_fr(results: WaveResults) -> str:
    """The French report of the test wave (rendered once: charts take a few seconds)."""
    from barometre.report import render_html

    return render_html(results, "fr")


@pytest.fixture(scope="session")
def html_en(results: WaveResults) -> str:
    """The English report of the test wave."""
    from barometre.report import render_html

    return render_html(results, "en")
