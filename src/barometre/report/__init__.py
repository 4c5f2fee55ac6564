"""The published report of a wave: results, charts, HTML and PDF, exports and codebook.

A pipeline of small steps with rendering last: `compute_results` (numbers, no I/O) ->
`write_results_json` / `render_html` -> `write_pdf`, plus `export_wave` and `write_codebook`.
`build_report` runs them all. This is the only package that imports chart libraries.
"""

from barometre.report.build import ReportPaths, build_report
from barometre.report.codebook import codebook_html, codebook_markdown, write_codebook
from barometre.report.compute import DEFAULT_MIN_BASE, KEY_INDICATORS, compute_results
from barometre.report.errors import ExportError, PdfError, ReportError, WaveFormatError
from barometre.report.estimation import DesignInfo
from barometre.report.exports import ExportPaths, export_wave, pseudonymise
from barometre.report.html import render_html
from barometre.report.methodology import Methodology, ResponseRate, StratumAllocation
from barometre.report.pdf import write_pdf
from barometre.report.results import (
    Breakdown,
    BreakdownCell,
    Change,
    DriverGroup,
    Drivers,
    DriverTerm,
    Indicator,
    ProfileItem,
    PublishedComparison,
    Segment,
    Share,
    Typology,
    WaveResults,
    WeightDiagnostics,
)
from barometre.report.results_json import read_results_json, write_results_json
from barometre.report.study2018 import published_2018

__all__ = [
    "DEFAULT_MIN_BASE",
    "KEY_INDICATORS",
    "Breakdown",
    "BreakdownCell",
    "Change",
    "DesignInfo",
    "DriverGroup",
    "DriverTerm",
    "Drivers",
    "ExportError",
    "ExportPaths",
    "Indicator",
    "Methodology",
    "PdfError",
    "ProfileItem",
    "PublishedComparison",
    "ReportError",
    "ReportPaths",
    "ResponseRate",
    "Segment",
    "Share",
    "StratumAllocation",
    "Typology",
    "WaveFormatError",
    "WaveResults",
    "WeightDiagnostics",
    "build_report",
    "codebook_html",
    "codebook_markdown",
    "compute_results",
    "export_wave",
    "pseudonymise",
    "published_2018",
    "read_results_json",
    "render_html",
    "write_codebook",
    "write_pdf",
    "write_results_json",
]
