"""Validation of answer sets: every problem code, all problems at once, in order, FR and EN."""

from __future__ import annotations

import pytest

from barometre.questionnaire import (
    Answers,
    Choice,
    Problem,
    ProblemCode,
    Question,
    Questionnaire,
    QuestionType,
    Section,
    is_relevant,
    relevance,
    validate,
)

ABC = (Choice("a", "A", "A"), Choice("b", "B", "B"), Choice("none", "Aucun", "None"))


@pytest.fixture
def survey() -> Questionnaire:
    """A small form exercising every question type, skip logic and constraint."""
    return Questionnaire(
        "mini",
        "1",
        "Mini",
        "Mini",
        (
            Section(
                "one",
                "Un",
                "One",
                (
                    Question(
                        "present", QuestionType.YES_NO, "Présent ?", "Present?", required=True
                    ),
                    Question(
                        "uses",
                        QuestionType.MULTIPLE,
                        "Usages",
                        "Uses",
                        ABC,
                        required=True,
                        relevant="${present} = 'yes'",
                        constraint="not(selected(., 'none') and count-selected(.) > 1)",
                        constraint_message_fr="« Aucun » est exclusif.",
                        constraint_message_en="'None' is exclusive.",
                    ),
                    Question(
                        "level",
                        QuestionType.SCALE4,
                        "Niveau",
                        "Level",
                        tuple(Choice(c, c, c) for c in ("l1", "l2", "l3", "l4")),
                    ),
                ),
            ),
            Section(
                "two",
                "Deux",
                "Two",
                (
                    Question(
                        "staff",
                        QuestionType.NUMBER,
                        "Effectif",
                        "Staff",
                        required=True,
                        minimum=0,
                        maximum=100,
                        integer=True,
                        unit="employees",
                    ),
                    Question(
                        "share",
                        QuestionType.NUMBER,
                        "Part",
                        "Share",
                        minimum=0.5,
                        constraint=". <= ${staff}",
                    ),
                    Question("note", QuestionType.TEXT, "Note", "Note"),
                ),
                relevant="${present} = 'yes'",
            ),
        ),
    )


def codes(problems: tuple[Problem, ...]) -> list[tuple[str, str]]:
    return [(p.code.value, p.question_id) for p in problems]


def test_valid_answers_have_no_problem(survey: Questionnaire) -> None:
    """A complete, consistent answer set validates cleanly."""
    answers: Answers = {
        "present": "yes",
        "uses": ["a", "b"],
        "level": "l2",
        "staff": 12,
        "share": 3.5,
    }
    assert validate(survey, answers) == ()


def test_skipped_questions_need_no_answer(survey: Questionnaire) -> None:
    """When `present` is no, the required `uses` and the whole section `two` are skipped."""
    assert validate(survey, {"present": "no"}) == ()
    assert validate(survey, {"present": "no", "uses": [], "note": "  ", "staff": None}) == ()


def test_problem_codes_have_stable_values() -> None:
    """The ProblemCode values are the documented strings."""
    assert [c.value for c in ProblemCode] == [
        "unknown_question",
        "unknown_choice",
        "missing_required",
        "not_relevant",
        "out_of_bounds",
        "wrong_type",
        "constraint_failed",
    ]


def test_unknown_question(survey: Questionnaire) -> None:
    """An answer to a question the form lacks is reported with its id and value."""
    problems = validate(survey, {"present": "no", "colour": "blue"})
    assert codes(problems) == [("unknown_question", "colour")]
    assert problems[0].message("fr") == (
        'La question « colour » n\'existe pas dans ce questionnaire (réponse "blue").'
    )
    assert problems[0].message("en") == (
        "There is no question 'colour' in this questionnaire (answer \"blue\")."
    )


