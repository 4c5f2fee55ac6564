"""What the XLSForm reader and writer share: column names and the conventions that make the
round trip exact.

- Sections are ``begin group`` / ``end group`` rows.
- Yes/no questions are ``select_one yes_no`` (further distinct yes/no lists ``yes_no_2``...),
  4-point scales ``select_one scale4_<name>``: the list name gives the type back on import.
- Number bounds are enforced in ``constraint`` (so KoboToolbox checks them) and also kept in
  ``barometre::minimum`` / ``barometre::maximum``, with the unit in ``barometre::unit``;
  on import the bounds prefix is taken off the constraint again.
- ``barometre::`` columns are this project's extensions; other XLSForm tools ignore them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from barometre.questionnaire._model import Language

LANGUAGE_NAMES: Final[dict[Language, str]] = {"fr": "French (fr)", "en": "English (en)"}

YES_NO_LIST: Final = "yes_no"
SCALE4_PREFIX: Final = "scale4"
YES_NO_LIST_RE: Final = re.compile(r"yes_no(?:_\d+)?\Z")
SCALE4_LIST_RE: Final = re.compile(r"scale4(?:_.*)?\Z")

UNIT: Final = "barometre::unit"
MINIMUM: Final = "barometre::minimum"
MAXIMUM: Final = "barometre::maximum"
TITLE_EN: Final = "barometre::title_en"
DIAGNOSTIC: Final = "barometre::diagnostic_questions"

TRANSLATED: Final = ("label", "hint", "constraint_message")


def translated(column: str, lang: Language) -> str:
    """The header of a translated column, e.g. ``label::French (fr)``."""
    return f"{column}::{LANGUAGE_NAMES[lang]}"


def format_number(number: float) -> str:
    """A number as written in an expression: no exponent, no needless ``.0``."""
    if float(number).is_integer():
        return str(int(number))
    return format(Decimal(repr(float(number))), "f")


def bounds_expression(minimum: float | None, maximum: float | None) -> str | None:
    """The constraint text that enforces number bounds in XLSForm tools."""
    parts = []
    if minimum is not None:
        parts.append(f". >= {format_number(minimum)}")
    if maximum is not None:
        parts.append(f". <= {format_number(maximum)}")
    return " and ".join(parts) or None


def combined_constraint(bounds: str | None, constraint: str | None) -> str | None:
    """Bounds and the question's own constraint as one XLSForm constraint."""
    if bounds is None:
        return constraint
    if constraint is None:
        return bounds
    return f"{bounds} and ({constraint})"


def split_constraint(combined: str, bounds: str) -> str | None:
    """Undo combined_constraint; raise ValueError if ``combined`` does not start with bounds."""
    if combined == bounds:
        return None
    prefix = f"{bounds} and ("
    if combined.startswith(prefix) and combined.endswith(")"):
        return combined[len(prefix) : -1]
    raise ValueError(combined)
