"""The store's narrow view of `barometre.questionnaire`: find a questionnaire, validate answers.

Only the questionnaire's public API is used here (`load_builtin`, `validate`,
`is_answered`, `q.id`, `q.version`, `q.questions[i].id/.type/.choices[j].code`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from barometre.questionnaire import (
    Problem,
    Question,
    Questionnaire,
    QuestionType,
    is_answered,
    load_builtin,
    validate,
)
from barometre.store.errors import NotFoundError

# How the wave dataset encodes a question type.
Shape = Literal["code", "multiple", "number", "text"]


def question_shape(question: Question) -> Shape:
    """The dataset column shape of a question: codes, one flag per choice, number or text."""
    if question.type is QuestionType.MULTIPLE:
        return "multiple"
    if question.type is QuestionType.NUMBER:
        return "number"
    if question.type in _TEXT_SHAPED:
        return "text"
    return "code"


# Stored as texts: ISO dates and times (YYYY-MM-DD, HH:MM, YYYY-MM-DDTHH:MM) and calculations.
_TEXT_SHAPED = frozenset(
    {
        QuestionType.TEXT,
        QuestionType.DATE,
        QuestionType.TIME,
        QuestionType.DATETIME,
        QuestionType.CALCULATE,
        QuestionType.NOTE,
    }
)


class QuestionnaireCatalog:
    """Finds the questionnaire of a wave: registered ones first, then the built-in ones."""

    def __init__(self) -> None:
        self._registered: dict[tuple[str, str], Questionnaire] = {}
        self._cache: dict[tuple[str, str], Questionnaire] = {}

    def register(self, questionnaire: Questionnaire) -> None:
        """Make a questionnaire (e.g. imported from XLSForm) available to waves."""
        self._registered[(str(questionnaire.id), str(questionnaire.version))] = questionnaire

    def get(self, questionnaire_id: str, version: str | None = None) -> Questionnaire:
        """The questionnaire `questionnaire_id` at `version` (None: whichever is known)."""
        for (qid, qversion), q in self._registered.items():
            if qid == questionnaire_id and version in (None, qversion):
                return q
        key = (questionnaire_id, version or "")
        if key in self._cache:
            return self._cache[key]
        try:
            q = load_builtin(questionnaire_id)
        except (KeyError, LookupError, ValueError, FileNotFoundError) as exc:
            raise NotFoundError(
                f"unknown questionnaire {questionnaire_id!r}: neither built in nor registered "
                "with Store.register_questionnaire"
            ) from exc
        if version is not None and str(q.version) != version:
            raise NotFoundError(
                f"questionnaire {questionnaire_id!r} version {version!r} is not available "
                f"(built in: {q.version!r}); register it with Store.register_questionnaire"
            )
        self._cache[key] = q
        return q


def normalise_answer(value: Any) -> Any:
    """An answer as stored: tuples of codes become lists; unanswered values become None.

    "Unanswered" is the questionnaire's own notion (None, blank text, an empty list).
    """
    if not is_answered(value):
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def validate_answers(
    questionnaire: Questionnaire, answers: Mapping[str, Any], *, partial: bool
) -> tuple[Problem, ...]:
    """Every problem of `answers`; for a partial save, missing answers are not problems."""
    return validate(questionnaire, answers, missing=not partial)
