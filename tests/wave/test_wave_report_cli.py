"""`barometre wave report` on a wave the team ran itself: the annex is filled from the store."""

from __future__ import annotations

import random
import re
from pathlib import Path

from typer.testing import CliRunner

from barometre.cli import app
from barometre.store import open_store
from barometre.wave import FRAME_EVENT, frame_event_detail
from barometre.web.testing import open_wave_with_invitations, random_answers


def _stored_wave(url: str, n: int = 150) -> None:
    store = open_store(url)
    wave, _ = open_wave_with_invitations(store, "2026", n, seed=11)
    questionnaire = store.questionnaire_of(wave.id)
    rng = random.Random(11)
    cases = store.cases(wave.id)
    store.mark_sent(wave.id, [c.case_id for c in cases])
    answered = cases[: n // 2]
    for i, case in enumerate(answered):
        answers = random_answers(questionnaire, rng)
        answers["headcount"] = int(answers["headcount"])  # stored answers are typed
        store.save_response(wave.id, case.case_id, answers, "complete", "web" if i % 4 else "paper")
    store.store_weights(wave.id, {c.case_id: 10.0 for c in answered}, method="raking (test)")
    # What `barometre campaign sample` logs of the registry file the frame came from.
    detail = frame_event_detail("StockUniteLegale_utf8.zip", extracted="2026-11-01", units=1500)
    store.log_campaign_event(wave.id, FRAME_EVENT, detail=detail)
    store.close()


def test_wave_report_fills_the_annex_from_the_store(tmp_path: Path) -> None:
    """No "non renseigné" in the annex: frame size, strata, design, dates, modes, rates, weights."""
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    _stored_wave(url)
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["wave", "report", "--wave", "2026", "--url", url, "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    annex = html[html.index('id="methodologie"') if 'id="methodologie"' in html else 0 :]
    text = re.sub(r"<[^>]+>", " ", annex)
    assert "non renseigné" not in text
    assert re.search("1[\u00a0\u202f ]500", text)  # 150 cases at inclusion probability 0.1
    assert "allocation proportionnelle" in text
    assert "StockUniteLegale_utf8.zip" in text
    assert "papier" in text and "RR1" in text and "raking (test)" in text
