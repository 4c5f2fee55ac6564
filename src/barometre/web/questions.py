"""Template helpers for showing questions: piped labels and cascading choices, on the server.

Registered as Jinja globals; they read the page's ``questionnaire``, ``answers`` and
``lang`` from the template context, so a page that shows questions without a questionnaire
(none today) still renders the texts as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2

from barometre.questionnaire import Choice, Question, Questionnaire, pipe, visible_choices


def _page(ctx: jinja2.runtime.Context) -> tuple[Questionnaire | None, Mapping[str, Any], str]:
    questionnaire = ctx.get("questionnaire")
    answers = ctx.get("answers")
    lang = ctx.get("lang") or "fr"
    if not isinstance(questionnaire, Questionnaire):
        return None, {}, str(lang)
    return questionnaire, answers if isinstance(answers, Mapping) else {}, str(lang)


@jinja2.pass_context
def piped(ctx: jinja2.runtime.Context, text: str | None) -> str:
    """A label or hint with ``${name}`` replaced by the answer saved for ``name``."""
    if not text:
        return ""
    questionnaire, answers, lang = _page(ctx)
    if questionnaire is None:
        return text
    return pipe(text, questionnaire, answers, lang)


@jinja2.pass_context
def shown_choices(ctx: jinja2.runtime.Context, question: Question) -> tuple[Choice, ...]:
    """The choices to offer: a cascading select keeps those its choice_filter lets through,
    given the answers saved so far (the filtering question sits on an earlier page)."""
    questionnaire, answers, _ = _page(ctx)
    if questionnaire is None or question.id not in questionnaire:
        return question.offered_choices
    shown = visible_choices(questionnaire, question, answers)
    # Nothing to offer means the filtering answer is not saved yet (it is on this very
    # page): offer every choice rather than none; the server checks the pair on saving.
    return shown or question.offered_choices


def register(env: jinja2.Environment) -> None:
    """Make the helpers available to every template."""
    env.globals["piped"] = piped
    env.globals["shown_choices"] = shown_choices
