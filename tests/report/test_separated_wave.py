"""A wave whose drivers model cannot be estimated still gets its report, with a note in words
(issue 15, finding 8: `barometre demo --units 20000 --sample 3000` died in LinAlgError)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from barometre.report import build_report
from barometre.report.i18n import TEXT, french_spacing
from barometre.report.testing import example_wave


def _separated_wave() -> pl.DataFrame:
    """The demo's case: every leader who is "très active" runs an active company."""
    wave = example_wave(400, seed=5)
    return wave.with_columns(
        pl.when(pl.col("leader_activity") == "tres_active")
        .then(pl.lit("active"))
        .otherwise(pl.col("activity"))
        .alias("activity")
    )


def test_separated_level_leaves_out_the_drivers_with_a_note(
    tmp_path: Path, questionnaire: Any
) -> None:
    """The report is written without its drivers section; the methodology says why in words,
    naming the driver and its level."""
    paths = build_report(
        _separated_wave(),
        questionnaire,
        tmp_path,
        "en",
        wave="2026",
        pdf=False,
        exports=False,
        driver_replicates=2,
    )
    html = paths.html.read_text(encoding="utf-8")
    assert '<section id="drivers">' not in html
    assert '<section id="typology">' in html  # only the part that failed is left out
    assert "The drivers of activity could not be estimated on this wave" in html
    assert "leader_activity = &#39;tres_active&#39;" in html and "separation" in html
    results = json.loads(paths.results_json.read_text(encoding="utf-8"))
    assert results["drivers"] is None
    assert any(n.startswith("drivers: ") and "tres_active" in n for n in results["notes"])


def test_the_french_note_is_french(tmp_path: Path, questionnaire: Any) -> None:
    """The French report says the same in French, under "Parties non calculées"."""
    paths = build_report(
        _separated_wave(),
        questionnaire,
        tmp_path,
        "fr",
        wave="2026",
        pdf=False,
        exports=False,
        driver_replicates=2,
    )
    html = paths.html.read_text(encoding="utf-8")
    assert '<section id="drivers">' not in html
    assert french_spacing(TEXT["notes"][0]) in html
    assert "Les facteurs d'activité n'ont pas pu être estimés sur cette vague" in html.replace(
        "&#39;", "'"
    )
