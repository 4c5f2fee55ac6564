"""Validation problems as a respondent reads them: about the question on screen, never its id.

The questionnaire's own messages (`Problem.message`) name the question by its id, which suits
a CSV report or the API; on a page the message sits next to the question (or after its text in
the error summary), so it says only what is wrong, in the visitor's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from barometre.questionnaire import Problem, ProblemCode, Question, QuestionType


def _number(value: float, lang: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def _bounds(question: Question, lang: str) -> str:
    low, high = question.minimum, question.maximum
    if low is not None and high is not None:
        fr, en = (
            f"entre {_number(low, lang)} et {_number(high, lang)}",
            (f"between {_number(low, lang)} and {_number(high, lang)}"),
        )
    elif low is not None:
        fr, en = f"au moins {_number(low, lang)}", f"at least {_number(low, lang)}"
    elif high is not None:
        fr, en = f"au plus {_number(high, lang)}", f"at most {_number(high, lang)}"
    else:
        fr, en = "dans les bornes prévues", "within the expected range"
    return fr if lang == "fr" else en


def problem_text(problem: Problem, question: Question | None, lang: str) -> str:
    """What is wrong with the answer to `question`, in a sentence for the respondent."""
    fr = lang != "en"
    code = problem.code
    if code is ProblemCode.MISSING_REQUIRED:
        return "Une réponse est obligatoire." if fr else "An answer is required."
    if question is None or code is ProblemCode.UNKNOWN_QUESTION:
        return (
            "Une réponse ne correspond à aucune question de ce questionnaire."
            if fr
            else "An answer matches no question of this questionnaire."
        )
    if code is ProblemCode.OUT_OF_BOUNDS and question.type is QuestionType.TEXT:
        # A free text's only bound is its length; the store's message says it without an id.
        return problem.message_fr if fr else problem.message_en
    if code is ProblemCode.OUT_OF_BOUNDS:
        bounds = _bounds(question, lang)
        return f"La réponse doit être {bounds}." if fr else f"The answer must be {bounds}."
    if code is ProblemCode.WRONG_TYPE:
        if question.type is QuestionType.NUMBER:
            if question.integer:
                return "Saisissez un nombre entier." if fr else "Type a whole number."
            return "Saisissez un nombre." if fr else "Type a number."
        return "Cette réponse n'est pas valable." if fr else "This answer is not valid."
    if code is ProblemCode.CONSTRAINT_FAILED:
        custom = question.constraint_message_fr if fr else question.constraint_message_en
        if custom:
            return custom
        return "Cette réponse n'est pas acceptée." if fr else "This answer is not accepted."
    if code is ProblemCode.UNKNOWN_CHOICE:
        return (
            "Cette réponse ne fait pas partie des choix proposés."
            if fr
            else "This answer is not one of the choices offered."
        )
    return (
        "Cette question ne s'applique pas d'après vos réponses précédentes."
        if fr
        else "This question does not apply given your earlier answers."
    )


def problem_texts(
    problems: Iterable[Problem], questions: Mapping[str, Question], lang: str
) -> dict[str, str]:
    """The message to show by each question with a problem (the first problem of each)."""
    texts: dict[str, str] = {}
    for problem in problems:
        texts.setdefault(
            problem.question_id, problem_text(problem, questions.get(problem.question_id), lang)
        )
    return texts
