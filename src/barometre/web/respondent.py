"""The invited respondent's way through: code or link, pages by section, thank-you diagnostic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from barometre.campaign.codes import InvalidShortCode, normalise_short_code
from barometre.diagnostic import diagnose
from barometre.questionnaire import Problem, Questionnaire, Section, relevance, validate
from barometre.store import Invitation, ResponseLocked, WaveStatusError
from barometre.web.app import Web, language, web
from barometre.web.forms import merge, read_answers
from barometre.web.i18n import translate
from barometre.web.messages import problem_texts
from barometre.web.paging import apply_page, first_unanswered_page, page_plan, visible_pages
from barometre.web.security import CSRF_FIELD, csrf_valid
from barometre.web.selfdiag import question_count

# Respondent pages are `async def` although they call the (synchronous) store: each request
# is a few milliseconds of CPU and SQLite work, and running them on the event loop keeps one
# writer per worker process (no lock contention, no thread hops). The slow PDF routes stay
# plain `def`, which FastAPI runs in its thread pool.
router = APIRouter(include_in_schema=False)
CASE_KEY = "case"
# AAPOR refusal, the code the campaign records for an opt-out (barometre.campaign.storage).
OPT_OUT_CODE = "2.111"


def client_key(request: Request) -> str:
    """Who is knocking, for rate limits (the peer address; a proxy must pass the real one)."""
    return request.client.host if request.client else "unknown"


def _start(request: Request, invitation: Invitation) -> Response:
    # The token or code leaves the address bar: the session cookie carries the case from now on.
    request.session[CASE_KEY] = [invitation.wave_id, invitation.case_id]
    return RedirectResponse("/q", status_code=303)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    """The entry page: type the letter's code, or take the public self-diagnostic."""
    return _home(request)


def _home(
    request: Request, status_code: int = 200, error: str | None = None, code: str | None = None
) -> Response:
    app = web(request)
    count = question_count(app.data.self_diagnostic, language(request))
    return app.render(
        request, "home.html", status_code, error=error, code=code, question_count=count
    )


@router.post("/code", response_class=HTMLResponse)
async def enter_code(request: Request) -> Response:
    """Check a typed code (typos by its check character), then start or resume."""
    app = web(request)
    form = await request.form()
    lang = language(request)
    typed = str(form.get("code") or "")
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        return _home(request, 403, translate("csrf_failed", lang), typed)
    who = client_key(request)
    if app.code_limiter.blocked(who):
        return _home(request, 429, translate("too_many_attempts", lang), typed)
    try:
        normalise_short_code(typed)
    except InvalidShortCode as error:
        app.code_limiter.hit(who)
        key = "code_typo" if "check character" in error.reason else "code_malformed"
        return _home(request, 422, translate(key, lang), typed)
    invitation = app.store.find_invitation_by_short_code(typed)
    if invitation is None:
        app.code_limiter.hit(who)
        return _home(request, 422, translate("code_unknown", lang), typed)
    response = app.store.response(invitation.wave_id, invitation.case_id)
    if response is not None and response.status == "complete":
        # Answers sent: the code leads back to the diagnostic, as the personal link does.
        request.session[CASE_KEY] = [invitation.wave_id, invitation.case_id]
        return RedirectResponse("/merci", status_code=303)
    return _start(request, invitation)


@router.get("/r/{token}")
async def personal_link(request: Request, token: str) -> Response:
    """A personal link from an e-mail or a letter's QR code."""
    app = web(request)
    who = client_key(request)
    if app.code_limiter.blocked(who):
        return app.message(request, "site_title", "too_many_attempts", 429)
    invitation = app.store.find_invitation_by_token(token)
    if invitation is None:
        app.code_limiter.hit(who)
        return app.message(request, "site_title", "link_unknown", 404)
    response = app.store.response(invitation.wave_id, invitation.case_id)
    if response is not None and response.status == "complete":
        request.session[CASE_KEY] = [invitation.wave_id, invitation.case_id]
        return RedirectResponse("/merci", status_code=303)
    return _start(request, invitation)


# --- the questionnaire, one section per page -------------------------------------------------


def _case(request: Request) -> tuple[int, str] | None:
    value = request.session.get(CASE_KEY)
    if isinstance(value, list) and len(value) == 2:
        return int(value[0]), str(value[1])
    return None


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
    plan = page_plan(questionnaire, answers, section.id)
    visible = [s.id for s in visible_pages(questionnaire, answers)]
    questions_by_id = {q.id: q for q in section.questions}
    return app.render(
        request,
        "page.html",
        status_code,
        questionnaire=questionnaire,
        section=section,
        answers=answers,
        asked=[q.id for q in section.questions if asked[q.id]],
        problems=problems,
        errors=problem_texts(problems, questions_by_id, language(request)),
        questions_by_id=questions_by_id,
        plan=plan,
        is_first=bool(visible) and visible[0] == section.id,
        is_last=bool(visible) and visible[-1] == section.id,
        notice=notice,
    )


