"""Problems found in an answer set: stable codes and a French/English message catalogue."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from barometre.questionnaire._model import check_lang


class ProblemCode(StrEnum):
    """Stable error codes of answer validation; the values are part of the public contract."""

    UNKNOWN_QUESTION = "unknown_question"
    UNKNOWN_CHOICE = "unknown_choice"
    MISSING_REQUIRED = "missing_required"
    NOT_RELEVANT = "not_relevant"
    OUT_OF_BOUNDS = "out_of_bounds"
    WRONG_TYPE = "wrong_type"
    CONSTRAINT_FAILED = "constraint_failed"


@dataclass(frozen=True)
class Problem:
    """One problem with one answer, with its message in French and English."""

    code: ProblemCode
    question_id: str
    message_fr: str
    message_en: str

    def message(self, lang: str = "fr") -> str:
        """The message in ``lang`` ("fr" or "en")."""
        return self.message_fr if check_lang(lang) == "fr" else self.message_en


# One template per code and language. Placeholders: {question_id}, {value} (the offending
# answer, already formatted) and {expected} (what was expected, in the message's language).
MESSAGES: Final[Mapping[ProblemCode, tuple[str, str]]] = {
    ProblemCode.UNKNOWN_QUESTION: (
        "La question « {question_id} » n'existe pas dans ce questionnaire (réponse {value}).",
        "There is no question '{question_id}' in this questionnaire (answer {value}).",
    ),
    ProblemCode.UNKNOWN_CHOICE: (
        "Question « {question_id} » : {value} n'est pas un code de réponse prévu "
        "(codes possibles : {expected}).",
        "Question '{question_id}': {value} is not one of its answer codes (codes: {expected}).",
    ),
    ProblemCode.MISSING_REQUIRED: (
        "Question « {question_id} » : une réponse est obligatoire.",
        "Question '{question_id}': an answer is required.",
    ),
    ProblemCode.NOT_RELEVANT: (
        "Question « {question_id} » : elle devait être sautée d'après les réponses précédentes "
        "(condition {expected} non remplie), mais a reçu la réponse {value}.",
        "Question '{question_id}': it should have been skipped given earlier answers "
        "(condition {expected} not met) but was answered {value}.",
    ),
    ProblemCode.OUT_OF_BOUNDS: (
        "Question « {question_id} » : la réponse {value} sort des bornes ({expected}).",
        "Question '{question_id}': answer {value} is out of bounds ({expected}).",
    ),
    ProblemCode.WRONG_TYPE: (
        "Question « {question_id} » : la réponse {value} n'est pas du bon type ; attendu : "
        "{expected}.",
        "Question '{question_id}': answer {value} has the wrong type; expected {expected}.",
    ),
    ProblemCode.CONSTRAINT_FAILED: (
        "Question « {question_id} » : la réponse {value} n'est pas acceptée ({expected}).",
        "Question '{question_id}': answer {value} is not accepted ({expected}).",
    ),
}


def format_value(value: object) -> str:
    """An answer as shown in messages: texts quoted, lists bracketed, numbers as they are."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def make_problem(
    code: ProblemCode,
    question_id: str,
    value: object = None,
    expected_fr: str = "",
    expected_en: str | None = None,
) -> Problem:
    """A problem whose messages are filled from the catalogue."""
    if value is None and not expected_fr and expected_en is None:
        return _plain_problem(code, question_id)
    return _filled(code, question_id, value, expected_fr, expected_en)


@functools.lru_cache(maxsize=4096)
def _plain_problem(code: ProblemCode, question_id: str) -> Problem:
    # A problem with no value (a missing answer) depends only on its code and question: one
    # frozen record per question, instead of two formatted messages per question and request
    # (a partial answer set lacks most required answers, and every page submit validates it).
    return _filled(code, question_id, None, "", None)


def _filled(
    code: ProblemCode,
    question_id: str,
    value: object,
    expected_fr: str,
    expected_en: str | None,
) -> Problem:
    template_fr, template_en = MESSAGES[code]
    shown = format_value(value)
    return Problem(
        code=code,
        question_id=question_id,
        message_fr=template_fr.format(question_id=question_id, value=shown, expected=expected_fr),
        message_en=template_en.format(
            question_id=question_id,
            value=shown,
            expected=expected_fr if expected_en is None else expected_en,
        ),
    )
