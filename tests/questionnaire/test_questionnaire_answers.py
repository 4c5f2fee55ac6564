"""The answer set's one home: presence on the networks and the wide-row conversion."""

from __future__ import annotations

import pytest

from barometre.questionnaire import (
    NETWORK_QUESTIONS,
    answers_from_wide_row,
    choice_column,
    is_present,
    load_builtin,
    present_code,
    split_choice_column,
    wide_row,
)

BPI = load_builtin("bpi2018")
ALL_NO = dict.fromkeys(NETWORK_QUESTIONS, "no")


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"net_facebook": "no"}, None),  # one "no", four blanks: not known
        ({}, None),  # all blanks
        (dict.fromkeys(NETWORK_QUESTIONS, ""), None),  # blank text is no answer
        ({"net_linkedin": "yes"}, True),  # one "yes" decides, whatever the blanks
        ({**ALL_NO, "net_instagram": "yes"}, True),
        (ALL_NO, False),  # every network answered, none "yes"
    ],
)
def test_is_present_on_the_blank_cases(answers: dict[str, str], expected: bool | None) -> None:
    """Present as soon as one "yes"; absent only when all five are answered "no"."""
    assert is_present(answers) is expected


def test_present_code_and_asked_networks() -> None:
    """The dataset's code follows the same rule, over the networks the form asked."""
    assert present_code({"net_facebook": "no"}) is None
    assert present_code({"net_facebook": "no"}, ["net_facebook"]) == "no"
    assert present_code({"net_facebook": "yes"}, ["net_facebook"]) == "yes"
    assert present_code({"net_facebook": "yes"}, []) is None


def test_choice_columns_round_trip() -> None:
    """A multiple-choice column name splits back into its question and code."""
    assert choice_column("managed_by", "leader") == "managed_by__leader"
    assert split_choice_column("managed_by__leader") == ("managed_by", "leader")
    assert split_choice_column("activity") is None


def test_wide_row_and_back() -> None:
    """An answer set goes to a wide row and back unchanged; skipped questions stay out."""
    answers = {
        "activity": "active",
        "net_facebook": "yes",
        "managed_by": ["leader", "agency"],
        "actions": [],
        "headcount": 12,
    }
    row = wide_row(BPI.questions, answers)
    assert row["managed_by__leader"] == 1 and row["managed_by__nobody"] == 0
    assert row["objectives__visibility"] is None  # skipped: null, not 0
    assert row["actions__photos"] == 0  # answered with no code chosen
    assert row["headcount"] == 12.0 and row["tempo"] is None
    back = answers_from_wide_row(BPI, row)
    assert back == answers
    assert isinstance(back["headcount"], int)


def test_wide_row_back_with_partial_flag_columns() -> None:
    """Flag columns the row lacks are ignored; other columns are not answers."""
    answers = answers_from_wide_row(
        BPI, {"activity": "active", "managed_by__leader": 1, "managed_by__agency": 0, "x": 1}
    )
    assert answers == {"activity": "active", "managed_by": ["leader"]}
