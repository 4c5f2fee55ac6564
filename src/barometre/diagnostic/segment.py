"""The firm's segment in the study's 2x2 typology, with its meaning (adapter over typology)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from barometre.diagnostic._text import Text
from barometre.questionnaire import Answers, code
from barometre.typology.rules import RuleTypology, assign_segment, load_typology


@dataclass(frozen=True)
class Segment:
    """A segment of the 2x2 typology: its code, name and what it means."""

    code: str
    name: Text
    description: Text


@cache
def _typology() -> RuleTypology:
    return load_typology()


def segment_of(answers: Answers) -> Segment | None:
    """The firm's segment in the built-in typology, None when an axis question is unanswered."""
    typology = _typology()
    found = assign_segment({q: code(answers, q) for q in typology.questions}, typology)
    if found is None:
        return None
    return Segment(
        found.id,
        Text(found.name_fr, found.name_en),
        Text(found.description_fr, found.description_en),
    )


def segment_codes() -> tuple[str, ...]:
    """The codes of the built-in typology's segments."""
    return tuple(s.id for s in _typology().segments)
