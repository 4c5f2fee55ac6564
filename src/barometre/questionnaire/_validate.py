"""Skip logic and validation of one answer set against a questionnaire.

Answers are a mapping from question id to: a code (single choice, yes/no, 4-point scale), a
list of codes (multiple choice), an int or float (number), a text (text). ``None``, ``""``
and ``[]`` mean "no answer". As in ODK, the answer to a skipped question counts as empty
for the skip logic of later questions, so a chain of conditions behaves as in the field.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

from barometre.questionnaire import _expression as ex
from barometre.questionnaire._answers import Answers, is_answered
from barometre.questionnaire._model import Question, Questionnaire, QuestionType
from barometre.questionnaire._problems import Problem, ProblemCode, make_problem

_EXPECTED: dict[QuestionType, tuple[str, str]] = {
    QuestionType.SINGLE: ("un code de réponse (texte)", "an answer code (text)"),
    QuestionType.YES_NO: ("le code 'yes' ou 'no'", "the code 'yes' or 'no'"),
    QuestionType.SCALE4: ("un code de l'échelle (texte)", "a scale code (text)"),
    QuestionType.MULTIPLE: ("une liste de codes distincts", "a list of distinct codes"),
    QuestionType.NUMBER: ("un nombre", "a number"),
    QuestionType.TEXT: ("un texte", "a text"),
}


def _as_value(value: object) -> ex.Value:
    """An answer as the expression language sees it."""
    if not is_answered(value):
        return ""
    if isinstance(value, bool):
        return ex.to_string(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def relevance(questionnaire: Questionnaire, answers: Answers) -> dict[str, bool]:
    """For every question id, in order, whether it is asked given the earlier answers."""
    seen: dict[str, ex.Value] = {}
    result: dict[str, bool] = {}

    def resolve(name: str) -> ex.Value:
        return seen.get(name, "")

    for section in questionnaire.sections:
        section_on = section.relevant_expr is None or ex.to_boolean(
            ex.evaluate(section.relevant_expr, resolve)
        )
        for question in section.questions:
            asked = section_on and (
                question.relevant_expr is None
                or ex.to_boolean(ex.evaluate(question.relevant_expr, resolve))
            )
            result[question.id] = asked
            seen[question.id] = _as_value(answers.get(question.id)) if asked else ""
    return result


def is_relevant(questionnaire: Questionnaire, question_id: str, answers: Answers) -> bool:
    """Whether a question is asked given the earlier answers (its and its section's condition)."""
    questionnaire.question(question_id)  # a clear error for an unknown id
    return relevance(questionnaire, answers)[question_id]


def validate(questionnaire: Questionnaire, answers: Answers) -> tuple[Problem, ...]:
    """Every problem of an answer set, in questionnaire order; unknown questions come last."""
    problems: list[Problem] = []
    asked = relevance(questionnaire, answers)
    for question in questionnaire.questions:
        value = answers.get(question.id)
        if not asked[question.id]:
            if is_answered(value):
                problems.append(
                    make_problem(
                        ProblemCode.NOT_RELEVANT,
                        question.id,
                        value,
                        _condition(questionnaire, question),
                    )
                )
            continue
        if not is_answered(value):
            if question.required:
                problems.append(make_problem(ProblemCode.MISSING_REQUIRED, question.id))
            continue
        found = _check_answer(question, value)
        if not found and question.constraint_expr is not None:
            found = _check_constraint(questionnaire, question, value, answers, asked)
        problems.extend(found)
    for question_id, value in answers.items():
        if question_id not in questionnaire:
            problems.append(make_problem(ProblemCode.UNKNOWN_QUESTION, question_id, value))
    return tuple(problems)


def _condition(questionnaire: Questionnaire, question: Question) -> str:
    section_condition = questionnaire.section_of(question.id).relevant
    conditions = [c for c in (section_condition, question.relevant) if c]
    if len(conditions) == 1:
        return conditions[0]
    return " and ".join(f"({c})" for c in conditions)


def _check_answer(question: Question, value: object) -> list[Problem]:
    qid, kind = question.id, question.type
    expected_fr, expected_en = _EXPECTED[kind]
    if kind in (QuestionType.SINGLE, QuestionType.YES_NO, QuestionType.SCALE4):
        if not isinstance(value, str):
            return [make_problem(ProblemCode.WRONG_TYPE, qid, value, expected_fr, expected_en)]
        return _unknown_codes(question, [value])
    if kind is QuestionType.MULTIPLE:
        if (
            not isinstance(value, list | tuple)
            or not all(isinstance(v, str) for v in value)
            or len(set(value)) != len(value)
        ):
            return [make_problem(ProblemCode.WRONG_TYPE, qid, value, expected_fr, expected_en)]
        return _unknown_codes(question, list(value))
    if kind is QuestionType.TEXT:
        if not isinstance(value, str):
            return [make_problem(ProblemCode.WRONG_TYPE, qid, value, expected_fr, expected_en)]
        return []
    return _check_number(question, value)


def _unknown_codes(question: Question, codes: list[str]) -> list[Problem]:
    unknown = [code for code in codes if code not in question.codes]
    if not unknown:
        return []
    allowed = ", ".join(question.codes)
    return [
        make_problem(ProblemCode.UNKNOWN_CHOICE, question.id, code, allowed) for code in unknown
    ]


def _check_number(question: Question, value: object) -> list[Problem]:
    qid = question.id
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)  # also numpy and Fraction numbers
        or not math.isfinite(value)
        or (question.integer and not float(value).is_integer())
    ):
        if question.integer:
            expected = ("un nombre entier", "a whole number")
        else:
            expected = _EXPECTED[QuestionType.NUMBER]
        return [make_problem(ProblemCode.WRONG_TYPE, qid, value, *expected)]
    number, low, high = float(value), question.minimum, question.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        return [make_problem(ProblemCode.OUT_OF_BOUNDS, qid, value, *_bounds_text(low, high))]
    return []


def _bounds_text(low: float | None, high: float | None) -> tuple[str, str]:
    def show(number: float) -> str:
        return str(int(number)) if float(number).is_integer() else str(number)

    if low is not None and high is not None:
        return f"entre {show(low)} et {show(high)}", f"between {show(low)} and {show(high)}"
    if low is not None:
        return f"au moins {show(low)}", f"at least {show(low)}"
    assert high is not None
    return f"au plus {show(high)}", f"at most {show(high)}"


def _check_constraint(
    questionnaire: Questionnaire,
    question: Question,
    value: object,
    answers: Answers,
    asked: Mapping[str, bool],
) -> list[Problem]:
    assert question.constraint_expr is not None

    def resolve(name: str) -> ex.Value:
        return _as_value(answers.get(name)) if asked.get(name, False) else ""

    current = _as_value(value)
    if ex.to_boolean(ex.evaluate(question.constraint_expr, resolve, current)):
        return []
    # Authors end their messages with a full stop; the template adds its own punctuation.
    custom_fr, custom_en = question.constraint_message_fr, question.constraint_message_en
    expected_fr = custom_fr.rstrip(". ") if custom_fr else f"contrainte « {question.constraint} »"
    expected_en = custom_en.rstrip(". ") if custom_en else f"constraint '{question.constraint}'"
    return [
        make_problem(ProblemCode.CONSTRAINT_FAILED, question.id, value, expected_fr, expected_en)
    ]
