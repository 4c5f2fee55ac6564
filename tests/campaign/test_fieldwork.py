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


def test_summary_of_a_national_wave_fits_80_columns_with_whole_labels() -> None:
    """Five-digit counts and every mode: no line past 80 columns, each label on one line."""
    from rich.console import Console

    from barometre.campaign.fieldwork import FieldworkSummary, Returns
    from barometre.cli.campaign import _HEADLINE_RATES, _summary_table

    finals = {str(i): "1.1" if i < 1245 else "2.11" if i < 1400 else "3.19" for i in range(30000)}
    summary = FieldworkSummary(
        cases=30000, letters=30000, emails=28412, reminders=41220, reminded=26000,
        bounces=1204, letters_returned=311, opt_outs=98,
        complete=Returns(web=1040, paper=205, imported=1200), partial=Returns(web=310),
        rates=campaign_rates(finals, dict.fromkeys(finals, "h")),
    )  # fmt: skip
    console = Console(width=80, record=True)
    console.print(_summary_table(summary))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    for label in ("Relances envoyées par courriel", *(label for _, label in _HEADLINE_RATES)):
        assert any(line.strip().startswith(label) for line in lines), label
    assert any("30\u00a0000" in line for line in lines)
    rr1 = next(line for line in lines if "(RR1)" in line)
    assert rr1.split(")")[-1].strip() == "4,2\u00a0%"  # 1,245 / 30,000
