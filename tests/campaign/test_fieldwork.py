"""`campaign status`'s summary: what went out and came back, counted per company."""

from __future__ import annotations

from datetime import UTC, datetime

from barometre.campaign.aapor import campaign_rates
from barometre.campaign.dispositions import DispositionEvent
from barometre.campaign.fieldwork import InvitationState, summarise_fieldwork
from barometre.campaign.french import decimal_fr, number_fr, percent_fr

AT = datetime(2026, 3, 2, tzinfo=UTC)


def _event(case: str, code: str) -> DispositionEvent:
    return DispositionEvent(case, code, AT, "test", "")


def test_summary_counts_companies_by_channel_and_mode() -> None:
    """Letters, e-mails, reminders, bounces, opt-outs and returns by web/paper, per company."""
    histories = {
        "a": [_event("a", "1.1")],
        "b": [_event("b", "1.1")],
        "c": [_event("c", "1.2")],
        "d": [_event("d", "3.32"), _event("d", "3.32")],  # bounced twice: one company
        "e": [_event("e", "2.111")],  # opted out by the team, not by the link
        "f": [_event("f", "3.31")],
        "g": [],
    }
    invitations = [
        InvitationState("a", True, 0, False),
        InvitationState("b", False, 0, False),
        InvitationState("c", True, 2, False),
        InvitationState("d", True, 1, False),
        InvitationState("e", True, 1, True),
        InvitationState("g", True, 0, True),
    ]
    finals = {"a": "1.1", "b": "1.1", "c": "1.2", "d": "3.32", "e": "2.111", "f": "3.31"}
    finals["g"] = "3.19"
    rates = campaign_rates(finals, dict.fromkeys(finals, "h"))
    summary = summarise_fieldwork(
        invitations=invitations,
        responses=[("complete", "web"), ("complete", "paper"), ("partial", "web")],
        histories=histories,
        lettered=["a", "b", "c", "f", "not-in-the-wave"],
        rates=rates,
    )
    assert summary.cases == 7
    assert summary.letters == 4
    assert summary.emails == 5
    assert (summary.reminders, summary.reminded) == (4, 3)
    assert summary.bounces == 1
    assert summary.letters_returned == 1
    assert summary.opt_outs == 2  # e (2.111 and the link) and g (the link only)
    assert (summary.complete.web, summary.complete.paper, summary.complete.total) == (1, 1, 2)
    assert (summary.partial.web, summary.partial.paper) == (1, 0)
    assert summary.rates.overall.rr1 == 2 / 7


def test_french_numbers() -> None:
    """Thousands apart by a non-breaking space, a decimal comma, a non-breaking space before %."""
    assert number_fr(12345) == "12\u00a0345"
    assert decimal_fr(0.8333, 3) == "0,833"
    assert percent_fr(0.0151) == "1,5\u00a0%"
    assert percent_fr(None) == "–"