@router.get("/q")
async def resume(request: Request) -> Response:
    """Resume at the first page still missing an answer (the first page when starting)."""
    app = web(request)
    case = _case(request)
    if case is None:
        return RedirectResponse("/", status_code=303)
    response = app.store.response(*case)
    if response is not None and response.status == "complete":
        return RedirectResponse("/merci", status_code=303)
    questionnaire = app.data.questionnaire(case[0])
    answers = response.answers if response else {}
    return RedirectResponse(f"/q/{first_unanswered_page(questionnaire, answers)}", status_code=303)


@router.get("/q/{section_id}")
async def show_page(request: Request, section_id: str) -> Response:
    """One page of the questionnaire, with the answers saved so far."""
    app = web(request)
    case = _case(request)
    if case is None:
        return RedirectResponse("/", status_code=303)
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
async def save_page(request: Request, section_id: str) -> Response:
    """Save one page (validated on the server) in one write, then go on, back, or send."""
    app = web(request)
    case = _case(request)
    if case is None:
        return RedirectResponse("/", status_code=303)
    form = await request.form()
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        return app.message(request, "site_title", "csrf_failed", 403)
    questionnaire = app.data.questionnaire(case[0])
    section = _section(questionnaire, section_id)
    if section is None:
        return app.message(request, "site_title", "not_found", 404)
    wave_id, case_id = case
    stored = app.store.response(wave_id, case_id)
    if stored is not None and stored.status == "complete":
        return RedirectResponse("/merci", status_code=303)
    result = apply_page(
        questionnaire,
        stored.answers if stored else {},
        read_answers(form, section.questions),
        section_id=section.id,
        going_back=form.get("nav") == "back",
        asked_before=set(str(form.get("asked") or "").split()),
    )
    # Send at the end only when nothing is missing anywhere: the same single write then
    # stores the page and locks the response. Otherwise show the first page still lacking.
    finished = result.next_page is None
    missing = validate(questionnaire, result.answers) if finished else ()
    status: Literal["partial", "complete"] = "complete" if finished and not missing else "partial"
    try:
        app.store.save_response(wave_id, case_id, result.changes, status, "web", page=section.id)
    except ResponseLocked:
        return RedirectResponse("/merci", status_code=303)
    except WaveStatusError:
        return app.message(request, "site_title", "wave_closed", 409)
    if result.problems:
        return _page_response(
            request, app, questionnaire, section, result.shown, result.problems, 422
        )
    if result.new_questions:
        notice = translate("new_questions", language(request))
        return _page_response(request, app, questionnaire, section, result.shown, notice=notice)
    if missing:
        first = questionnaire.section_of(missing[0].question_id)
        on_page = {q.id for q in first.questions}
        problems = tuple(p for p in missing if p.question_id in on_page)
        return _page_response(request, app, questionnaire, first, result.answers, problems, 422)
    if finished:
        return RedirectResponse("/merci", status_code=303)
    return RedirectResponse(f"/q/{result.next_page}", status_code=303)


@router.get("/merci")
async def thanks(request: Request) -> Response:
    """The thank-you page, with the respondent's own diagnostic."""
    app = web(request)
    case = _case(request)
    if case is None:
        return RedirectResponse("/", status_code=303)
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
def thanks_pdf(request: Request) -> Response:
    """The respondent's diagnostic as a printable PDF."""
    from barometre.web.pdf import diagnostic_pdf

    app = web(request)
    case = _case(request)
    response = app.store.response(*case) if case else None
    if case is None or response is None or response.status != "complete":
        return RedirectResponse("/", status_code=303)
    profile = app.data.profile(*case)
    diagnostic = diagnose(
        response.answers, app.data.benchmark(), size_band=profile.size_band, sector=profile.sector
    )
    return diagnostic_pdf(app, language(request), diagnostic)


@router.post("/q/{section_id}/relevance")
async def page_relevance(request: Request, section_id: str) -> Response:
    """Which questions the answers typed so far make relevant (for the browser's skip logic)."""
    app = web(request)
    case = _case(request)
    if case is None:
        return JSONResponse({"relevant": {}}, status_code=401)
    form = await request.form()
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        return JSONResponse({"relevant": {}}, status_code=403)
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
async def opt_out(request: Request, token: str) -> Response:
    """Stop invitations and reminders for this company (form, or RFC 8058 one-click POST)."""
    app = web(request)
    form = await request.form()
    one_click = form.get("List-Unsubscribe") == "One-Click"
    if not one_click and not csrf_valid(request.session, form.get(CSRF_FIELD)):
        return app.message(request, "site_title", "csrf_failed", 403)
    invitation = app.store.find_invitation_by_token(token)
    if invitation is None:
        return app.message(request, "site_title", "link_unknown", 404)
    if invitation.opted_out_at is None:
        app.store.opt_out(invitation.wave_id, invitation.case_id)
        app.store.record_disposition(
            invitation.wave_id, invitation.case_id, OPT_OUT_CODE, "opted out", recorded_by="web"
        )
    return app.render(request, "opt_out.html", token=token, done=True)
