"""The firm's segment in the study's 2x2 typology, with its meaning (adapter over typology).

The diagnostic says why the firm is in its segment with the firm's own answers (one line per
axis of the typology), not with the segment's general portrait from the study: a portrait
describes most of the segment's firms ("networks are part of the company's strategy") and
may contradict what this leader answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from barometre.diagnostic._text import Text
from barometre.questionnaire import Answers, code
from barometre.typology.rules import RuleTypology, assign_segment, load_typology


@dataclass(frozen=True)
class Segment:
    """A segment of the 2x2 typology: its code, name, portrait, and the firm's answers behind it.

    `description` is the study's portrait of the segment's typical firm; `basis` holds one
    line per axis with the side the firm's own answer put it on, which is what a page shows.
    """

    code: str
    name: Text
    description: Text
    basis: tuple[Text, ...] = ()


@cache
def _typology() -> RuleTypology:
    return load_typology()


def segment_of(answers: Answers) -> Segment | None:
    """The firm's segment in the built-in typology, None when an axis question is unanswered."""
    typology = _typology()
    found = assign_segment({q: code(answers, q) for q in typology.questions}, typology)
    if found is None:
        return None
    sides = dict(found.sides)
    basis = tuple(
        Text(
            f"{axis.name_fr}\u00a0: {side.name_fr.lower()}",
            f"{axis.name_en}: {side.name_en.lower()}",
        )
        for axis in typology.axes
        for side in axis.sides
        if sides.get(axis.id) == side.id
    )
    return Segment(
        found.id,
        Text(found.name_fr, found.name_en),
        Text(found.description_fr, found.description_en),
        basis,
    )


def segment_codes() -> tuple[str, ...]:
    """The codes of the built-in typology's segments."""
    return tuple(s.id for s in _typology().segments)
