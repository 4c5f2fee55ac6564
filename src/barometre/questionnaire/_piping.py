"""Piped labels: ``${name}`` in a question's text replaced by the answer given to ``name``.

One pure function for every place a text is shown (web page, paper form, diagnostic), so a
respondent never sees ``${...}`` and every place shows the same words: a choice question's
answer is its label, a number is written the way the language writes it, and a question not
answered (or skipped) shows nothing, as in ODK.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from barometre.questionnaire._answers import Answers, is_answered
from barometre.questionnaire._model import Questionnaire, QuestionType, check_lang
from barometre.questionnaire._validate import calculations, relevance

_PIPED: Final = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}")


def format_number(value: float, lang: str = "fr") -> str:
    """A number as text: "1 234,5" in French (narrow no-break space), "1,234.5" in English."""
    number = float(value)
    text = f"{int(number):,}" if number.is_integer() else f"{number:,.6f}".rstrip("0").rstrip(".")
    if check_lang(lang) == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def answer_text(
    questionnaire: Questionnaire,
    question_id: str,
    answers: Answers,
    lang: str = "fr",
    *,
    today: dt.date | None = None,
) -> str:
    """The answer to a question as words: choice labels, a formatted number, the text given."""
    question = questionnaire.question(question_id)
    if question.type is QuestionType.CALCULATE:
        value: object = calculations(questionnaire, answers, today=today).get(question_id)
    elif relevance(questionnaire, answers, today=today).get(question_id, False):
        value = answers.get(question_id)
    else:
        value = None
    if not is_answered(value):
        return ""
    if question.type.has_choices:
        codes = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        labels = {c.code: c.label(lang) for c in question.offered_choices}
        return ", ".join(labels.get(str(c), str(c)) for c in codes)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format_number(value, lang)
    return str(value)


def pipe(
    text: str,
    questionnaire: Questionnaire,
    answers: Answers,
    lang: str = "fr",
    *,
    today: dt.date | None = None,
) -> str:
    """``text`` with every ``${name}`` replaced by the answer to ``name`` (see answer_text)."""
    if "${" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in questionnaire:
            return match.group(0)  # refused at load time; never reached for a loaded form
        return answer_text(questionnaire, name, answers, lang, today=today)

    return _PIPED.sub(replace, text)
