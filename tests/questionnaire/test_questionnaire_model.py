"""The questionnaire model: construction checks, lookups, subsets and the data form."""

from __future__ import annotations

import pytest

from barometre.questionnaire import (
    YES_NO_CHOICES,
    Choice,
    Question,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    Section,
    UnknownQuestionError,
    questionnaire_from_dict,
    questionnaire_to_dict,
)

AB = (Choice("a", "A fr", "A en"), Choice("b", "B fr", "B en"))


def single(qid: str, **kwargs: object) -> Question:
    return Question(qid, QuestionType.SINGLE, f"{qid} fr", f"{qid} en", AB, **kwargs)  # type: ignore[arg-type]


def form(*questions: Question, relevant: str | None = None) -> Questionnaire:
    return Questionnaire("t", "1", "Titre", "Title", (Section("s", "S", "S", questions, relevant),))


def test_yes_no_gets_standard_choices() -> None:
    """A yes/no question without choices gets the codes yes/no with FR/EN labels."""
    q = Question("x", QuestionType.YES_NO, "X ?", "X?")
    assert q.choices == YES_NO_CHOICES
    assert q.codes == ("yes", "no")
    assert q == Question("x", QuestionType.YES_NO, "X ?", "X?", YES_NO_CHOICES)


def test_equality_is_by_value() -> None:
    """Two questionnaires built alike are equal and hash alike."""
    assert form(single("a")) == form(single("a"))
    assert hash(form(single("a"))) == hash(form(single("a")))
    assert form(single("a")) != form(single("a", required=True))


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Question("1x", QuestionType.TEXT, "a", "b"), "question id '1x'"),
        (lambda: Question("x", QuestionType.TEXT, "", "b"), "label_fr must be a non-empty text"),
        (lambda: Question("x", QuestionType.TEXT, "a", "b", AB), "takes no choices"),
        (lambda: Question("x", QuestionType.SINGLE, "a", "b"), "at least one choice"),
        (lambda: Question("x", QuestionType.SCALE4, "a", "b", AB), "exactly 4 choices"),
        (lambda: Question("x", QuestionType.YES_NO, "a", "b", AB), "codes 'yes' and 'no'"),
        (lambda: Question("x", QuestionType.SINGLE, "a", "b", (AB[0], AB[0])), "appears twice"),
        (
            lambda: Question("x", QuestionType.SINGLE, "a", "b", (Choice("a b", "x", "y"), AB[1])),
            "without spaces",
        ),
        (lambda: Question("x", QuestionType.TEXT, "a", "b", minimum=1), "only apply to number"),
        (
            lambda: Question("x", QuestionType.NUMBER, "a", "b", minimum=5, maximum=1),
            "above maximum",
        ),
        (lambda: Question("x", QuestionType.NUMBER, "a", "b", minimum=float("nan")), "finite"),
        (lambda: single("x", relevant="${a} =="), "relevant '${a} ==' does not parse"),
        (lambda: single("x", relevant=". = 'a'"), "no meaning in relevant"),
        (lambda: single("x", constraint_message_fr="m"), "both French and English"),
        (
            lambda: single("x", constraint_message_fr="m", constraint_message_en="m"),
            "needs a constraint",
        ),
    ],
)
def test_bad_questions_are_refused(build: object, fragment: str) -> None:
    """Each malformed question raises QuestionnaireError naming the fault."""
    with pytest.raises(QuestionnaireError) as caught:
        build()  # type: ignore[operator]
    assert fragment in str(caught.value)


def test_bad_expression_error_names_question_and_field() -> None:
    """A skip-logic parse error carries the question id and field."""
    with pytest.raises(QuestionnaireError) as caught:
        single("later", relevant="selected(${a})")
    assert caught.value.question_id == "later"
    assert caught.value.field == "relevant"
    assert "question 'later'" in str(caught.value)


