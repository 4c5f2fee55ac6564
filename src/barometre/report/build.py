"""`build_report`: a wave in, the report (HTML, PDF), results.json and the exports out."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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

# A progress callback: (what is being done, units done, units in all). The units weigh each
# step by its usual share of the time (statistics and PDF the largest), so that a bar moves
# evenly; the last call has done == total.
Progress = Callable[[str, int, int], None]

_STEPS: tuple[tuple[str, int], ...] = (
    ("results", 5),  # estimates, typology, drivers and their bootstrap, explorer domains
    ("results.json", 1),
    ("html", 2),  # charts drawn by matplotlib
    ("pdf", 4),
    ("exports", 3),
)
STEP_LABELS = {
    "results": "Computing the weighted estimates, typology and drivers",
    "results.json": "Writing results.json",
    "html": "Drawing the charts and writing report.html",
    "pdf": "Printing report.pdf",
    "exports": "Writing the exports (CSV, Parquet, Excel, SPSS, Stata)",
    "done": "Report written",
}


def _quiet(label: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


class _Steps:
    """Calls `progress` at the start of each step and once at the end."""

    def __init__(self, progress: Progress, skipped: set[str]) -> None:
        self.progress = progress
        self.steps = [(name, w) for name, w in _STEPS if name not in skipped]
        self.total = sum(w for _, w in self.steps)
        self.done = 0

    def start(self, name: str) -> None:
        done = 0
        for step, weight in self.steps:
            if step == name:
                break
            done += weight
        self.done = done
        self.progress(STEP_LABELS[name], done, self.total)

    def finish(self) -> None:
        self.progress(STEP_LABELS["done"], self.total, self.total)


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
    progress: Progress | None = None,
    previous_data: pl.DataFrame | None = None,
    replicate_weights: bool = False,
) -> ReportPaths:
    """Compute a wave's results and write report.html, report.pdf, results.json and exports.

    `previous` is an earlier wave's `WaveResults` or the path of its `results.json`;
    `driver_replicates` bootstrap replicates put CIs on the drivers' weights. `progress`, if
    given, is called as progress(label, done, total) when each step starts and at the end
    (the CLI draws it as a bar). `previous_data` (the earlier wave's respondents) adds the
    covariance of the firms in both waves to the changes' SEs; `replicate_weights` adds
    JKn replicate weights, recalibrated in each replicate, to the exports.
    """
    language = check_lang(lang)
    skipped = {n for n, on in (("pdf", pdf), ("exports", exports)) if not on}
    steps = _Steps(progress or _quiet, skipped)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    before = read_results_json(previous) if isinstance(previous, (str, Path)) else previous
    steps.start("results")
    results = compute_results(
        wave_df,
        questionnaire,
        design,
        wave=wave,
        min_base=min_base,
        previous=before,
        driver_replicates=driver_replicates,
        previous_data=previous_data,
    )
    steps.start("results.json")
    results_json = write_results_json(results, out / "results.json")
    steps.start("html")
    html = render_html(results, language, methodology)
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = None
    export_paths = None
    # The exports are written on a worker thread while WeasyPrint prints the PDF: the
    # Parquet, SPSS and Stata writers release the GIL. Both read only in-memory frames and
    # write files; no database connection crosses threads.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="exports") as pool:
        pending = (
            pool.submit(
                export_wave,
                wave_df,
                questionnaire,
                out / "exports",
                lang=language,
                design=design,
                replicate_weights=replicate_weights,
            )
            if exports
            else None
        )
        if pdf:
            steps.start("pdf")
            pdf_path = write_pdf(html, out / "report.pdf")
        if pending is not None:
            steps.start("exports")
            export_paths = pending.result()
    steps.finish()
    return ReportPaths(html_path, pdf_path, results_json, export_paths, results)
