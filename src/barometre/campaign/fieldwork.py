"""A wave's fieldwork at a glance, for `campaign status`: what went out, what came back, rates.

Pure: the store adapter (`storage.wave_fieldwork`) reads the wave and hands the pieces over.
Counts are of companies (cases), except `reminders`, which counts reminder e-mails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from barometre.campaign.aapor import CampaignRates
from barometre.campaign.dispositions import DispositionEvent

BOUNCE_CODE = "3.32"
"""AAPOR sub-code the campaign records for a bounced e-mail."""
LETTER_RETURNED_CODES = frozenset({"3.30", "3.31", "3.40"})
"""Codes of a letter that came back (undeliverable, NPAI, new address)."""
OPT_OUT_CODE = "2.111"
"""AAPOR sub-code of a company that asked not to be contacted again."""
LETTERS_EVENT = "letters"
"""Campaign-log event of one `campaign letters` run; its detail lists the cases (JSON)."""


@dataclass(frozen=True, slots=True)
class InvitationState:
    """What the store knows of one case's e-mails."""

    case_id: str
    sent: bool
    reminder_count: int
    opted_out: bool


@dataclass(frozen=True, slots=True)
class Returns:
    """Questionnaires of one status, by the way they came back."""

    web: int = 0
    paper: int = 0
    imported: int = 0

    @property
    def total(self) -> int:
        """Every mode together."""
        return self.web + self.paper + self.imported


@dataclass(frozen=True, slots=True)
class FieldworkSummary:
    """A wave's fieldwork: invitations, reminders, bounces, opt-outs, returns, AAPOR rates."""

    cases: int
    letters: int
    """Companies a letter was printed for (`campaign letters`)."""
    emails: int
    """Companies whose invitation e-mail the server accepted."""
    reminders: int
    """Reminder e-mails accepted by the server."""
    reminded: int
    """Companies reminded at least once."""
    bounces: int
    """Companies with a bounced e-mail (3.32)."""
    letters_returned: int
    """Companies whose letter came back undelivered (3.30, 3.31, 3.40)."""
    opt_outs: int
    complete: Returns
    partial: Returns
    rates: CampaignRates


def _returns(pairs: Iterable[tuple[str, str]], status: str) -> Returns:
    by_source = {"web": 0, "paper": 0, "import": 0}
    for got_status, source in pairs:
        if got_status == status:
            by_source[source] = by_source.get(source, 0) + 1
    return Returns(web=by_source["web"], paper=by_source["paper"], imported=by_source["import"])


def summarise_fieldwork(
    *,
    invitations: Iterable[InvitationState],
    responses: Iterable[tuple[str, str]],
    histories: Mapping[str, Sequence[DispositionEvent]],
    lettered: Iterable[str],
    rates: CampaignRates,
) -> FieldworkSummary:
    """The summary of a wave from its invitations, its responses as (status, source) pairs,
    each case's disposition history, the cases letters were printed for, and its rates."""
    states = list(invitations)
    pairs = list(responses)
    codes_of = {case: {event.code for event in events} for case, events in histories.items()}
    return FieldworkSummary(
        cases=len(histories),
        letters=len(set(lettered) & set(histories)),
        emails=sum(1 for s in states if s.sent),
        reminders=sum(s.reminder_count for s in states),
        reminded=sum(1 for s in states if s.reminder_count > 0),
        bounces=sum(1 for codes in codes_of.values() if BOUNCE_CODE in codes),
        letters_returned=sum(1 for codes in codes_of.values() if codes & LETTER_RETURNED_CODES),
        opt_outs=len(
            {s.case_id for s in states if s.opted_out}
            | {case for case, codes in codes_of.items() if OPT_OUT_CODE in codes}
        ),
        complete=_returns(pairs, "complete"),
        partial=_returns(pairs, "partial"),
        rates=rates,
    )
