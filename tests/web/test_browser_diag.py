"""Browser tests of issue 13: an honest diagnostic, clean pages, the fieldwork dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from barometre.diagnostic import SCORE_ITEMS, Dimension, build_benchmark_table
from barometre.questionnaire import answers_from_wide_row, load_builtin
from barometre.store import open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import COMPLETE, open_wave_with_invitations

from ..diagnostic.test_build_benchmark import _wave
from .conftest import served
from .test_browser import LiveServer, _answer_visible_page, _axe_serious

pytestmark = pytest.mark.browser

Q = load_builtin("bpi2018")
SHORT = Q.diagnostic_questions
PEERS = _wave()  # the published wave's respondents, with their weights
USER, PASSWORD = "alice", "correct horse battery staple"
SHORT_ANSWERS = {
    **{q: COMPLETE[q] for q in SHORT if q.startswith("net_")},
    "activity": "tres_active",
    "tempo": "en_avance",
    "strategy": "no",
    "spend": "lt_5k",
    "staff_trained": "no",
    "marketing_team": "yes",
    "leader_activity": "active",
    "size_band": "10-19",
    "sector": "services",
    "market": "b2b",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """An open wave with invitations and a published wave whose benchmark the diagnostic uses."""
    path = Path(tmp_path_factory.mktemp("browser-diag")) / "web.sqlite"
    store = open_store(f"sqlite:///{path}")
    published = store.create_wave("bench-2025", "bpi2018")
    store.set_wave_status(published.id, "open")
    store.set_wave_status(published.id, "closed")
    table = build_benchmark_table(PEERS, wave=published.name, min_n=30)
    store.publish_wave(published.id, {"indicators": []}, table)
    wave, codes = open_wave_with_invitations(store, "browser-diag", 3, seed=5)
    store.create_user(USER, PASSWORD, "team")
    app = create_app(store, WebSettings(secret_key="diag-" + "k" * 27, secure_cookies=False))
    with served(app) as base:
        yield LiveServer(base, store, wave, codes)
    store.close()


def _short_score_by_hand(answers: dict[str, Any]) -> int:
    """The maturity score on the short form's questions, redone from the points table."""
    scores = []
    for dimension in Dimension:
        items = [i for i in SCORE_ITEMS if i.dimension is dimension and i.question in SHORT]
        if not items:
            continue
        earned = 0
        for item in items:
            value = answers.get(item.question)
            codes = [value] if isinstance(value, str) else list(value or [])
            earned += min(item.cap, sum(item.points.get(c, 0) for c in codes))
        scores.append(round(100 * earned / sum(i.cap for i in items)))
    return round(sum(scores) / len(scores))


def _take_short_form(page: Page, base: str, answers: dict[str, Any]) -> str:
    page.goto(base + "/diagnostic")
    for name, value in answers.items():
        page.check(f'input[name="{name}"][value="{value}"]')
    page.click("form button[type=submit]")
    page.wait_for_url("**/diagnostic/resultat**")
    return page.inner_text("main")


def test_short_form_peer_mean_is_rescored(live: LiveServer, browser: Browser) -> None:
    """The short form's peer mean is the peers' weighted mean rescored on its questions."""
    rows = [
        r
        for r in PEERS.iter_rows(named=True)
        if r["size_band"] == "10-19" and r["sector"] == "services"
    ]
    assert len(rows) >= 30  # the narrowest peer group is shown
    total = sum(r["weight"] for r in rows)
    short = sum(r["weight"] * _short_score_by_hand(answers_from_wide_row(Q, r)) for r in rows)
    page = browser.new_page()
    text = _take_short_form(page, live.base, SHORT_ANSWERS)
    shown = page.inner_text(".peer-score strong")
    assert int(shown) == round(short / total)
    assert "entreprises de 10 à 19 salariés du secteur services" in text
    assert "d'après votre réponse" in text and "10-19" not in text
    assert not _axe_serious(page)
    page.close()


def test_no_strategy_is_never_told_strategy_is_theirs(live: LiveServer, browser: Browser) -> None:
    """A pioneer who answered "no strategy" reads nothing saying networks are its strategy."""
    page = browser.new_page()
    for lang in ("fr", "en"):
        if lang == "en":
            page.goto(live.base + "/diagnostic?lang=en")
        text = _take_short_form(page, live.base, SHORT_ANSWERS)
        segment = page.inner_text("section[aria-labelledby=h-segment]")
        assert ("Pionnières" if lang == "fr" else "Pioneers") in segment
        assert "stratégie" not in segment.lower() and "strategy" not in segment.lower()
        assert "font partie de la stratégie" not in text and "part of the company's" not in text
        assert (
            "Score de maturité\u00a0: " if lang == "fr" else "Maturity score: "
        ) in page.inner_text("#h-score")
    page.close()


