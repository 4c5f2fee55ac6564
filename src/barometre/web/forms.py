"""Reading a submitted page of questions into answers, the way the questionnaire expects them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.datastructures import FormData

from barometre.questionnaire import AnswerValue, Question, QuestionType


def read_answers(form: FormData, questions: Iterable[Question]) -> dict[str, AnswerValue | None]:
    """The answers given to `questions` in `form`; None for a question left blank.

    A number that does not parse is kept as typed, so that validation reports it as the wrong
    type with the questionnaire's own message (and the page shows it back as typed).
    """
    answers: dict[str, AnswerValue | None] = {}
    for question in questions:
        if question.type is QuestionType.MULTIPLE:
            codes = [str(v) for v in form.getlist(question.id) if str(v)]
            answers[question.id] = codes or None
            continue
        raw = form.get(question.id)
        text = str(raw).strip() if isinstance(raw, str) else ""
        if not text:
            answers[question.id] = None
        elif question.type is QuestionType.NUMBER:
            answers[question.id] = _number(text)
        else:
            answers[question.id] = text
    return answers


def _number(text: str) -> AnswerValue:
    cleaned = text.replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def merge(saved: Mapping[str, Any], page: Mapping[str, AnswerValue | None]) -> dict[str, Any]:
    """Saved answers updated with one page's (a blank answer removes the saved one)."""
    merged = dict(saved)
    for qid, value in page.items():
        if value is None:
            merged.pop(qid, None)
        else:
            merged[qid] = value
    return merged
