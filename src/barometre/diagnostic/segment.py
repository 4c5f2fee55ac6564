"""The firm's segment in the study's 2x2 typology, with its meaning (adapter over typology)."""

from __future__ import annotations

from dataclasses import dataclass

from barometre.diagnostic._text import Text
from barometre.diagnostic.answers import Answers, code


@dataclass(frozen=True)
class Segment:
    """A segment of the 2x2 typology: its code, name and what it means."""

    code: str
    name: Text
    description: Text


# TEMPORARY until barometre.typology exposes its rule typology.
_SEGMENTS = {
    ("low", "late"): Segment(
        "masse_silencieuse", Text("Masse silencieuse", "Silent majority"), Text("", "")
    ),
    ("high", "late"): Segment("combatives", Text("Combatives", "Fighters"), Text("", "")),
    ("low", "ok"): Segment("desinvoltes", Text("Désinvoltes", "Easy-going"), Text("", "")),
    ("high", "ok"): Segment("pionnieres", Text("Pionnières", "Pioneers"), Text("", "")),
}


def segment_of(answers: Answers) -> Segment | None:
    """The firm's segment, None when activity or tempo is unanswered."""
    activity, tempo = code(answers, "activity"), code(answers, "tempo")
    if activity is None or tempo is None:
        return None
    a = "high" if activity in {"active", "tres_active"} else "low"
    t = "late" if tempo == "en_retard" else "ok"
    return _SEGMENTS[(a, t)]


SEGMENT_CODES: tuple[str, ...] = tuple(s.code for s in _SEGMENTS.values())
