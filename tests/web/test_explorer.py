"""The results explorer driven in real Chromium, JavaScript off: figures, small cells, CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from barometre.diagnostic import BenchmarkTable
from barometre.questionnaire import load_builtin
from barometre.report import compute_results
from barometre.report.i18n import number, pct
from barometre.report.results_json import to_dict
from barometre.report.testing import example_wave
from barometre.store import Store, open_store
from barometre.web import WebSettings, create_app

from .conftest import served

pytestmark = pytest.mark.browser

INDICATOR = "activity.active_or_tres_active"


@dataclass
class Published:
    base: str
    store: Store
    results: dict[str, dict[str, Any]]  # wave name -> results.json as published


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """Two published waves (600 and 400 respondents) served by uvicorn on loopback."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('explorer') / 'web.sqlite'}")
    q = load_builtin("bpi2018")
    published = {}
    for name, n, seed in (("2024", 400, 3), ("2026", 600, 11)):
        wave = store.create_wave(name, "bpi2018")
        store.set_wave_status(wave.id, "open")
        store.set_wave_status(wave.id, "closed")
        results = compute_results(example_wave(n, seed=seed), q, wave=name, driver_replicates=0)
        document = json.loads(json.dumps(to_dict(results)))
        store.publish_wave(wave.id, document, BenchmarkTable(name, 30, 0.95, ()))
        published[name] = document
    app = create_app(store, WebSettings(secret_key="explorer-" + "k" * 24, secure_cookies=False))
    with served(app) as base:
        yield Published(base, store, published)
    store.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page with JavaScript turned off: the explorer must work as plain HTML forms."""
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    yield context.new_page()
    context.close()


def _cells(document: dict[str, Any], domain: str) -> dict[str, dict[str, Any]]:
    (crossing,) = [c for c in document["crossings"] if c["variable"] == domain]
    return {c["domain"]: c["share"] for c in crossing["cells"] if c["indicator_id"] == INDICATOR}


def _choose(page: Page, live: Published, wave: str, by: str, cross: str, lang: str) -> None:
    page.goto(f"{live.base}/explorer?lang={lang}")
    page.select_option("#x-wave", wave)
    page.click("button[type=submit]")  # the indicator list follows the wave
    page.select_option("#x-indicator", INDICATOR)
    page.select_option("#x-by", by)
    page.select_option("#x-cross", cross)
    page.click("button[type=submit]")


def test_crossing_shows_the_stored_figures(page: Page, live: Published) -> None:
    """Size x region in wave 2026: every row is results.json's cell, small cells shown as —."""
    _choose(page, live, "2026", "size_band", "region", "fr")
    cells = _cells(live.results["2026"], "size_band*region")
    rows = page.locator("tr[data-domain]")
    shown = suppressed = 0
    for k in range(rows.count()):
        row = rows.nth(k)
        domain = row.get_attribute("data-domain")
        if not domain:
            continue  # the overall row
        share = cells[domain]
        assert row.locator("td.base").inner_text() == number(share["n"], "fr")
        estimate = row.locator("td.estimate").inner_text()
        if share["suppressed"]:
            assert share["n"] < 30 and estimate == "—"
            suppressed += 1
        else:
            assert estimate == pct(share["estimate"], "fr")
            shown += 1
    assert shown > 0 and suppressed > 0
    assert "moins de 30" in page.locator("p.note").inner_text()
    assert page.locator("svg.explorer-chart circle").count() == shown + 1  # + the overall row
    heading = page.locator("#x-heading").inner_text()
    assert "Active ou très active" in heading and "Taille × Région" in heading


def test_csv_download_is_what_is_shown(page: Page, live: Published, tmp_path: Path) -> None:
    """The CSV link downloads the rows of the page: same domains, results.json's numbers."""
    _choose(page, live, "2026", "sector", "", "fr")
    cells = _cells(live.results["2026"], "sector")
    with page.expect_download() as download:
        page.click("a.csv-link")
    path = tmp_path / "shown.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    shown = [page.locator("tr[data-domain]").nth(k).get_attribute("data-domain") for k in
             range(page.locator("tr[data-domain]").count())]  # fmt: skip
    assert [r["domain"] for r in rows] == shown
    for r in rows[1:]:
        share = cells[r["domain"]]
        assert int(r["n"]) == share["n"]
        if share["suppressed"]:
            assert r["estimate"] == "" and r["suppressed"] == "true"
        else:
            assert float(r["estimate"]) == pytest.approx(share["estimate"])
            assert float(r["ci_low"]) == pytest.approx(share["ci_low"])


def test_other_wave_in_english(page: Page, live: Published) -> None:
    """Wave 2024 by market, in English: labels from the questionnaire, that wave's figures."""
    _choose(page, live, "2024", "market", "", "en")
    cells = _cells(live.results["2024"], "market")
    row = page.locator('tr[data-domain="b2b"]')
    assert row.locator("th").inner_text() == "Businesses or organisations only (B2B)"
    assert row.locator("td.estimate").inner_text() == pct(cells["b2b"]["estimate"], "en")
    assert "by Market" in page.locator("#x-heading").inner_text()


def test_reads_on_a_phone(browser: Browser, live: Published) -> None:
    """At 390 px the page does not scroll sideways and the chart's text is 11 px or more."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live.base}/explorer?lang=fr&wave=2026&indicator={INDICATOR}"
              "&by=size_band&cross=sector")  # fmt: skip
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('svg.explorer-chart text'))"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 11
    context.close()
