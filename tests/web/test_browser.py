"""Browser tests: Playwright driving Debian's chromium against a live server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave, open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import COMPLETE, open_wave_with_invitations

from .conftest import served

pytestmark = pytest.mark.browser


@dataclass
class LiveServer:
    base: str
    store: Store
    wave: Wave
    codes: list[InvitationCode]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app served by uvicorn in a thread, on a SQLite store with an open wave."""
    path = Path(tmp_path_factory.mktemp("browser")) / "web.sqlite"
    store = open_store(f"sqlite:///{path}")
    wave, codes = open_wave_with_invitations(store, "browser", 4, seed=11)
    app = create_app(store, WebSettings(secret_key="browser-" + "k" * 24, secure_cookies=False))
    with served(app) as base:
        yield LiveServer(base, store, wave, codes)
    store.close()


def _axe_serious(page: Page) -> list[str]:
    results: Any = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _answer_visible_page(page: Page, answers: dict[str, Any]) -> None:
    """Fill the current page's visible questions from `answers` (by field name and value)."""
    for name, value in answers.items():
        values = value if isinstance(value, list) else [value]
        fields = page.locator(f'input[name="{name}"]:visible, textarea[name="{name}"]:visible')
        if fields.count() == 0:
            continue
        first = fields.first
        kind = first.get_attribute("type")
        if kind in ("radio", "checkbox"):
            for v in values:
                page.check(f'input[name="{name}"][value="{v}"]')
        else:
            first.fill(str(value))


def test_questionnaire_from_letter_code(live: LiveServer, browser: Browser) -> None:
    """Code entry, a few pages, close, resume with the code, finish with a double click."""
    code = live.codes[0]
    context = browser.new_context()
    page = context.new_page()
    page.goto(live.base + "/")
    page.fill("#code", code.short_code.replace("-", " ").lower())
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/site")
    # An empty submit shows the error summary, focused, and the message by the question.
    page.click("button[value=next]")
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Une réponse est obligatoire." in page.inner_text("#err-website")
    assert not _axe_serious(page)
    for _ in range(2):
        _answer_visible_page(page, COMPLETE)
        page.click("button[value=next]")
    page.wait_for_url("**/q/activity")
    context.close()  # the browser is closed mid-way

    context = browser.new_context()
    page = context.new_page()
    page.goto(live.base + "/")
    page.fill("#code", code.short_code)
    page.click("button[type=submit]")
    page.wait_for_url("**/q/activity")  # resumes at the first page still to answer
    page.click("button[value=back]")
    page.wait_for_url("**/q/presence")
    assert page.is_checked('input[name="net_facebook"][value="yes"]')
    for _ in range(20):
        if "/q/" not in page.url:
            break
        _answer_visible_page(page, COMPLETE)
        if page.locator("button[value=next]").inner_text() == "Envoyer mes réponses":
            page.dblclick("button[value=next]")  # a double click on the final button
            page.wait_for_url("**/merci")
            break
        page.click("button[value=next]")
        page.wait_for_load_state()
    assert "Votre plan d'action" in page.inner_text("main")
    assert not _axe_serious(page)
    assert live.store.response_counts(live.wave.id)["complete"] == 1
    stored = live.store.response(live.wave.id, code.case_id)
    assert stored is not None and stored.answers["comment"] == COMPLETE["comment"]
    context.close()


def test_public_diagnostic_in_french_and_english(live: LiveServer, browser: Browser) -> None:
    """The public self-diagnostic works in French, then in English, and passes axe."""
    answers = {**COMPLETE, "market": "b2c"}
    # Not reformatted (fmt: skip below): one record per line reads as a table.
    for lang, title, plan in (("fr", "Autodiagnostic", "Votre plan d'action"),
                              ("en", "Self-diagnostic", "Your action plan")):  # fmt: skip
        page = browser.new_page()
        page.goto(live.base + "/")
        page.click("a.button.secondary")
        if lang == "en":
            page.click("a[hreflang=en]")
        assert page.locator("h1").inner_text() == title
        assert not _axe_serious(page)
        _answer_visible_page(page, answers)
        page.click("form button[type=submit]")
        page.wait_for_url("**/diagnostic/resultat**")
        main = page.inner_text("main")
        assert plan in main and "/100" in main
        assert page.get_attribute("html", "lang") == lang
        assert not _axe_serious(page)
        page.close()


def test_keyboard_only(live: LiveServer, browser: Browser) -> None:
    """The skip link comes first and the code form is reachable and usable by keyboard."""
    page = browser.new_page()
    page.goto(live.base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "code":
            break
    assert page.evaluate("document.activeElement.id") == "code"
    page.keyboard.type("ZZZZ-ZZZZ-Z")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-message")
    assert "9 caractères" in page.inner_text(".error-message") or "faute" in page.inner_text(
        ".error-message"
    )
    assert not _axe_serious(page)
    page.goto(live.base + "/equipe/login")
    assert not _axe_serious(page)
    page.close()