ID_LIKE = [q.id for q in Q.questions]


def _ids_shown(text: str) -> list[str]:
    """Question ids visible in a page's text: any id with an underscore, or any quoted id."""
    quoted = [q for q in ID_LIKE if re.search(rf"[«'\"]\s?{re.escape(q)}\s?[»'\"]", text)]
    return [q for q in ID_LIKE if "_" in q and q in text] + quoted


def test_full_run_with_every_error_shows_no_id_then_code_reentry(
    live: LiveServer, browser: Browser
) -> None:
    """Every error provoked on every page: no id, axe clean; the code then leads back."""
    code = live.codes[0]
    context = browser.new_context()
    page = context.new_page()
    page.goto(live.base + "/")
    assert "15 questions" in page.inner_text("main")  # the short form's own count
    page.fill("#code", code.short_code)
    page.click("form button[type=submit]")
    page.wait_for_url("**/q/site")
    progress = []
    for _ in range(20):
        if "/q/" not in page.url:
            break
        progress.append(page.inner_text(".progress label"))
        here = page.url
        page.click("button[value=next]")  # nothing answered: every required answer missing
        page.wait_for_load_state()
        if page.url != here:
            continue  # a page with optional questions only: left blank, on to the next
        if page.locator("#error-summary").count():
            summary = page.inner_text("#error-summary h2")
            n = page.locator("#error-summary li").count()
            assert summary.endswith(f"{n} erreur\u00a0:" if n == 1 else f"{n} erreurs\u00a0:")
        assert not _ids_shown(page.inner_text("body")), page.url
        assert not _axe_serious(page), page.url
        if "/q/organisation" in page.url:
            page.check('input[name="managed_by"][value="nobody"]')
            page.check('input[name="managed_by"][value="leader"]')  # against its constraint
            page.click("button[value=next]")
            page.wait_for_load_state()
            assert "ne peut pas être coché" in page.inner_text("main")
            assert not _ids_shown(page.inner_text("body"))
            page.uncheck('input[name="managed_by"][value="nobody"]')
        if "/q/profile" in page.url:
            for wrong in ("douze", "1000000"):
                _answer_visible_page(page, {**COMPLETE, "headcount": wrong})
                page.click("button[value=next]")
                page.wait_for_load_state()
                message = page.inner_text("#err-headcount")
                assert "nombre entier" in message or "entre 0 et 100" in message
                assert not _ids_shown(page.inner_text("body"))
                assert not _axe_serious(page)
        _answer_visible_page(page, COMPLETE)
        page.click("button[value=next]")
        page.wait_for_load_state()
    page.wait_for_url("**/merci")
    # Until the networks are answered, the page they may open is counted, and said "about".
    assert progress[:2] == ["Page 1 sur 8 environ", "Page 2 sur 8 environ"]
    assert progress[2:] == [f"Page {n} sur 8" for n in range(3, 9)]  # the count never jumps
    context.close()

    context = browser.new_context()  # another day, only the letter at hand
    page = context.new_page()
    page.goto(live.base + "/")
    page.fill("#code", code.short_code)
    page.click("form button[type=submit]")
    page.wait_for_url("**/merci")
    assert "Votre plan d'action" in page.inner_text("main")
    assert not page.locator(".error-summary").count()
    assert not _axe_serious(page)
    context.close()


def test_dashboard_fits_390_px_with_chart_alternatives(live: LiveServer, browser: Browser) -> None:
    """At 390 px nothing scrolls sideways; each chart has a title, caption and data table."""
    live.store.mark_sent(live.wave.id, [c.case_id for c in live.codes])
    for width in (390, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(live.base + "/equipe/login")
        page.fill("#username", USER)
        page.fill("#password", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url("**/equipe")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        charts = page.locator("figure.chart-figure svg[role=img]:visible")
        assert charts.count() == 2
        for i in range(charts.count()):
            svg = charts.nth(i)
            assert svg.get_attribute("aria-label")
            assert svg.locator("title").count() == 1
        assert page.locator("figure.chart-figure figcaption").count() == 2
        assert page.locator("figure.chart-figure details table").count() == 2
        assert not _axe_serious(page)
        page.close()