@pytest.mark.parametrize(
    ("questions", "fragment"),
    [
        (
            (single("a", relevant="${b} = 'a'"), single("b")),
            "${b}, which is not an earlier question",
        ),
        ((single("a", relevant="${a} = 'a'"),), "${a}, which is not an earlier question"),
        ((single("a"), single("b", relevant="${a} = 'zz'")), "'zz', which is not one of its codes"),
        ((single("a"), single("b", relevant="selected(${a}, 'q')")), "'q', which is not one"),
        ((single("a", constraint=". != 'nope'"),), "'nope', which is not one of its codes"),
        ((single("a", constraint="${b} = 'a'"), single("b")), "not an earlier question"),
        ((single("a"), single("a")), "question id 'a' appears twice"),
    ],
)
def test_bad_references_are_refused(questions: tuple[Question, ...], fragment: str) -> None:
    """Skip logic may only read earlier questions and their real codes; ids are unique."""
    with pytest.raises(QuestionnaireError) as caught:
        form(*questions)
    assert fragment in str(caught.value)


def test_section_relevant_may_only_read_earlier_sections() -> None:
    """A section condition on one of its own questions is refused."""
    with pytest.raises(QuestionnaireError, match="not an earlier question"):
        form(single("a"), relevant="${a} = 'a'")


def test_constraint_may_read_its_own_question() -> None:
    """A constraint may name its own question as well as `.`."""
    q = form(single("a", constraint="${a} != 'b' and . != 'b'"))
    assert q.question("a").constraint_expr is not None


def test_lookups_and_labels() -> None:
    """question(), label(), choice_label(), section_of() and `in` work; unknown ids fail clearly."""
    q = form(single("a"), single("b"))
    assert q.question_ids == ("a", "b")
    assert "a" in q and "z" not in q
    assert q.label("a") == "a fr" and q.label("a", "en") == "a en"
    assert q.choice_label("b", "b", "en") == "B en"
    assert q.section_of("b").id == "s"
    with pytest.raises(UnknownQuestionError) as caught:
        q.question("z")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == "questionnaire 't' has no question 'z'"
    with pytest.raises(QuestionnaireError, match="no choice 'c'"):
        q.choice_label("a", "c")
    with pytest.raises(QuestionnaireError, match="unknown language 'de'"):
        q.label("a", "de")


def test_subset_keeps_order_and_refuses_dangling_skip_logic() -> None:
    """subset() keeps questionnaire order and drops empty sections; broken references fail."""
    q = Questionnaire(
        "t",
        "1",
        "T",
        "T",
        (
            Section("s1", "S1", "S1", (single("a"), single("b"))),
            Section("s2", "S2", "S2", (single("c", relevant="${a} = 'a'"),)),
        ),
    )
    sub = q.subset(["b", "a"], id="t-short")
    assert sub.question_ids == ("a", "b")
    assert [s.id for s in sub.sections] == ["s1"]
    assert sub.id == "t-short" and sub.version == "1"
    with pytest.raises(QuestionnaireError, match="not an earlier question"):
        q.subset(["c"])


def test_data_form_round_trip_and_strictness() -> None:
    """to_dict/from_dict are inverses; unknown keys and unquoted codes are refused with a place."""
    q = form(
        single("a", required=True, hint_fr="h", hint_en="h"),
        Question(
            "n", QuestionType.NUMBER, "N", "N", minimum=0, maximum=9.5, unit="kg", integer=False
        ),
        Question("y", QuestionType.YES_NO, "Y", "Y", relevant="${a} = 'b'"),
    )
    data = questionnaire_to_dict(q)
    assert questionnaire_from_dict(data) == q
    assert "choices" not in data["sections"][0]["questions"][2]  # standard yes/no is implied
    data["sections"][0]["questions"][0]["requried"] = True
    with pytest.raises(QuestionnaireError, match=r"questions\[0\] \(question 'a'\): unknown key"):
        questionnaire_from_dict(data)
    del data["sections"][0]["questions"][0]["requried"]
    data["sections"][0]["questions"][0]["choices"][0]["code"] = 11
    with pytest.raises(QuestionnaireError, match="code 11 must be a text"):
        questionnaire_from_dict(data)
    data["sections"][0]["questions"][0]["type"] = "dropdown"
    with pytest.raises(QuestionnaireError, match="unknown type 'dropdown'"):
        questionnaire_from_dict(data)
