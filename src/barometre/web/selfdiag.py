"""The public, anonymous self-diagnostic: about twelve questions, then the same diagnostic page.

Nothing is stored: the validated answers travel in a signed, URL-safe result address, so the
result page and its PDF can be opened (and bookmarked) without any server-side state.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer

from barometre.diagnostic import Diagnostic, diagnose
from barometre.questionnaire import relevance, validate
from barometre.web.context import CheckedForm, Web, language, web
from barometre.web.forms import read_answers
from barometre.web.i18n import translate

router = APIRouter(include_in_schema=False)


def _signer(app: Web) -> URLSafeSerializer:
    return URLSafeSerializer(app.settings.secret_key, salt="barometre.self-diagnostic")


def _form(
    request: Request, answers: dict[str, Any], problems: tuple[Any, ...] = (), status: int = 200
) -> Response:
    app = web(request)
    questionnaire = app.data.self_diagnostic
    asked = relevance(questionnaire, answers)
    return app.render(
        request,
        "selfdiag.html",
        status,
        questions=questionnaire.questions,
        questions_by_id={q.id: q for q in questionnaire.questions},
        answers=answers,
        asked=[q for q, on in asked.items() if on],
        problems=problems,
        errors={p.question_id: p.message(language(request)) for p in problems},
    )


@router.get("/diagnostic")
async def self_diagnostic_form(request: Request) -> Response:
    """The short public form."""
    return _form(request, {})


@router.post("/diagnostic")
async def self_diagnostic_submit(request: Request, form: CheckedForm) -> Response:
    """Validate the short form; on success, go to the signed result address."""
    app = web(request)
    questionnaire = app.data.self_diagnostic
    given = read_answers(form, questionnaire.questions)
    answers = {q: v for q, v in given.items() if v is not None}
    asked = relevance(questionnaire, answers)
    answers = {q: v for q, v in answers.items() if asked.get(q, True)}
    problems = validate(questionnaire, answers)
    if problems:
        return _form(request, answers, problems, 422)
    token = _signer(app).dumps(answers)
    return RedirectResponse(f"/diagnostic/resultat?d={token}", status_code=303)


@router.post("/diagnostic/relevance")
async def self_diagnostic_relevance(request: Request, form: CheckedForm) -> Response:
    """Which questions of the short form the answers so far make relevant."""
    app = web(request)
    questionnaire = app.data.self_diagnostic
    answers = {
        q: v for q, v in read_answers(form, questionnaire.questions).items() if v is not None
    }
    return JSONResponse({"relevant": relevance(questionnaire, answers)})


def _result(request: Request) -> Diagnostic | None:
    app = web(request)
    try:
        answers = _signer(app).loads(request.query_params.get("d", ""))
    except BadSignature:
        return None
    if not isinstance(answers, dict):
        return None
    questionnaire = app.data.self_diagnostic
    if validate(questionnaire, answers):
        return None
    return diagnose(answers, app.data.benchmark(), asked=questionnaire.question_ids)


@router.get("/diagnostic/resultat")
async def self_diagnostic_result(request: Request) -> Response:
    """The diagnostic of a self-diagnostic form."""
    app = web(request)
    diagnostic = _result(request)
    if diagnostic is None:
        return RedirectResponse("/diagnostic", status_code=303)
    lang = language(request)
    return app.render(
        request,
        "diagnostic.html",
        heading=translate("diag_title", lang),
        intro=None,
        diagnostic=diagnostic,
        pdf_url=f"/diagnostic/diagnostic.pdf?d={request.query_params.get('d', '')}&lang={lang}",
    )


@router.get("/diagnostic/diagnostic.pdf")
def self_diagnostic_pdf(request: Request) -> Response:
    """The self-diagnostic as a printable PDF."""
    from barometre.web.pdf import diagnostic_pdf

    diagnostic = _result(request)
    if diagnostic is None:
        return RedirectResponse("/diagnostic", status_code=303)
    return diagnostic_pdf(web(request), language(request), diagnostic)