def test_unknown_choice_single_and_multiple(survey: Questionnaire) -> None:
    """Each unknown code is a problem naming the code and the allowed codes."""
    problems = validate(survey, {"present": "oui"})
    assert codes(problems) == [("unknown_choice", "present")]
    assert '"oui"' in problems[0].message_en and "codes: yes, no" in problems[0].message_en
    problems = validate(survey, {"present": "yes", "uses": ["a", "x", "y"], "staff": 1})
    assert codes(problems) == [("unknown_choice", "uses"), ("unknown_choice", "uses")]
    assert '"x"' in problems[0].message_fr and '"y"' in problems[1].message_fr


def test_missing_required_only_when_relevant(survey: Questionnaire) -> None:
    """Required questions left blank are reported only when asked."""
    problems = validate(survey, {"present": "yes", "uses": [], "staff": None})
    assert codes(problems) == [("missing_required", "uses"), ("missing_required", "staff")]
    assert problems[0].message("fr") == "Question « uses » : une réponse est obligatoire."
    assert codes(validate(survey, {})) == [("missing_required", "present")]


def test_not_relevant(survey: Questionnaire) -> None:
    """Answers to skipped questions are reported, naming the unmet condition."""
    problems = validate(survey, {"present": "no", "uses": ["a"], "staff": 3, "note": "hi"})
    assert codes(problems) == [
        ("not_relevant", "uses"),
        ("not_relevant", "staff"),
        ("not_relevant", "note"),
    ]
    assert "${present} = 'yes'" in problems[0].message_en
    assert '["a"]' in problems[0].message_en
    assert "skipped" in problems[1].message_en and "sautée" in problems[1].message_fr


def test_out_of_bounds(survey: Questionnaire) -> None:
    """Numbers outside [minimum, maximum] are reported with the bounds."""
    problems = validate(survey, {"present": "yes", "uses": ["a"], "staff": 101, "share": 0.25})
    assert codes(problems) == [("out_of_bounds", "staff"), ("out_of_bounds", "share")]
    assert (
        problems[0].message_en
        == "Question 'staff': answer 101 is out of bounds (between 0 and 100)."
    )
    assert "au moins 0.5" in problems[1].message_fr


@pytest.mark.parametrize(
    ("question_id", "value"),
    [
        ("level", True),
        ("present", ["yes"]),
        ("uses", "a"),
        ("uses", ["a", "a"]),
        ("uses", ["a", 1]),
        ("level", 2),
        ("staff", "12"),
        ("staff", True),
        ("staff", 2.5),
        ("staff", float("nan")),
        ("note", 5),
    ],
)
def test_wrong_type(survey: Questionnaire, question_id: str, value: object) -> None:
    """A value of the wrong Python type is reported once, without further checks."""
    answers = {"present": "yes", "uses": ["a"], "staff": 1, question_id: value}
    problems = validate(survey, answers)  # type: ignore[arg-type]
    assert codes(problems) == [("wrong_type", question_id)]


def test_wrong_type_message_for_integers(survey: Questionnaire) -> None:
    """An integer question explains it wants a whole number."""
    problems = validate(survey, {"present": "yes", "uses": ["a"], "staff": 2.5})
    assert problems[0].message_en == (
        "Question 'staff': answer 2.5 has the wrong type; expected a whole number."
    )
    assert problems[0].message_fr.endswith("attendu : un nombre entier.")


def test_integral_floats_are_whole_numbers(survey: Questionnaire) -> None:
    """12.0 is accepted for an integer question (JSON often carries it so)."""
    assert validate(survey, {"present": "yes", "uses": ["a"], "staff": 12.0}) == ()


def test_constraint_failed_uses_the_custom_message(survey: Questionnaire) -> None:
    """A failed constraint reports the question's constraint message in each language."""
    problems = validate(survey, {"present": "yes", "uses": ["none", "a"], "staff": 4})
    assert codes(problems) == [("constraint_failed", "uses")]
    assert problems[0].message_fr == (
        'Question « uses » : la réponse ["none", "a"] n\'est pas acceptée (« Aucun » est exclusif).'
    )
    assert problems[0].message_en.endswith("is not accepted ('None' is exclusive).")


