"""`build_report`: a wave in, the report (HTML, PDF), results.json and the exports out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from barometre.questionnaire import Questionnaire
from barometre.report.compute import DEFAULT_MIN_BASE, DEFAULT_REPLICATES, compute_results
from barometre.report.estimation import DesignInfo
from barometre.report.exports import ExportPaths, export_wave
from barometre.report.html import render_html
from barometre.report.i18n import check_lang
from barometre.report.methodology import Methodology
from barometre.report.pdf import write_pdf
from barometre.report.results import WaveResults
from barometre.report.results_json import read_results_json, write_results_json


@dataclass(frozen=True)
class ReportPaths:
    """Where a built report's files are."""

    html: Path
    pdf: Path | None
    results_json: Path
    exports: ExportPaths | None
    results: WaveResults


def build_report(
    wave_df: pl.DataFrame,
    questionnaire: Questionnaire,
    out_dir: Path,
    lang: str = "fr",
    previous: WaveResults | Path | None = None,
    methodology: Methodology | None = None,
    *,
    wave: str = "",
    design: DesignInfo | None = None,
    min_base: int = DEFAULT_MIN_BASE,
    pdf: bool = True,
    exports: bool = True,
    driver_replicates: int = DEFAULT_REPLICATES,
) -> ReportPaths:
    """Compute a wave's results and write report.html, report.pdf, results.json and exports.

    `previous` is an earlier wave's `WaveResults` or the path of its `results.json`;
    `driver_replicates` bootstrap replicates put CIs on the drivers' weights.
    """
    language = check_lang(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    before = read_results_json(previous) if isinstance(previous, (str, Path)) else previous
    results = compute_results(
        wave_df,
        questionnaire,
        design,
        wave=wave,
        min_base=min_base,
        previous=before,
        driver_replicates=driver_replicates,
    )
    results_json = write_results_json(results, out / "results.json")
    html = render_html(results, language, methodology)
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = write_pdf(html, out / "report.pdf") if pdf else None
    export_paths = (
        export_wave(wave_df, questionnaire, out / "exports", lang=language) if exports else None
    )
    return ReportPaths(html_path, pdf_path, results_json, export_paths, results)
