"""The invited respondent's way through: code or link, pages by section, thank-you diagnostic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from barometre.campaign.codes import InvalidShortCode, normalise_short_code
from barometre.diagnostic import diagnose
from barometre.questionnaire import (
    Problem,
    ProblemCode,
    Questionnaire,
    Section,
    relevance,
    validate,
)
from barometre.store import Invitation, ResponseInvalid, ResponseLocked, WaveStatusError
from barometre.web.context import (
    CASE_KEY,
    CheckedForm,
    RespondentCase,
    UnsubscribeForm,
    Web,
    client_address,
    language,
    web,
)
from barometre.web.forms import merge, read_answers
from barometre.web.i18n import translate

# Respondent pages are `async def` although they call the (synchronous) store: each request
# is a few milliseconds of CPU and SQLite work, and running them on the event loop keeps one
# writer per worker process (no lock contention, no thread hops). The slow PDF routes stay
# plain `def`, which FastAPI runs in its thread pool.
router = APIRouter(include_in_schema=False)
# Failed codes and links are counted per client address, in the database (every process).
CODE_BY_CLIENT = "code-ip"
# AAPOR refusal, the code the campaign records for an opt-out (barometre.campaign.storage).
OPT_OUT_CODE = "2.111"


def client_key(request: Request) -> str:
    """Who is knocking, for limits (see `context.client_address`: proxies only if named)."""
    return client_address(request)


def _slowed_down(request: Request, app: Web, who: str) -> float:
    return app.store.attempt_wait(CODE_BY_CLIENT, who)


def _failed(app: Web, who: str) -> None:
    app.store.attempt_failed(CODE_BY_CLIENT, who, app.code_policy)


def _wait_answer(request: Request, app: Web, wait: float, template_code: str | None) -> Response:
    seconds = max(1, round(wait))
    text = translate("slow_down", language(request), n=seconds)
    headers = {"retry-after": str(seconds)}
    if template_code is None:
        heading = translate("site_title", language(request))
        page = app.render(request, "message.html", 429, heading=heading, text=text)
    else:
        page = app.render(request, "home.html", 429, error=text, code=template_code)
    page.headers.update(headers)
    return page


def _start(request: Request, invitation: Invitation) -> Response:
    # The token or code leaves the address bar: the session cookie carries the case from now on.
    request.session[CASE_KEY] = [invitation.wave_id, invitation.case_id]
    return RedirectResponse("/q", status_code=303)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    """The entry page: type the letter's code, or take the public self-diagnostic."""
    return web(request).render(request, "home.html", error=None, code=None)


@router.post("/code", response_class=HTMLResponse)
async def enter_code(request: Request, form: CheckedForm) -> Response:
    """Check a typed code (typos by its check character), then start or resume."""
    app = web(request)
    lang = language(request)
    typed = str(form.get("code") or "")[:64]
    who = client_key(request)
    if wait := _slowed_down(request, app, who):
        return _wait_answer(request, app, wait, typed)
    try:
        normalise_short_code(typed)
    except InvalidShortCode as error:
        _failed(app, who)
        key = "code_typo" if "check character" in error.reason else "code_malformed"
        return app.render(request, "home.html", 422, error=translate(key, lang), code=typed)
    invitation = app.store.find_invitation_by_short_code(typed)
    if invitation is None:
        _failed(app, who)
        return app.render(
            request, "home.html", 422, error=translate("code_unknown", lang), code=typed
        )
    response = app.store.response(invitation.wave_id, invitation.case_id)
    if response is not None and response.status == "complete":
        return app.render(request, "home.html", 422, error=translate("code_used", lang), code=typed)
    return _start(request, invitation)


@router.get("/r/{token}")
async def personal_link(request: Request, token: str) -> Response:
    """A personal link from an e-mail or a letter's QR code."""
    app = web(request)
    who = client_key(request)
    if wait := _slowed_down(request, app, who):
        return _wait_answer(request, app, wait, None)
    invitation = app.store.find_invitation_by_token(token)
    if invitation is None:
        _failed(app, who)
        return app.message(request, "site_title", "link_unknown", 404)
    response = app.store.response(invitation.wave_id, invitation.case_id)
    if response is not None and response.status == "complete":
        request.session[CASE_KEY] = [invitation.wave_id, invitation.case_id]
        return RedirectResponse("/merci", status_code=303)
    return _start(request, invitation)


# --- the questionnaire, one section per page -------------------------------------------------


def pages(questionnaire: Questionnaire, asked: Mapping[str, bool]) -> list[Section]:
    """The sections with a question to ask, given the relevance of every question."""
    return [s for s in questionnaire.sections if any(asked[q.id] for q in s.questions)]