def test_constraint_failed_without_message_shows_the_expression(survey: Questionnaire) -> None:
    """Without a custom message the expression itself is shown; it may read earlier answers."""
    problems = validate(survey, {"present": "yes", "uses": ["a"], "staff": 4, "share": 5})
    assert codes(problems) == [("constraint_failed", "share")]
    assert "constraint '. <= ${staff}'" in problems[0].message_en


def test_every_problem_at_once_in_questionnaire_order(survey: Questionnaire) -> None:
    """All problems come together, in questionnaire order, unknown questions last."""
    answers = {"zz": 1, "note": 3, "staff": -1, "level": "l9", "uses": ["q"], "present": "yes"}
    assert codes(validate(survey, answers)) == [
        ("unknown_choice", "uses"),
        ("unknown_choice", "level"),
        ("out_of_bounds", "staff"),
        ("wrong_type", "note"),
        ("unknown_question", "zz"),
    ]


def test_is_relevant_combines_section_and_question_conditions(survey: Questionnaire) -> None:
    """A question is asked only if its section's and its own conditions hold."""
    assert is_relevant(survey, "present", {})
    assert not is_relevant(survey, "uses", {})
    assert is_relevant(survey, "uses", {"present": "yes"})
    assert not is_relevant(survey, "note", {"present": "no"})
    assert is_relevant(survey, "note", {"present": "yes"})
    with pytest.raises(KeyError):
        is_relevant(survey, "nope", {})


def test_skipped_answers_count_as_empty_downstream() -> None:
    """A chain of conditions ignores the (invalid) answer to a skipped question, as ODK does."""
    yes_no = QuestionType.YES_NO
    q = Questionnaire(
        "chain",
        "1",
        "C",
        "C",
        (
            Section(
                "s",
                "S",
                "S",
                (
                    Question("a", yes_no, "A", "A"),
                    Question("b", yes_no, "B", "B", relevant="${a} = 'yes'"),
                    Question("c", yes_no, "C", "C", relevant="${b} = 'yes'"),
                ),
            ),
        ),
    )
    assert relevance(q, {"a": "no", "b": "yes"}) == {"a": True, "b": False, "c": False}
    assert relevance(q, {"a": "yes", "b": "yes"}) == {"a": True, "b": True, "c": True}


def test_numpy_and_fraction_numbers_are_numbers(survey: Questionnaire) -> None:
    """Numbers from numpy or fractions validate like Python numbers (data frames hand them over)."""
    from fractions import Fraction

    import numpy as np

    base: dict[str, object] = {"present": "yes", "uses": ["a"]}
    assert validate(survey, {**base, "staff": np.int64(12), "share": np.float64(2.5)}) == ()  # type: ignore[dict-item]
    assert validate(survey, {**base, "staff": Fraction(12, 1)}) == ()  # type: ignore[dict-item]
    problems = validate(survey, {**base, "staff": np.int64(400)})  # type: ignore[dict-item]
    assert codes(problems) == [("out_of_bounds", "staff")]
    assert codes(validate(survey, {**base, "staff": np.bool_(True)})) == [("wrong_type", "staff")]  # type: ignore[dict-item]


def test_skip_logic_evaluated_once_per_answer_set_and_copied_out() -> None:
    """The cached skip logic gives each caller its own dict and follows changed answers."""
    from barometre.questionnaire import load_builtin, relevance

    q = load_builtin("bpi2018")
    first = relevance(q, {"website": "vitrine"})
    first["website"] = not first["website"]  # a caller changing its copy
    again = relevance(q, {"website": "vitrine"})
    assert again != first
    assert again == relevance(q, {"website": "vitrine"})
    answers = {"website": "vitrine"}
    before = relevance(q, answers)
    answers["website"] = "aucun"  # the same dict, other answers: evaluated anew
    assert relevance(q, answers) == relevance(q, {"website": "aucun"})
    assert before == again
