"""Skip logic and validation of one answer set against a questionnaire.

Answers are a mapping from question id to: a code (single choice, yes/no, 4-point scale), a
list of codes (multiple choice), an int or float (number), a text (text). ``None``, ``""``
and ``[]`` mean "no answer". As in ODK, the answer to a skipped question counts as empty
for the skip logic of later questions, so a chain of conditions behaves as in the field.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping

from barometre.questionnaire import _expression as ex
from barometre.questionnaire._answers import Answers, is_answered
from barometre.questionnaire._model import (
    ACKNOWLEDGED,
    Choice,
    Question,
    Questionnaire,
    QuestionType,
    Section,
)
from barometre.questionnaire._problems import Problem, ProblemCode, make_problem

_EXPECTED: dict[QuestionType, tuple[str, str]] = {
    QuestionType.SINGLE: ("un code de réponse (texte)", "an answer code (text)"),
    QuestionType.YES_NO: ("le code 'yes' ou 'no'", "the code 'yes' or 'no'"),
    QuestionType.SCALE4: ("un code de l'échelle (texte)", "a scale code (text)"),
    QuestionType.MULTIPLE: ("une liste de codes distincts", "a list of distinct codes"),
    QuestionType.NUMBER: ("un nombre", "a number"),
    QuestionType.TEXT: ("un texte", "a text"),
    QuestionType.DATE: ("une date AAAA-MM-JJ", "a date YYYY-MM-DD"),
    QuestionType.TIME: ("une heure HH:MM", "a time HH:MM"),
    QuestionType.DATETIME: (
        "une date et une heure AAAA-MM-JJTHH:MM",
        "a date and time YYYY-MM-DDTHH:MM",
    ),
    QuestionType.ACKNOWLEDGE: (
        f"« {ACKNOWLEDGED} » (case cochée)",
        f"'{ACKNOWLEDGED}' (box ticked)",
    ),
    QuestionType.NOTE: ("aucune réponse (c'est une note)", "no answer (it is a note)"),
    QuestionType.CALCULATE: ("un texte ou un nombre", "a text or a number"),
}
_TIME_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?\Z")


def _as_value(value: object) -> ex.Value:
    """An answer as the expression language sees it."""
    # Texts and codes first, without the numbers ABC (an isinstance on `numbers.Real` costs
    # several times a plain type test): the skip logic converts every answer of a page
    # submit this way, several times over.
    if type(value) is str:
        return value if value.strip() else ""
    if type(value) is float or type(value) is int:
        return float(value)
    if not is_answered(value):
        return ""
    if isinstance(value, bool):
        return ex.to_string(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


# The skip logic of one answer set is evaluated once, however many times it is asked for:
# one page POST checks, prunes and pages the same answers several times (web/paging.py),
# then the store validates them again. The evaluation reads nothing but the questionnaire,
# the answers as the expression language sees them (`_as_value`) and the date, which make
# the key; results are copied out, so callers may change theirs.
_EVALUATED_KEPT = 256
_evaluated_cache: OrderedDict[
    tuple[object, ...], tuple[Questionnaire, dict[str, bool], dict[str, ex.Value]]
] = OrderedDict()
_evaluated_lock = threading.Lock()


def _evaluated(
    questionnaire: Questionnaire, answers: Answers, today: dt.date | None
) -> tuple[dict[str, bool], dict[str, ex.Value]]:
    """Every question's asked state and the values later conditions see (calculations done)."""
    values = tuple(_as_value(answers.get(qid)) for qid in questionnaire.question_ids)
    key = (id(questionnaire), today or dt.date.today(), values)
    with _evaluated_lock:
        hit = _evaluated_cache.get(key)
        if hit is not None and hit[0] is questionnaire:
            _evaluated_cache.move_to_end(key)
            return dict(hit[1]), dict(hit[2])
    result, seen = _evaluate(questionnaire, answers, today)
    with _evaluated_lock:
        # The questionnaire is kept with its entry: its id cannot be reused while cached.
        _evaluated_cache[key] = (questionnaire, result, seen)
        while len(_evaluated_cache) > _EVALUATED_KEPT:
            _evaluated_cache.popitem(last=False)
    return dict(result), dict(seen)


def _evaluate(
    questionnaire: Questionnaire, answers: Answers, today: dt.date | None
) -> tuple[dict[str, bool], dict[str, ex.Value]]:
    seen: dict[str, ex.Value] = {}
    result: dict[str, bool] = {}
    section_on: dict[str, bool] = {}
    context = ex.Context(today=today)

    def resolve(name: str) -> ex.Value:
        return seen.get(name, "")

    for section in questionnaire.sections:
        on = section.parent is None or section_on.get(section.parent, True)
        if on and section.relevant_expr is not None:
            on = ex.to_boolean(ex.evaluate(section.relevant_expr, resolve, "", context))
        section_on[section.id] = on
        for question in section.questions:
            asked = on and (
                question.relevant_expr is None
                or ex.to_boolean(ex.evaluate(question.relevant_expr, resolve, "", context))
            )
            result[question.id] = asked
            if not asked:
                seen[question.id] = ""
            elif question.calculation_expr is not None:
                seen[question.id] = ex.evaluate(question.calculation_expr, resolve, "", context)
            else:
                seen[question.id] = _as_value(answers.get(question.id))
    return result, seen


def relevance(
    questionnaire: Questionnaire, answers: Answers, *, today: dt.date | None = None
) -> dict[str, bool]:
    """For every question id, in order, whether it is asked given the earlier answers."""
    return _evaluated(questionnaire, answers, today)[0]


