"""Reading one answer set the way the diagnostic needs it.

An answer set maps question ids (see docs/dev/vocabulary.md) to a choice code for single
choice, scale and yes/no questions, a sequence of codes for multiple-choice questions, a number
or a text. A question absent from the mapping (or mapped to None) was not answered or skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

AnswerValue = str | Sequence[str] | float | int | None
Answers = Mapping[str, AnswerValue]

NETWORKS: tuple[str, ...] = (
    "net_facebook",
    "net_linkedin",
    "net_twitter",
    "net_youtube",
    "net_instagram",
)
ACTIVE_LEVELS = frozenset({"active", "tres_active"})


def chosen(answers: Answers, question: str) -> frozenset[str]:
    """The codes chosen for `question`: one for a single choice, several for a multiple choice."""
    value = answers.get(question)
    if value is None or isinstance(value, int | float):
        return frozenset()
    if isinstance(value, str):
        return frozenset({value}) if value else frozenset()
    return frozenset(str(code) for code in value)


def code(answers: Answers, question: str) -> str | None:
    """The single code answered to `question`, or None."""
    value = answers.get(question)
    return value if isinstance(value, str) and value else None


def is_present(answers: Answers) -> bool:
    """True when the firm has an official account on at least one of the five networks."""
    return any(code(answers, q) == "yes" for q in NETWORKS)


def market(answers: Answers) -> str | None:
    """The firm's market, `b2b`, `b2c` or `both`, when answered."""
    return code(answers, "market")
