"""An imported XLSForm using every new type, answered in real Chromium: piped label, cascading
select, native date/time/number inputs; the answers come out right in the SPSS export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from barometre.report.exports import export_wave
from barometre.store import open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import open_wave_with_invitations

from ..questionnaire.every_type import ANSWERS, every_type
from ..report.test_exports_new_types import check_sav
from .conftest import served
from .test_browser import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a wave collecting the every-type questionnaire."""
    path = Path(tmp_path_factory.mktemp("xlsform")) / "web.sqlite"
    store = open_store(f"sqlite:///{path}")
    store.register_questionnaire(every_type())
    wave, codes = open_wave_with_invitations(store, "types", 2, questionnaire_id="every_type")
    app = create_app(store, WebSettings(secret_key="browser-" + "k" * 24, secure_cookies=False))
    with served(app) as base:
        yield LiveServer(base, store, wave, codes)
    store.close()


def test_every_type_answered_in_chromium_and_exported(
    live: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    """Each new type is answered through its native input; the SPSS export holds the answers."""
    code = live.codes[0]
    page = browser.new_page()
    page.goto(live.base + "/")
    page.fill("#code", code.short_code)
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/firm_page")
    page.fill("#in-firm", ANSWERS["firm"])
    page.fill("#in-staff", str(ANSWERS["staff"]))
    page.check('input[name="area"][value="bre"]')
    page.click("button[value=next]")
    page.wait_for_url("**/q/details")
    # The piped label shows the firm's name; the cascading select offers Brittany's cities.
    assert page.inner_text("#q-welcome") == "Merci Dupont SA !"
    cities = page.locator('input[name="city"]')
    assert [cities.nth(i).get_attribute("value") for i in range(cities.count())] == [
        "rennes",
        "brest",
    ]
    assert page.get_attribute("#in-founded", "type") == "date"
    assert page.get_attribute("#in-opens", "type") == "time"
    assert page.get_attribute("#in-met", "type") == "datetime-local"
    rating = page.locator("#in-rating")
    assert (rating.get_attribute("type"), rating.get_attribute("min")) == ("number", "1")
    assert (rating.get_attribute("max"), rating.get_attribute("step")) == ("5", "1")
    page.check('input[name="city"][value="brest"]')
    page.fill("#in-founded", ANSWERS["founded"])
    page.fill("#in-opens", ANSWERS["opens"])
    page.fill("#in-met", ANSWERS["met"])
    page.fill("#in-rating", str(ANSWERS["rating"]))
    page.fill("#in-share", "12,5")  # a French decimal comma
    page.check('input[name="uses"][value="sell"]')
    page.check('input[name="uses"][value="other"]')
    page.check('input[name="ok"][value="OK"]')
    page.click("button[value=next]")
    page.wait_for_url("**/merci")
    page.close()
    stored = live.store.response(live.wave.id, code.case_id)
    assert stored is not None and stored.status == "complete"
    assert stored.answers == ANSWERS
    dataset = live.store.wave_dataset(live.wave.id)
    paths = export_wave(dataset, live.store.questionnaire_of(live.wave.id), tmp_path)
    check_sav(paths.sav, ANSWERS)
