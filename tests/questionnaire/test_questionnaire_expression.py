"""The XLSForm expression language: parsing, errors with positions, XPath evaluation rules."""

from __future__ import annotations

import math

import pytest

from barometre.questionnaire import ExpressionError
from barometre.questionnaire._expression import (
    BoolOp,
    Call,
    Compare,
    Current,
    Literal,
    Ref,
    Value,
    evaluate,
    parse,
    references,
    to_number,
    uses_current,
)


def run(text: str, values: dict[str, Value] | None = None, current: Value = "") -> Value:
    env = values or {}
    return evaluate(parse(text), lambda name: env.get(name, ""), current)


def test_parse_builds_a_tree_with_and_binding_tighter_than_or() -> None:
    """`a or b and c` parses as `a or (b and c)`."""
    tree = parse("${a} = 'x' or ${b} = 'y' and ${c} != 'z'")
    assert tree == BoolOp(
        "or",
        Compare("=", Ref("a"), Literal("x")),
        BoolOp("and", Compare("=", Ref("b"), Literal("y")), Compare("!=", Ref("c"), Literal("z"))),
    )


def test_parse_functions_current_and_numbers() -> None:
    """Functions, `.` and numbers (including negative and decimal) parse to their nodes."""
    assert parse("not(selected(., 'a'))") == Call(
        "not", (Call("selected", (Current(), Literal("a"))),)
    )
    assert parse("count-selected(${m}) >= -1.5") == Compare(
        ">=", Call("count-selected", (Ref("m"),)), Literal(-1.5)
    )
    assert parse('"double"') == Literal("double")
    assert parse("(.5)") == Literal(0.5)
    assert parse("true()") == Call("true", ())


def test_references_and_current_are_collected() -> None:
    """references() lists ${...} names; uses_current() spots `.`."""
    tree = parse("${a} = 'x' and (selected(${b}, 'y') or . > 3)")
    assert references(tree) == {"a", "b"}
    assert uses_current(tree)
    assert not uses_current(parse("${a} = 'x'"))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty expression"),
        ("${a} = ", "unexpected end"),
        ("${a} == 'x'", "unexpected '='"),
        ("${a} = 'x' ${b}", "unexpected 'b'"),
        ("${a + 1", "malformed question reference"),
        ("${a} | ${b}", "operator '|' is not supported"),
        ("pulldata('f', 'a', 'b', 'c')", "unsupported function pulldata()"),
        ("${a} = \u2018x\u2019", "typographic quote"),
        ("selected(${a})", "takes 2 argument(s), got 1"),
        ("yes = 'x'", "refer to a question as ${yes}"),
        ("1 < ${a} < 3", "chained comparisons"),
        ("(${a} = 'x'", "expected ')'"),
        ("${a} = 'x' # y", "unexpected character '#'"),
        ("'unterminated", "unexpected character"),
        ("and ${a}", "needs an expression on its left"),
    ],
)
def test_bad_expressions_raise_with_a_reason(text: str, fragment: str) -> None:
    """Each malformed expression raises ExpressionError explaining what is wrong."""
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert fragment in str(caught.value)


def test_error_position_points_at_the_fault() -> None:
    """The error carries the 0-based position of the offending token."""
    with pytest.raises(ExpressionError) as caught:
        parse("${a} = 'x' and foo(1)")
    assert caught.value.position == 15
    assert "at character 16" in str(caught.value)


def test_string_equality_and_missing_answers() -> None:
    """`=` compares codes; an unanswered question is the empty string."""
    assert run("${a} = 'x'", {"a": "x"}) is True
    assert run("${a} = 'x'", {}) is False
    assert run("${a} != 'x'", {}) is True
    assert run("${a} = ''", {}) is True


def test_numeric_comparisons_follow_xpath() -> None:
    """Numbers compare numerically; an empty answer is NaN so `<`/`>` are false, `!=` true."""
    assert run("${n} >= 10", {"n": 10.0}) is True
    assert run("${n} < 10", {"n": "9"}) is True
    assert run("${n} > 1", {}) is False
    assert run("${n} < 1", {}) is False
    assert run("${n} = 0", {}) is False
    assert run("${n} != 0", {}) is True
    assert run("'10' = 10") is True
    assert math.isnan(to_number("abc"))


def test_selected_and_count_selected_on_space_separated_codes() -> None:
    """selected() tests membership; count-selected() counts codes."""
    values: dict[str, Value] = {"m": "a b c"}
    assert run("selected(${m}, 'b')", values) is True
    assert run("selected(${m}, 'z')", values) is False
    assert run("count-selected(${m}) = 3", values) is True
    assert run("count-selected(${m})", {}) == 0.0


def test_current_value_in_constraints() -> None:
    """`.` is the answer being checked."""
    assert run(". >= 0 and . <= 100", current=50.0) is True
    assert run(". >= 0 and . <= 100", current=150.0) is False
    assert run("not(selected(., 'none') and count-selected(.) > 1)", current="none a") is False


def test_boolean_functions_and_conversions() -> None:
    """true(), false(), not() and boolean conversion of strings and numbers."""
    assert run("true() and not(false())") is True
    assert run("${a} or ${b}", {"a": "", "b": "x"}) is True
    assert run("${a} and 1", {"a": "x"}) is True
    assert run("0 or ''") is False
    assert run("true() = 'x'") is True  # a non-empty string is true
