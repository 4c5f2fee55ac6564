"""Free text the store accepts: valid Unicode, and no longer than a page of text.

Checked in the store, so that every way in (web pages, paper entry, the API, imports) is held
to the same limits, and a refused answer is a validation problem naming its question.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from barometre.questionnaire import Problem, ProblemCode

# Longest text answer kept, in characters: a comment field's page of text, far above any
# real answer, far below what would bloat the store (a 50 MB comment was once accepted).
MAX_TEXT_CHARS = 5000


def shown(text: str) -> str:
    """`text` safe to show and to encode as UTF-8 (lone surrogates escaped)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def is_valid_unicode(text: str) -> bool:
    """Whether `text` encodes as UTF-8 (no lone surrogate such as a JSON "\\ud800")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def text_problems(answers: Mapping[str, object]) -> tuple[Problem, ...]:
    """A problem for each answer (or question id) that is not valid Unicode or is too long."""
    problems: list[Problem] = []
    for qid, value in answers.items():
        texts = list(_texts(value))
        if not is_valid_unicode(qid) or not all(is_valid_unicode(t) for t in texts):
            problems.append(
                Problem(
                    ProblemCode.WRONG_TYPE,
                    shown(qid),
                    "Ce texte contient des caractères invalides (Unicode incorrect).",
                    "This text contains invalid characters (broken Unicode).",
                )
            )
        elif any(len(t) > MAX_TEXT_CHARS for t in texts):
            limit = f"{MAX_TEXT_CHARS:,}".replace(",", "\u202f")
            problems.append(
                Problem(
                    ProblemCode.OUT_OF_BOUNDS,
                    qid,
                    f"Texte trop long\u00a0: {limit}\u00a0caractères au plus.",
                    f"Text too long: at most {MAX_TEXT_CHARS:,} characters.",
                )
            )
    return tuple(problems)
