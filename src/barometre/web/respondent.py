"""The invited respondent's way through: code or link, pages by section, thank-you diagnostic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from barometre.campaign.codes import InvalidShortCode, normalise_short_code
from barometre.campaign.fieldwork import OPT_OUT_CODE
from barometre.diagnostic import diagnose
from barometre.questionnaire import Problem, Questionnaire, Section, relevance, validate
from barometre.store import (
    Invitation,
    ResponseChange,
    ResponseLocked,
    ResponseStatus,
    WaveStatusError,
)
from barometre.web.context import (
    CASE_KEY,
    CheckedForm,
    RespondentCase,
    UnsubscribeForm,
    Web,
    checked_form,
    client_address,
    language,
    session_case,
    web,
)
from barometre.web.forms import merge, read_answers
from barometre.web.i18n import translate
from barometre.web.messages import problem_texts
from barometre.web.paging import (
    PageResult,
    apply_page,
    first_unanswered_page,
    page_plan,
    visible_pages,
)
from barometre.web.selfdiag import question_count
from barometre.web.trust import fieldwork_wave, trust_view, wave_title

# Respondent pages are `async def` although they call the (synchronous) store: each request
# is a few milliseconds of CPU and SQLite work, and running them on the event loop keeps one
# writer per worker process (no lock contention, no thread hops). The slow PDF routes stay
# plain `def`, which FastAPI runs in its thread pool.
router = APIRouter(include_in_schema=False)
# Failed codes and links are counted per client address, in the database (every process).
CODE_BY_CLIENT = "code-ip"


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
        page = _home(request, 429, text, template_code)
    page.headers.update(headers)
    return page


def _start(request: Request, invitation: Invitation) -> Response:
    # The token or code leaves the address bar: the session cookie carries the case from now on.
    request.session[CASE_KEY] = [invitation.wave_id, invitation.case_id]
    return RedirectResponse("/q", status_code=303)


def _home_extra(request: Request) -> dict[str, Any]:
    """The fieldwork wave's title, organiser and notice, for the home page."""
    app = web(request)
    lang = language(request)
    wave = fieldwork_wave(app.store)
    if wave is None:
        return {"title": None, "trust": None}
    return {
        "title": wave_title(app.data.questionnaire(wave.id), wave, lang),
        "trust": trust_view(app.store, wave, lang),
    }


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    """The entry page: type the letter's code, or take the public self-diagnostic."""
    return _home(request)


def _home(
    request: Request, status_code: int = 200, error: str | None = None, code: str | None = None
) -> HTMLResponse:
    app = web(request)
    count = question_count(app.data.self_diagnostic, language(request))
    return app.render(
        request,
        "home.html",
        status_code,
        error=error,
        code=code,
        question_count=count,
        **_home_extra(request),
    )


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
        return _home(request, 422, translate(key, lang), typed)
    invitation = app.store.find_invitation_by_short_code(typed)
    if invitation is None:
        _failed(app, who)
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
    lang = language(request)
    case = request.session.get(CASE_KEY)
    wave = app.store.wave(int(case[0])) if isinstance(case, list) and len(case) == 2 else None
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
        title=wave_title(questionnaire, wave, lang)
        if wave
        else (questionnaire.title_fr if lang == "fr" else questionnaire.title_en),
        trust=trust_view(app.store, wave, lang) if wave else None,
    )


@router.get("/q")
async def resume(request: Request, case: RespondentCase) -> Response:
    """Resume at the first page still missing an answer (the first page when starting)."""
    app = web(request)
    response = app.store.response(*case)
    if response is not None and response.status == "complete":
        return RedirectResponse("/merci", status_code=303)
    questionnaire = app.data.questionnaire(case[0])
    answers = response.answers if response else {}
    return RedirectResponse(f"/q/{first_unanswered_page(questionnaire, answers)}", status_code=303)


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


async def save_page(request: Request) -> Response:
    """Save one page (validated on the server) in one write, then go on, back, or send."""
    # The busiest route, served as a plain Starlette route (see `PLAIN_ROUTES`): its checks
    # are awaited here rather than declared as FastAPI dependencies. They are the same
    # checks, refusing the same way (the app's exception handlers answer them).
    section_id = str(request.path_params["section_id"])
    case = await session_case(request)
    form = await checked_form(request)
    app = web(request)
    questionnaire = app.data.questionnaire(case[0])
    section = _section(questionnaire, section_id)
    if section is None:
        return app.message(request, "site_title", "not_found", 404)
    wave_id, case_id = case
    outcome: list[tuple[PageResult, tuple[Problem, ...]]] = []

    def change(stored: Mapping[str, Any]) -> ResponseChange:
        # Run by the store inside its write transaction, on the answers it just read: the
        # page is read, checked and written in one transaction (the case locked throughout).
        result = apply_page(
            questionnaire,
            stored,
            read_answers(form, section.questions),
            section_id=section.id,
            going_back=form.get("nav") == "back",
            asked_before=set(str(form.get("asked") or "").split()),
        )
        # Send at the end only when nothing is missing anywhere: the same single write then
        # stores the page and locks the response. Otherwise show the first page still lacking.
        finished = result.next_page is None
        missing = validate(questionnaire, result.answers) if finished else ()
        outcome.append((result, missing))
        status: ResponseStatus = "complete" if finished and not missing else "partial"
        return result.changes, status, section.id

    try:
        app.store.update_response(wave_id, case_id, change, "web")
    except ResponseLocked:
        return RedirectResponse("/merci", status_code=303)
    except WaveStatusError:
        return app.message(request, "site_title", "wave_closed", 409)
    result, missing = outcome[-1]
    finished = result.next_page is None
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


# Routes served ahead of the routers, as plain Starlette routes. A page submit is the web
# tier's busiest request; FastAPI's route matching through included routers, its request
# handler and its dependency resolution cost about a seventh of its CPU (py-spy, see
# docs/web.md, "Third pass"), for a route that needs neither parameter validation
# nor an OpenAPI entry (it is an HTML form's target, out of the schema like every page here).
PLAIN_ROUTES = (Route("/q/{section_id}", save_page, methods=["POST"], name="save_page"),)


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
