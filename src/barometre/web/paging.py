"""What one submitted page does to an answer set: pure, so that a page POST writes once.

`apply_page(questionnaire, stored, given)` merges a page's answers into those stored, drops
answers that the skip logic no longer asks (an earlier answer changed), checks the page, and
says where to go next; the web handler then makes one write with `PageResult.changes`.
`page_plan` counts the pages the respondent may still see, for a page count that does not
jump as answers reveal sections.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from barometre.questionnaire import (
    Problem,
    ProblemCode,
    Question,
    Questionnaire,
    QuestionType,
    Section,
    is_answered,
    relevance,
    validate,
)

_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class PageResult:
    """The outcome of one submitted page.

    `answers` is the pruned answer set to keep (invalid values left as they were stored);
    `shown` what the page shows back when it stays (invalid values as typed); `changes` the
    one write that turns `stored` into `answers` (None removes an answer); `next_page` the
    section to go to, the same section when it must be shown again, or None when the
    questionnaire is finished and can be sent.
    """

    answers: Mapping[str, Any]
    shown: Mapping[str, Any]
    changes: Mapping[str, Any]
    problems: tuple[Problem, ...]
    next_page: str | None
    new_questions: bool


def _on_screen(question: Question) -> bool:
    """Whether an asked question is shown on its page (a calculation never is)."""
    return question.type is not QuestionType.CALCULATE


def visible_pages(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[Section]:
    """The sections with a question to ask, given the answers so far."""
    asked = relevance(questionnaire, answers)
    # A section of calculations only is no page.
    return [
        s for s in questionnaire.sections if any(asked[q.id] and _on_screen(q) for q in s.questions)
    ]


def prune(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """`answers` without blanks, unknown questions, and answers the skip logic no longer asks.

    Repeated until nothing changes: dropping one answer can unask another.
    """
    pruned = {q: v for q, v in answers.items() if q in questionnaire and is_answered(v)}
    while True:
        asked = relevance(questionnaire, pruned)
        kept = {q: v for q, v in pruned.items() if asked[q]}
        if len(kept) == len(pruned):
            return kept
        pruned = kept


def apply_page(
    questionnaire: Questionnaire,
    stored: Mapping[str, Any],
    given: Mapping[str, Any],
    *,
    section_id: str,
    going_back: bool = False,
    asked_before: Collection[str] | None = None,
) -> PageResult:
    """Apply one page's answers (`given`, None for a blank) to the `stored` answer set.

    Going back never stops on a missing answer (what was typed is kept); going on stops on
    any problem of the page, and when the answers revealed questions on this very page that
    the respondent has not seen yet (`asked_before`: the questions the page showed).
    """
    merged = {**stored, **given}
    shown = prune(questionnaire, merged)
    section = next(s for s in questionnaire.sections if s.id == section_id)
    on_page = {q.id for q in section.questions}
    problems = tuple(
        p
        for p in validate(questionnaire, shown)
        if p.question_id in on_page and not (going_back and p.code is ProblemCode.MISSING_REQUIRED)
    )
    invalid = {p.question_id for p in problems if p.code is not ProblemCode.MISSING_REQUIRED}
    answers = {q: v for q, v in shown.items() if q not in invalid}
    answers.update({q: stored[q] for q in invalid if q in stored})
    answers = prune(questionnaire, answers)
    changes = {q: answers.get(q) for q in {*stored, *answers} if stored.get(q) != answers.get(q)}
    asked = relevance(questionnaire, shown)
    # The browser's skip logic (static/app.js) lists only the questions on screen, so an
    # asked calculation would always count as new there.
    appeared = bool(asked_before) and any(
        asked[q.id] and _on_screen(q) and q.id not in (asked_before or ())
        for q in section.questions
    )
    pages = [s.id for s in visible_pages(questionnaire, shown)]
    position = pages.index(section_id) if section_id in pages else 0
    if problems or (appeared and not going_back):
        next_page: str | None = section_id
    elif going_back:
        next_page = pages[max(position - 1, 0)]
    elif position + 1 < len(pages):
        next_page = pages[position + 1]
    else:
        next_page = None
    return PageResult(answers, shown, changes, problems, next_page, appeared and not going_back)


def first_unanswered_page(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> str:
    """Where a respondent resumes: the first page still missing a required answer.

    The last page when every required answer is there (the respondent then only has to send).
    """
    asked = relevance(questionnaire, answers)
    pages = visible_pages(questionnaire, answers)
    for section in pages:
        if any(
            q.required and asked[q.id] and not is_answered(answers.get(q.id))
            for q in section.questions
        ):
            return section.id
    return pages[-1].id


@dataclass(frozen=True)
class PagePlan:
    """The page number and page count shown to the respondent."""

    number: int
    count: int
    approximate: bool
    """Whether unanswered questions may still show or hide pages (the count says "about")."""


def _references(text: str | None) -> set[str]:
    return set(_REFERENCE.findall(text or ""))


def page_plan(
    questionnaire: Questionnaire, answers: Mapping[str, Any], section_id: str
) -> PagePlan:
    """Number and count of pages, counting the sections the skip logic may still show.

    A hidden section may still show when its conditions read a question not answered yet; it
    is counted, so that answering "yes" does not turn "page 2 of 7" into "page 3 of 8".
    """
    asked = relevance(questionnaire, answers)
    visible = {s.id for s in visible_pages(questionnaire, answers)}
    counted: list[str] = []
    approximate = False
    for section in questionnaire.sections:
        if section.id in visible:
            counted.append(section.id)
            continue
        readers = _references(section.relevant)
        for question in section.questions:
            readers |= _references(question.relevant)
        undecided = any(not is_answered(answers.get(q)) and asked.get(q, False) for q in readers)
        if undecided:
            counted.append(section.id)
            approximate = True
    number = counted.index(section_id) + 1 if section_id in counted else 1
    return PagePlan(number, len(counted), approximate)
