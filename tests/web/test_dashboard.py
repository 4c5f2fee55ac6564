"""The fieldwork dashboard: dated returns, sends and reminders, targets, representativity."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave
from barometre.web.charts import csp_safe
from barometre.web.dashboard import count, stratum_label
from barometre.web.fieldwork import TARGET_COMPLETES, fieldwork
from barometre.web.testing import COMPLETE

from .test_team import _login

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]
DAY1 = datetime(2026, 3, 2, 9, tzinfo=UTC)
DAY2 = datetime(2026, 3, 9, 9, tzinfo=UTC)


def _fieldwork_story(store: Store, wave: Invited) -> None:
    w, codes = wave
    cases = [c.case_id for c in codes]
    store.mark_sent(w.id, cases, at=DAY1)
    answers = {k: (14 if k == "headcount" else v) for k, v in COMPLETE.items()}
    store.save_response(w.id, cases[0], answers, "complete", "paper", at=DAY1)
    store.mark_reminded(w.id, cases[1:], at=DAY2)
    store.save_response(w.id, cases[1], answers, "complete", "paper", at=DAY2)
    store.record_disposition(w.id, cases[2], "3.32", "bounced")


def test_fieldwork_per_day_counts_and_targets(store: Store, wave: Invited) -> None:
    """Returns, sends and reminders fall on their days; bounces and reminders are counted."""
    w, codes = wave
    _fieldwork_story(store, wave)
    work = fieldwork(store, w.id)
    days = {d.day: d for d in work.per_day}
    assert days[DAY1.date()].sent == len(codes) and days[DAY1.date()].completed == 1
    assert days[DAY2.date()].reminded == len(codes) - 1 and days[DAY2.date()].completed == 1
    assert work.reminders == len(codes) - 1 and work.bounces == 1 and work.sent == len(codes)
    for s in work.strata:
        assert s.target == min(1.0, TARGET_COMPLETES / s.sampled)
    size = [g for g in work.representativity if g.variable == "size_band"]
    assert abs(sum(g.frame for g in size) - 1) < 1e-9
    assert abs(sum(g.respondents or 0 for g in size) - 1) < 1e-9


def test_dashboard_page_in_french_and_english(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """Charts with text alternatives, French numbers, no English left on the French page."""
    _fieldwork_story(store, wave)
    text = _login(client, store).text  # type: ignore[attr-defined]
    assert text.count("<figcaption") == 2 and text.count('role="img"') == 4  # wide, narrow
    assert "style=" not in text and "<style" not in text  # the CSP forbids inline styles
    assert "Relances envoyées" in text and "Courriels rejetés" in text
    for english in ("(published)", "(open)", "eligible among", "known eligibility"):
        assert english not in text
    english = client.get("/equipe?lang=en").text
    assert "Reminders sent" in english and "(open)" in english and "Envois" not in english


def test_no_e_shown_without_known_eligibility(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """Before any return, the page says e cannot be estimated instead of "e = 1.00"."""
    text = _login(client, store).text  # type: ignore[attr-defined]
    assert "e = 1" not in text and "e ne peut pas être estimé" in text


def test_french_formatting_and_labels() -> None:
    """Thousands with a narrow no-break space in French; strata named, never coded."""
    assert count(30000, "fr") == "30\u202f000" and count(30000, "en") == "30,000"
    assert stratum_label("10-19|transport", "fr") == "10 à 19 salariés · transport"
    assert stratum_label("0-9|services", "en") == "Fewer than 10 employees · services"


def test_csp_safe_svg_has_no_inline_style() -> None:
    """Inline styles become presentation attributes, the style element goes."""
    svg = (
        '<svg><defs><style type="text/css">*{stroke-linejoin: round}</style></defs>'
        '<path style="fill: #2a6f97; stroke: none"/><text style="font: 9px \'DejaVu Sans\'; '
        'text-anchor: middle">x</text></svg>'
    )
    out = csp_safe(svg)
    assert "style" not in out
    assert 'fill="#2a6f97"' in out and 'font-size="9px"' in out
    assert re.search(r'text-anchor="middle"', out)
