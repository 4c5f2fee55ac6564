"""The answer set: what one company answered, and its wide-row form in a wave dataset.

An answer set maps question ids (docs/dev/vocabulary.md) to a code (single choice, yes/no,
4-point scale), a list of codes (multiple choice), a number, or a text. ``None``, blank text
and ``[]`` mean "no answer"; a question absent from the mapping was not answered or skipped.

A wave dataset holds the same answers as one *wide row* per company: one text column per
code question, one Float64 column per number question, and one 0/1 column per choice of a
multiple-choice question, named ``{question_id}__{code}`` and null when the question was
not answered. This module is the one place that converts between the two forms, and the
one place that says when a company counts as present on the networks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Literal

from barometre.questionnaire._model import Question, Questionnaire, QuestionType

Answer = str | Sequence[str] | int | float | None
"""One answer as the validator takes it (``None``, blank text and ``[]``: no answer)."""

Answers = Mapping[str, Answer]
"""An answer set: question id -> answer."""

AnswerValue = str | int | float | list[str]
"""One given answer as the store keeps it and the JSON API exchanges it (never blank)."""

WideValue = str | float | int | None
"""One cell of a wave dataset's wide row."""

PresentCode = Literal["yes", "no"]

NETWORK_QUESTIONS: Final[tuple[str, ...]] = (
    "net_facebook",
    "net_linkedin",
    "net_twitter",
    "net_youtube",
    "net_instagram",
)
"""The five yes/no questions "does the company have an official account on network X"."""

PRESENT: Final = "present"
"""The derived column of a wave dataset: ``yes``/``no``/null, see `is_present`."""

CHOICE_SEPARATOR: Final = "__"


def is_answered(value: object) -> bool:
    """Whether a value counts as an answer (``None``, blank text and ``[]`` do not)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | tuple):
        return len(value) > 0
    return True


def is_present(
    answers: Mapping[str, object], networks: Sequence[str] = NETWORK_QUESTIONS
) -> bool | None:
    """Whether the company has an official account on at least one of `networks`.

    True as soon as one network is answered "yes"; False only when every network is answered
    and none "yes"; None (not known) otherwise, e.g. one "no" and four blanks, or all blanks.

    Why this rule (three copies used to disagree on the blank cases: the wave dataset said
    None, the report "no", the diagnostic False): a derived variable is missing when what was
    said does not decide it, the item-missing rule every estimator here applies, so a partial
    return is not counted as a company absent from the networks.
    """
    values = [answers.get(n) for n in networks]
    if any(v == "yes" for v in values):
        return True
    if not networks or not all(is_answered(v) for v in values):
        return None
    return False


def present_code(
    answers: Mapping[str, object], networks: Sequence[str] = NETWORK_QUESTIONS
) -> PresentCode | None:
    """`is_present` coded as the wave dataset's `present` column: ``yes``, ``no`` or None."""
    present = is_present(answers, networks)
    return None if present is None else ("yes" if present else "no")


def chosen(answers: Answers, question_id: str) -> frozenset[str]:
    """The codes chosen for a question: one for a single choice, several for a multiple one."""
    value = answers.get(question_id)
    if value is None or isinstance(value, int | float):
        return frozenset()
    if isinstance(value, str):
        return frozenset({value}) if value else frozenset()
    return frozenset(str(c) for c in value)


def code(answers: Answers, question_id: str) -> str | None:
    """The single code answered to a question, or None."""
    value = answers.get(question_id)
    return value if isinstance(value, str) and value else None


def choice_column(question_id: str, choice: str) -> str:
    """The wave dataset's 0/1 column of one choice of a multiple-choice question."""
    return f"{question_id}{CHOICE_SEPARATOR}{choice}"


def split_choice_column(column: str) -> tuple[str, str] | None:
    """The (question id, choice code) a 0/1 column stands for; None for any other column."""
    question_id, sep, choice = column.partition(CHOICE_SEPARATOR)
    return (question_id, choice) if sep and question_id and choice else None


def wide_columns(question: Question) -> tuple[str, ...]:
    """The wave dataset columns of one question, in order."""
    if question.type is QuestionType.MULTIPLE:
        return tuple(choice_column(question.id, c.code) for c in question.offered_choices)
    if question.type is QuestionType.NOTE:
        return ()  # a note is read, never answered
    return (question.id,)


def wide_row(questions: Iterable[Question], answers: Answers) -> dict[str, WideValue]:
    """An answer set as a wide row: every column of `questions`, null when not answered."""
    row: dict[str, WideValue] = {}
    for question in questions:
        value = answers.get(question.id)
        if question.type is QuestionType.NOTE:
            continue
        if question.type is QuestionType.MULTIPLE:
            given = set(value) if isinstance(value, list | tuple) else None
            for choice in question.offered_choices:
                flag = None if given is None else int(choice.code in given)
                row[choice_column(question.id, choice.code)] = flag
        elif not is_answered(value):
            row[question.id] = None
        elif question.type is QuestionType.NUMBER:
            row[question.id] = float(value) if isinstance(value, int | float) else float(str(value))
        else:
            row[question.id] = str(value)
    return row


def answers_from_wide_row(
    questionnaire: Questionnaire, row: Mapping[str, object]
) -> dict[str, AnswerValue]:
    """A wide row back into an answer set (columns of other questions are ignored).

    A multiple-choice question is answered when those of its 0/1 columns the row has are not
    null (its answer: the codes flagged 1, possibly none); a whole number comes back an int.
    """
    answers: dict[str, AnswerValue] = {}
    for question in questionnaire.questions:
        if question.type is QuestionType.MULTIPLE:
            flags = {
                c.code: row[column]
                for c, column in zip(question.offered_choices, wide_columns(question), strict=True)
                if column in row
            }
            if flags and all(f is not None for f in flags.values()):
                answers[question.id] = [c for c, f in flags.items() if f == 1]
            continue
        value = row.get(question.id)
        if not is_answered(value):
            continue
        if question.type is QuestionType.NUMBER and isinstance(value, int | float):
            answers[question.id] = int(value) if float(value).is_integer() else float(value)
        elif isinstance(value, str | int | float):
            answers[question.id] = value
    return answers
