"""AAPOR final disposition codes for a mail + web survey of named companies, and their history.

Codes follow AAPOR's Standard Definitions (tables for mail and Internet surveys of
specifically named persons). Where AAPOR leaves room for sub-codes (3.30 "returned
undelivered"), this module adds its own, marked as such. Each code belongs to one of the
outcome groups of the rate formulas: I, P, R, NC, O (eligible), UH, UO (unknown
eligibility), NE (not eligible).

Note: AAPOR counts a letter returned undeliverable or a bounced e-mail as *unknown
eligibility* (3.30), not as a non-contact (2.20): the undelivered mail does not tell
whether the company still exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from barometre.campaign.errors import CampaignError


class Outcome(StrEnum):
    """The AAPOR outcome groups used in the rate formulas."""

    COMPLETE = "I"
    PARTIAL = "P"
    REFUSAL = "R"
    NON_CONTACT = "NC"
    OTHER = "O"
    UNKNOWN_HOUSEHOLD = "UH"
    UNKNOWN_OTHER = "UO"
    NOT_ELIGIBLE = "NE"


@dataclass(frozen=True, slots=True)
class Disposition:
    """One AAPOR disposition code with its outcome group and labels."""

    code: str
    outcome: Outcome
    label_en: str
    label_fr: str


_CATALOGUE = (
    Disposition("1.1", Outcome.COMPLETE, "Complete", "Questionnaire complet"),
    Disposition("1.2", Outcome.PARTIAL, "Partial", "Questionnaire partiel"),
    Disposition("2.11", Outcome.REFUSAL, "Refusal", "Refus"),
    Disposition("2.111", Outcome.REFUSAL, "Opted out", "Désinscription (opt-out)"),
    Disposition(
        "2.112", Outcome.REFUSAL, "Blank questionnaire returned", "Questionnaire renvoyé vierge"
    ),
    Disposition("2.12", Outcome.REFUSAL, "Break-off", "Abandon en cours de questionnaire"),
    Disposition("2.20", Outcome.NON_CONTACT, "Non-contact", "Non-contact"),
    Disposition(
        "2.26",
        Outcome.NON_CONTACT,
        "Respondent unavailable during field period",
        "Dirigeant indisponible pendant l'enquête",
    ),
    Disposition(
        "2.27",
        Outcome.NON_CONTACT,
        "Questionnaire returned after the field period",
        "Questionnaire reçu après la clôture",
    ),
    Disposition("2.30", Outcome.OTHER, "Other eligible non-interview", "Autre non-réponse"),
    Disposition("2.33", Outcome.OTHER, "Language barrier", "Barrière de la langue"),
    Disposition("3.11", Outcome.UNKNOWN_HOUSEHOLD, "Not invited", "Non invité"),
    Disposition("3.19", Outcome.UNKNOWN_HOUSEHOLD, "Nothing ever returned", "Aucun retour"),
    Disposition(
        "3.21", Outcome.UNKNOWN_OTHER, "Reached, eligibility unknown", "Joint, éligibilité inconnue"
    ),
    Disposition("3.30", Outcome.UNKNOWN_HOUSEHOLD, "Returned undelivered", "Retour non distribué"),
    # 3.31 and 3.32 are this project's sub-codes of AAPOR's 3.30, by channel.
    Disposition(
        "3.31",
        Outcome.UNKNOWN_HOUSEHOLD,
        "Letter returned undeliverable (NPAI)",
        "Courrier retourné NPAI",
    ),
    Disposition("3.32", Outcome.UNKNOWN_HOUSEHOLD, "E-mail bounced", "Courriel rejeté (bounce)"),
    Disposition(
        "3.40",
        Outcome.UNKNOWN_HOUSEHOLD,
        "Returned with forwarding information",
        "Retour avec nouvelle adresse",
    ),
    Disposition("3.90", Outcome.UNKNOWN_OTHER, "Other unknown eligibility", "Autre, inconnu"),
    Disposition(
        "4.10", Outcome.NOT_ELIGIBLE, "Out of scope (screened out)", "Hors champ de l'étude"
    ),
    Disposition(
        "4.50", Outcome.NOT_ELIGIBLE, "Company closed or ceased trading", "Entreprise fermée"
    ),
    Disposition("4.80", Outcome.NOT_ELIGIBLE, "Duplicate listing", "Doublon"),
)
CATALOGUE: dict[str, Disposition] = {d.code: d for d in _CATALOGUE}
"""Every disposition code this package knows, by code."""

NOTHING_RETURNED = "3.19"
"""The final disposition of an invited case that never produced any event."""

# Which event decides a case's final disposition: the strongest evidence wins, whatever
# came later (a bounce on a reminder does not undo a completed questionnaire).
_PRECEDENCE = {
    Outcome.COMPLETE: 7,
    Outcome.PARTIAL: 6,
    Outcome.NOT_ELIGIBLE: 5,
    Outcome.REFUSAL: 4,
    Outcome.OTHER: 3,
    Outcome.NON_CONTACT: 2,
    Outcome.UNKNOWN_OTHER: 1,
    Outcome.UNKNOWN_HOUSEHOLD: 0,
}


class UnknownDisposition(CampaignError, ValueError):
    """A disposition code that is not in the catalogue."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown AAPOR disposition code {code!r}")
        self.code = code


def disposition(code: str) -> Disposition:
    """The catalogue entry of `code`, or `UnknownDisposition`."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise UnknownDisposition(code) from None


@dataclass(frozen=True, slots=True)
class DispositionEvent:
    """Something learned about a case: a return, a bounce, an opt-out, a closure..."""

    case_id: str
    code: str
    at: datetime
    source: str = ""
    """Where it came from: ``web``, ``paper``, ``smtp``, ``post``, ``team``..."""
    note: str = ""

    def __post_init__(self) -> None:
        disposition(self.code)


def final_disposition(events: Iterable[DispositionEvent]) -> str:
    """The final code of one case: the strongest outcome seen, the latest among equals."""
    best: DispositionEvent | None = None
    for event in events:
        if best is None:
            best = event
            continue
        rank = _PRECEDENCE[CATALOGUE[event.code].outcome]
        best_rank = _PRECEDENCE[CATALOGUE[best.code].outcome]
        if rank > best_rank or (rank == best_rank and event.at >= best.at):
            best = event
    return best.code if best is not None else NOTHING_RETURNED


def final_dispositions(
    case_ids: Iterable[str], events: Iterable[DispositionEvent]
) -> dict[str, str]:
    """Final code per case; cases without events get 3.19 (nothing ever returned)."""
    history: dict[str, list[DispositionEvent]] = {case: [] for case in case_ids}
    for event in events:
        if event.case_id not in history:
            raise KeyError(f"disposition event for a case not in the sample: {event.case_id!r}")
        history[event.case_id].append(event)
    return {case: final_disposition(evs) for case, evs in history.items()}
