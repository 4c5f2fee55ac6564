"""The PDF, converted to images as a reader would see its pages: every page has content."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageStat

from barometre.report.build import ReportPaths


def test_pdf_pages_are_not_blank(built: ReportPaths, tmp_path: Path) -> None:
    """pdftoppm turns each page into an image with ink on it."""
    assert built.pdf is not None
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", str(built.pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 8
    for page in pages:
        stat = ImageStat.Stat(Image.open(page).convert("L"))
        assert stat.stddev[0] > 3, f"{page.name} is blank"


def test_build_writes_every_file(built: ReportPaths) -> None:
    """build_report writes the HTML, PDF, results.json and every export."""
    assert built.html.stat().st_size > 50_000
    assert built.results_json.is_file()
    assert built.exports is not None
    for p in (
        built.exports.csv,
        built.exports.parquet,
        built.exports.xlsx,
        built.exports.sav,
        built.exports.dta,
        built.exports.codebook_md,
        built.exports.codebook_html,
    ):
        assert p.is_file() and p.stat().st_size > 0, p
