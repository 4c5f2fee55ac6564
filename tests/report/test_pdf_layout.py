"""The PDF without holes: no page more than half blank unless a chapter ends on it.

Each PDF is rasterised with pdftoppm; a page's fill is how far down its printed area the last
ink goes (the page number in the bottom margin is not counted). A page under half full is
allowed only as the last page of a chapter (the next page opens on a chapter title) or of the
document. Checked on the French and English PDFs of the demo wave and of a 300-respondent wave.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from PIL import Image

from barometre.demo import DemoConfig, run_demo
from barometre.report import compute_results, render_html
from barometre.report.html import report_sections
from barometre.report.methodology import Methodology
from barometre.report.pdf import write_pdf
from barometre.report.testing import example_wave

pytestmark = pytest.mark.slow

# A4 with the stylesheet's margins (16 mm top, 18 mm bottom): the printed area, as fractions.
TOP, BOTTOM = 16 / 297, 1 - 18 / 297


def page_fill(png: Path) -> float:
    """How far down the printed area of a page the ink goes, from 0 (blank) to 1 (full)."""
    gray = np.asarray(Image.open(png).convert("L"))
    height = gray.shape[0]
    rows = np.where((gray < 200).any(axis=1))[0]
    rows = rows[(rows >= TOP * height) & (rows < BOTTOM * height)]
    if rows.size == 0:
        return 0.0
    return float((rows.max() / height - TOP) / (BOTTOM - TOP))


def page_text(pdf: Path, page: int) -> str:
    """The text of one page (1-based), as pdftotext reads it."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def holes(pdf: Path, chapters: list[str], tmp: Path, min_pages: int = 8) -> list[str]:
    """The pages under half full that are not a chapter's or the document's last page."""
    subprocess.run(
        ["pdftoppm", "-r", "24", "-gray", "-png", str(pdf), str(tmp / "page")],
        check=True,
        capture_output=True,
    )
    pages = sorted(tmp.glob("page-*.png"))
    assert len(pages) >= min_pages, f"{pdf.name}: only {len(pages)} pages"
    bad = []
    for k, png in enumerate(pages, start=1):
        fill = page_fill(png)
        if fill >= 0.5 or k == len(pages):
            continue
        following = page_text(pdf, k + 1).strip().splitlines()
        opens_chapter = bool(following) and following[0].strip() in chapters
        if not opens_chapter:
            bad.append(f"page {k} is {fill:.0%} full")
    return bad


@pytest.fixture(scope="module")
def demo_wave(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """The demo wave's dataset (weighted, 1,629 respondents), without the demo's own report."""
    from barometre.store import open_store

    result = run_demo(DemoConfig(out_dir=tmp_path_factory.mktemp("demo"), pdf=False))
    store = open_store(result.database_url)
    try:
        return store.wave_dataset(result.wave_id)
    finally:
        store.close()


def _check(wave: pl.DataFrame, questionnaire: Any, lang: str, tmp: Path) -> None:
    results = compute_results(wave, questionnaire, wave="test", driver_replicates=0)
    meta = Methodology(fieldwork_start="2026-03-01", fieldwork_end="2026-06-15")
    pdf = write_pdf(render_html(results, lang, meta), tmp / f"report-{lang}.pdf")
    chapters = [s.title for s in report_sections(results, lang, meta)]
    assert holes(pdf, chapters, tmp) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_wave_pdf_has_no_hole(
    demo_wave: pl.DataFrame, questionnaire: Any, lang: str, tmp_path: Path
) -> None:
    """The demo wave's PDF: every page at least half full but a chapter's last."""
    _check(demo_wave, questionnaire, lang, tmp_path)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_small_wave_pdf_has_no_hole(questionnaire: Any, lang: str, tmp_path: Path) -> None:
    """A 300-respondent wave (small cells suppressed): no page more than half blank either."""
    _check(example_wave(300, seed=5), questionnaire, lang, tmp_path)


def test_the_check_sees_a_hole(tmp_path: Path) -> None:
    """A page left with one line by a forced break is found as a hole (the check can fail)."""
    from weasyprint import HTML

    lines = "<br>".join(["text"] * 300)
    html = f"<p>one line</p><p style='break-before: page'>{lines}</p>"
    pdf = tmp_path / "holes.pdf"
    HTML(string=html).write_pdf(pdf)
    found = holes(pdf, [], tmp_path, min_pages=2)
    assert found and found[0].startswith("page 1 ")
    assert holes(pdf, ["text"], tmp_path, min_pages=2) == []