def calculations(
    questionnaire: Questionnaire, answers: Answers, *, today: dt.date | None = None
) -> dict[str, str | float]:
    """The value of every calculate question that is asked, from the answers given."""
    asked, seen = _evaluated(questionnaire, answers, today)
    values: dict[str, str | float] = {}
    for question in questionnaire.questions:
        if question.type is QuestionType.CALCULATE and asked[question.id]:
            value = seen[question.id]
            values[question.id] = ex.to_string(value) if isinstance(value, bool) else value
    return values


def visible_choices(
    questionnaire: Questionnaire,
    question: Question,
    answers: Answers,
    *,
    today: dt.date | None = None,
) -> tuple[Choice, ...]:
    """The choices shown for a question: all of them, or those its choice_filter keeps."""
    if question.choice_filter_expr is None:
        return question.offered_choices
    _, seen = _evaluated(questionnaire, answers, today)

    def resolve(name: str) -> ex.Value:
        return seen.get(name, "")

    kept: list[Choice] = []
    for choice in question.offered_choices:
        columns = {"name": choice.code, **dict(choice.properties)}

        def column(name: str, columns: dict[str, str] = columns) -> ex.Value:
            return columns.get(name, "")

        context = ex.Context(today=today, column=column)
        if ex.to_boolean(ex.evaluate(question.choice_filter_expr, resolve, "", context)):
            kept.append(choice)
    return tuple(kept)


def section_chain(questionnaire: Questionnaire, section: Section) -> tuple[Section, ...]:
    """A section and the groups it is nested in, outermost first."""
    chain = [section]
    while chain[0].parent is not None:
        chain.insert(0, questionnaire.section(chain[0].parent))
    return tuple(chain)


def is_relevant(questionnaire: Questionnaire, question_id: str, answers: Answers) -> bool:
    """Whether a question is asked given the earlier answers (its and its section's condition)."""
    questionnaire.question(question_id)  # a clear error for an unknown id
    return relevance(questionnaire, answers)[question_id]


def validate(
    questionnaire: Questionnaire,
    answers: Answers,
    *,
    today: dt.date | None = None,
    missing: bool = True,
) -> tuple[Problem, ...]:
    """Every problem of an answer set, in questionnaire order; unknown questions come last.

    `missing=False` leaves out the unanswered required questions (a partial save): the
    problems a caller would only filter away are then not built at all.
    """
    problems: list[Problem] = []
    asked = relevance(questionnaire, answers, today=today)
    computed: dict[str, str | float] | None = None  # the calculations, when a constraint needs them
    for question in questionnaire.questions:
        value = answers.get(question.id)
        if question.type is QuestionType.CALCULATE:
            continue  # computed from the other answers, whatever was sent
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
            if question.required and missing:
                problems.append(make_problem(ProblemCode.MISSING_REQUIRED, question.id))
            continue
        found = _check_answer(question, value)
        if not found and question.choice_filter_expr is not None:
            shown = visible_choices(questionnaire, question, answers, today=today)
            codes = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
            allowed = ", ".join(c.code for c in shown)
            found = [
                make_problem(ProblemCode.UNKNOWN_CHOICE, question.id, code, allowed)
                for code in codes
                if code not in {c.code for c in shown}
            ]
        if not found and question.constraint_expr is not None:
            if computed is None:
                computed = calculations(questionnaire, answers, today=today)
            found = _check_constraint(question, value, answers, asked, computed)
        problems.extend(found)
    for question_id, value in answers.items():
        if question_id not in questionnaire:
            problems.append(make_problem(ProblemCode.UNKNOWN_QUESTION, question_id, value))
    return tuple(problems)


def _condition(questionnaire: Questionnaire, question: Question) -> str:
    chain = section_chain(questionnaire, questionnaire.section_of(question.id))
    conditions = [c for c in (*(s.relevant for s in chain), question.relevant) if c]
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
    if kind is QuestionType.NUMBER:
        return _check_number(question, value)
    if not _well_formed(kind, value):
        return [make_problem(ProblemCode.WRONG_TYPE, qid, value, expected_fr, expected_en)]
    return []


def _well_formed(kind: QuestionType, value: object) -> bool:
    """Whether a date, time, date-time, acknowledgement (or a note, never) answer is valid."""
    if kind is QuestionType.NOTE or not isinstance(value, str):
        return False
    if kind is QuestionType.ACKNOWLEDGE:
        return value == ACKNOWLEDGED
    if kind is QuestionType.TIME:
        return _TIME_RE.match(value) is not None
    try:
        if kind is QuestionType.DATE:
            return len(value) == 10 and bool(dt.date.fromisoformat(value))
        return "T" in value and bool(dt.datetime.fromisoformat(value))
    except ValueError:
        return False


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
    step = question.step
    if step is not None and low is not None:
        steps = (number - low) / step
        if abs(steps - round(steps)) > 1e-9:
            bounds_fr, bounds_en = _bounds_text(low, high)
            return [
                make_problem(
                    ProblemCode.OUT_OF_BOUNDS,
                    qid,
                    value,
                    f"{bounds_fr}, par pas de {_show(step, 'fr')}",
                    f"{bounds_en}, in steps of {_show(step, 'en')}",
                )
            ]
    return []


def _show(number: float, lang: str) -> str:
    text = str(int(number)) if float(number).is_integer() else str(number)
    return text.replace(".", ",") if lang == "fr" else text


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
    question: Question,
    value: object,
    answers: Answers,
    asked: Mapping[str, bool],
    computed: Mapping[str, str | float],
) -> list[Problem]:
    assert question.constraint_expr is not None

    def resolve(name: str) -> ex.Value:
        if name in computed:
            return computed[name]
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