def _page_response(
    request: Request,
    app: Web,
    questionnaire: Questionnaire,
    section: Section,
    answers: Mapping[str, Any],
    problems: tuple[Problem, ...] = (),
    status_code: int = 200,
    notice: str | None = None,
) -> Response:
    asked = relevance(questionnaire, answers)
    visible = pages(questionnaire, asked)
    ids = [s.id for s in visible]
    number = ids.index(section.id) + 1 if section.id in ids else 1
    errors = {p.question_id: p.message(language(request)) for p in problems}
    return app.render(
        request,
        "page.html",
        status_code,
        questionnaire=questionnaire,
        section=section,
        answers=answers,
        asked=[q.id for q in section.questions if asked[q.id]],
        problems=problems,
        errors=errors,
        questions_by_id={q.id: q for q in section.questions},
        page=number,
        page_count=len(visible),
        is_first=number == 1,
        is_last=number == len(visible),
        notice=notice,
    )


@router.get("/q")
async def resume(request: Request, case: RespondentCase) -> Response:
    """Resume where the respondent left off (first page when starting)."""
    app = web(request)
    response = app.store.response(*case)
    if response is not None and response.status == "complete":
        return RedirectResponse("/merci", status_code=303)
    questionnaire = app.data.questionnaire(case[0])
    answers = response.answers if response else {}
    visible = [s.id for s in pages(questionnaire, relevance(questionnaire, answers))]
    last = response.last_page if response else None
    target = last if last in visible else visible[0]
    return RedirectResponse(f"/q/{target}", status_code=303)


@router.get("/q/{section_id}")
async def show_page(request: Request, section_id: str, case: RespondentCase) -> Response:
    """One page of the questionnaire, with the answers saved so far."""
    app = web(request)
    response = app.store.response(*case)
    if response is not None and response.status == "complete":
        return RedirectResponse("/merci", status_code=303)
    questionnaire = app.data.questionnaire(case[0])
    section = _section(questionnaire, section_id)
    if section is None:
        return app.message(request, "site_title", "not_found", 404)
    return _page_response(
        request, app, questionnaire, section, response.answers if response else {}
    )


def _section(questionnaire: Questionnaire, section_id: str) -> Section | None:
    return next((s for s in questionnaire.sections if s.id == section_id), None)


@router.post("/q/{section_id}")
async def save_page(
    request: Request, section_id: str, case: RespondentCase, form: CheckedForm
) -> Response:
    """Save one page (validated on the server), then go on, back, or submit at the end."""
    app = web(request)
    questionnaire = app.data.questionnaire(case[0])
    section = _section(questionnaire, section_id)
    if section is None:
        return app.message(request, "site_title", "not_found", 404)
    wave_id, case_id = case
    given = read_answers(form, section.questions)
    asked_before = set(str(form.get("asked") or "").split())
    going_back = form.get("nav") == "back"
    # Save first, check after: the page is kept even when it still lacks an answer, and the
    # common case costs one write transaction.
    try:
        result = app.store.save_response(wave_id, case_id, given, "partial", "web", page=section.id)
    except ResponseLocked:
        return RedirectResponse("/merci", status_code=303)
    except WaveStatusError:
        return app.message(request, "site_title", "wave_closed", 409)
    except ResponseInvalid as invalid:
        problems = invalid.problems
        skipped = {p.question_id for p in problems if p.code == ProblemCode.NOT_RELEVANT}
        if skipped and len(skipped) == len(problems):
            # Answers to questions the skip logic skips (typed without JavaScript) are dropped.
            given = {q: (None if q in skipped else v) for q, v in given.items()}
            try:
                result = app.store.save_response(
                    wave_id, case_id, given, "partial", "web", page=section.id
                )
                problems = ()
            except ResponseInvalid as again:
                problems = again.problems
        if problems:
            stored = app.store.response(wave_id, case_id)
            merged = merge(stored.answers if stored else {}, given)
            return _page_response(request, app, questionnaire, section, merged, problems, 422)
    answers = result.answers
    asked = relevance(questionnaire, answers)
    stale = {q: None for q in answers if not asked.get(q, True)}
    if stale:
        # An earlier answer changed so that later ones no longer apply: remove them.
        answers = app.store.save_response(wave_id, case_id, stale, "partial", "web").answers
        asked = relevance(questionnaire, answers)
    if not going_back and any(
        q.required and asked[q.id] and q.id not in answers for q in section.questions
    ):
        page_ids = {q.id for q in section.questions}
        problems = tuple(p for p in validate(questionnaire, answers) if p.question_id in page_ids)
        return _page_response(request, app, questionnaire, section, answers, problems, 422)
    appeared = [q.id for q in section.questions if asked[q.id] and q.id not in asked_before]
    if appeared and asked_before:
        notice = translate("new_questions", language(request))
        return _page_response(request, app, questionnaire, section, answers, notice=notice)
    visible = [s.id for s in pages(questionnaire, asked)]
    position = visible.index(section.id) if section.id in visible else 0
    if going_back:
        return RedirectResponse(f"/q/{visible[max(position - 1, 0)]}", status_code=303)
    if position + 1 < len(visible):
        return RedirectResponse(f"/q/{visible[position + 1]}", status_code=303)
    return _submit(request, app, questionnaire, wave_id, case_id, answers)


