"""The report as a person sees it: headless Chromium renders it, charts are drawn, no overflow."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image, ImageStat
from playwright.sync_api import Page, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

OVERFLOWING = """
() => Array.from(document.querySelectorAll(
    'h1, h2, h3, p, figcaption, th, td, dt, dd, .card .label, .card .value, .card .ci, nav a'))
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 60))
"""

# Row headers squeezed to a sliver by a too-wide table are unreadable even when nothing overflows.
SQUEEZED = """
() => Array.from(document.querySelectorAll('tbody th[scope=row]'))
  .filter(el => el.textContent.trim().length > 3 && el.getBoundingClientRect().width < 60)
  .map(el => el.textContent.trim().slice(0, 60))
"""

CHART_MARKS = """
() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const box = svg.getBoundingClientRect();
  const marks = svg.querySelectorAll('path, rect, use, line').length;
  const outside = Array.from(svg.querySelectorAll('text')).filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 2 || r.right > box.right + 2 ||
                           r.top < box.top - 2 || r.bottom > box.bottom + 2);
  }).map(t => t.textContent);
  return {title: svg.getAttribute('aria-label'), width: box.width, height: box.height,
          marks: marks, outside: outside};
})
"""


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Page]:
    """A Chromium page (Debian's chromium through Playwright)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        yield page
        browser.close()


def _open(page: Page, tmp_path: Path, html: str) -> None:
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())


def test_screenshot_is_not_blank(browser_page: Page, tmp_path: Path, html_fr: str) -> None:
    """A full-page screenshot of the report has ink on it, top to bottom."""
    _open(browser_page, tmp_path, html_fr)
    png = browser_page.screenshot(full_page=True)
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.height > 5000
    for k in range(4):
        band = image.crop((0, k * image.height // 4, image.width, (k + 1) * image.height // 4))
        assert ImageStat.Stat(band).stddev[0] > 10, f"band {k} of the screenshot is blank"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_is_drawn(
    browser_page: Page, tmp_path: Path, html_fr: str, html_en: str, lang: str
) -> None:
    """Every chart has a title, a size, drawn marks, and no text outside its box."""
    _open(browser_page, tmp_path, html_fr if lang == "fr" else html_en)
    charts: list[dict[str, Any]] = browser_page.evaluate(CHART_MARKS)
    assert len(charts) >= 10
    for chart in charts:
        assert chart["title"], chart
        assert chart["width"] > 300 and chart["height"] > 50, chart
        assert chart["marks"] >= 5, chart
        assert not chart["outside"], chart


@pytest.mark.parametrize("width", [1000, 700, 420])
def test_no_text_overflows_its_box(
    browser_page: Page, tmp_path: Path, html_fr: str, width: int
) -> None:
    """No heading, caption, cell or card label overflows its box, from desktop to phone width."""
    browser_page.set_viewport_size({"width": width, "height": 900})
    _open(browser_page, tmp_path, html_fr)
    overflowing = browser_page.evaluate(OVERFLOWING)
    squeezed = browser_page.evaluate(SQUEEZED)
    browser_page.set_viewport_size({"width": 1000, "height": 900})
    assert overflowing == []
    assert squeezed == []


def test_no_accessibility_violation(browser_page: Page, tmp_path: Path, html_en: str) -> None:
    """axe-core finds no accessibility violation in the report."""
    _open(browser_page, tmp_path, html_en)
    violations = Axe().run(browser_page).response["violations"]
    assert [(v["id"], v["nodes"][0]["html"][:80]) for v in violations] == []


PHONE = """
() => {
  const texts = Array.from(document.querySelectorAll(
      'main th, main td, figcaption, main p, .card span, nav a, svg.chart text'))
    .filter(el => el.textContent.trim().length > 0);
  const small = texts.filter(el => {
    if (el instanceof SVGElement) {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height < 11;
    }
    return parseFloat(getComputedStyle(el).fontSize) < 11;
  }).map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40));
  const cutting = Array.from(document.querySelectorAll('th, td, figcaption, p'))
    .filter(el => { const s = getComputedStyle(el);
      return s.wordBreak === 'break-all' || s.overflowWrap === 'anywhere'
        || s.hyphens === 'auto'; })
    .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40));
  const unboxed = Array.from(document.querySelectorAll('table'))
    .filter(t => t.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(t => !['auto', 'scroll'].includes(getComputedStyle(t.parentElement).overflowX))
    .map(t => t.querySelector('caption')?.textContent.slice(0, 40));
  return {page: document.documentElement.scrollWidth, small: small.slice(0, 10),
          cutting: cutting.slice(0, 10), unboxed: unboxed};
}
"""


def test_reads_on_a_phone(browser_page: Page, tmp_path: Path, html_fr: str) -> None:
    """At 390 px: no sideways page scroll, text and chart labels >= 11 px, no word cut."""
    browser_page.set_viewport_size({"width": 390, "height": 800})
    _open(browser_page, tmp_path, html_fr)
    found = browser_page.evaluate(PHONE)
    browser_page.set_viewport_size({"width": 1000, "height": 900})
    assert found["page"] <= 390
    assert found["small"] == []
    assert found["cutting"] == []
    assert found["unboxed"] == []