def _submit(
    request: Request,
    app: Web,
    questionnaire: Questionnaire,
    wave_id: int,
    case_id: str,
    answers: Mapping[str, Any],
) -> Response:
    """The final submission: idempotent, then locked."""
    try:
        app.store.save_response(wave_id, case_id, {}, "complete", "web")
    except ResponseLocked:
        pass  # already submitted (double click, retry, another tab): nothing lost, nothing doubled
    except ResponseInvalid as invalid:
        # A required answer is missing on an earlier page: show that page with its errors.
        first = invalid.problems[0].question_id
        section = questionnaire.section_of(first) if first in questionnaire else None
        if section is None:
            raise
        problems = tuple(
            p for p in invalid.problems if p.question_id in {q.id for q in section.questions}
        )
        return _page_response(request, app, questionnaire, section, answers, problems, 422)
    return RedirectResponse("/merci", status_code=303)


@router.get("/merci")
async def thanks(request: Request, case: RespondentCase) -> Response:
    """The thank-you page, with the respondent's own diagnostic."""
    app = web(request)
    response = app.store.response(*case)
    if response is None or response.status != "complete":
        return RedirectResponse("/q", status_code=303)
    profile = app.data.profile(*case)
    diagnostic = diagnose(
        response.answers, app.data.benchmark(), size_band=profile.size_band, sector=profile.sector
    )
    lang = language(request)
    return app.render(
        request,
        "diagnostic.html",
        heading=translate("thanks_title", lang),
        intro=translate("thanks_text", lang),
        diagnostic=diagnostic,
        pdf_url="/merci/diagnostic.pdf",
    )


@router.get("/merci/diagnostic.pdf")
def thanks_pdf(request: Request, case: RespondentCase) -> Response:
    """The respondent's diagnostic as a printable PDF."""
    from barometre.web.pdf import diagnostic_pdf

    app = web(request)
    response = app.store.response(*case)
    if response is None or response.status != "complete":
        return RedirectResponse("/", status_code=303)
    profile = app.data.profile(*case)
    diagnostic = diagnose(
        response.answers, app.data.benchmark(), size_band=profile.size_band, sector=profile.sector
    )
    return diagnostic_pdf(app, language(request), diagnostic)


@router.post("/q/{section_id}/relevance")
async def page_relevance(
    request: Request, section_id: str, case: RespondentCase, form: CheckedForm
) -> Response:
    """Which questions the answers typed so far make relevant (for the browser's skip logic)."""
    app = web(request)
    questionnaire = app.data.questionnaire(case[0])
    section = _section(questionnaire, section_id)
    if section is None:
        return JSONResponse({"relevant": {}}, status_code=404)
    stored = app.store.response(*case)
    answers = merge(stored.answers if stored else {}, read_answers(form, section.questions))
    asked = relevance(questionnaire, answers)
    return JSONResponse({"relevant": {q.id: asked[q.id] for q in section.questions}})


# --- opting out of further invitations -------------------------------------------------------


@router.get("/opt-out/{token}")
def opt_out_form(request: Request, token: str) -> Response:
    """Ask for confirmation (a mail scanner fetching the link must not opt anyone out)."""
    app = web(request)
    if app.store.find_invitation_by_token(token) is None:
        return app.message(request, "site_title", "link_unknown", 404)
    return app.render(request, "opt_out.html", token=token, done=False)


@router.post("/opt-out/{token}")
async def opt_out(request: Request, token: str, form: UnsubscribeForm) -> Response:
    """Stop invitations and reminders for this company (form, or RFC 8058 one-click POST)."""
    app = web(request)
    invitation = app.store.find_invitation_by_token(token)
    if invitation is None:
        return app.message(request, "site_title", "link_unknown", 404)
    if invitation.opted_out_at is None:
        app.store.opt_out(invitation.wave_id, invitation.case_id)
        app.store.record_disposition(
            invitation.wave_id, invitation.case_id, OPT_OUT_CODE, "opted out", recorded_by="web"
        )
    return app.render(request, "opt_out.html", token=token, done=True)
