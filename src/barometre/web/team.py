"""The study team's area: login, campaign dashboard, paper data entry, downloads."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from barometre.campaign.lifecycle import STATUS_FR, STEPS, LifecycleError, check_publishable
from barometre.campaign.paper import check_paper_answers
from barometre.campaign.storage import CampaignStateError, save_paper_form, web_answered_refusal
from barometre.errors import UserError
from barometre.report.results_json import results_from_mapping
from barometre.store import NotFoundError, ResponseInvalid, StoreError, User, Wave
from barometre.wave import publish as publish_wave
from barometre.web.context import (
    TEAM_SESSION_KEY,
    Admin,
    CheckedForm,
    Reader,
    UploadForm,
    Web,
    Writer,
    client_address,
    language,
    web,
)
from barometre.web.dashboard import dashboard_context
from barometre.web.exports import spreadsheet_safe_csv
from barometre.web.forms import read_answers
from barometre.web.i18n import translate
from barometre.web.messages import problem_texts

router = APIRouter(prefix="/equipe", include_in_schema=False)
# Failed sign-ins are counted per client address and per account, in the database.
LOGIN_BY_CLIENT = "login-ip"
LOGIN_BY_ACCOUNT = "login-user"


@router.get("/login")
def login_form(request: Request) -> Response:
    """The sign-in form."""
    return web(request).render(request, "team_login.html", error=None, username="")


@router.post("/login")
async def login(request: Request, form: CheckedForm) -> Response:
    """Check a username and password (argon2, off the event loop), with shared limits."""
    app = web(request)
    lang = language(request)
    username = str(form.get("username") or "")[:100]
    who = client_address(request)
    wait = max(
        app.store.attempt_wait(LOGIN_BY_CLIENT, who),
        app.store.attempt_wait(LOGIN_BY_ACCOUNT, username),
    )
    if wait:
        return _slow_down(request, app, wait, username)
    # argon2 costs tens of milliseconds of CPU and 64 MiB: in the thread pool, so that other
    # requests (pages, static files) are served meanwhile.
    password = str(form.get("password") or "")
    user = await run_in_threadpool(app.store.authenticate, username, password)
    if user is None:
        await run_in_threadpool(_count_failure, app, who, username)
        return app.render(
            request,
            "team_login.html",
            401,
            error=translate("login_failed", lang),
            username=username,
        )
    app.store.attempt_succeeded(LOGIN_BY_ACCOUNT, username)
    secret = app.store.open_session(
        user.username, timedelta(seconds=app.settings.team_session_seconds)
    )
    # A fresh session on sign-in: nothing from before (respondent case, old token) carries over.
    request.session.clear()
    request.session["lang"] = lang
    request.session[TEAM_SESSION_KEY] = secret
    return RedirectResponse("/equipe", status_code=303)


def _count_failure(app: Web, who: str, username: str) -> None:
    app.store.attempt_failed(LOGIN_BY_CLIENT, who, app.login_policy)
    app.store.attempt_failed(LOGIN_BY_ACCOUNT, username, app.login_policy)


def _slow_down(request: Request, app: Web, wait: float, username: str) -> Response:
    seconds = max(1, round(wait))
    page = app.render(
        request,
        "team_login.html",
        429,
        error=translate("slow_down", language(request), n=seconds),
        username=username,
    )
    page.headers["retry-after"] = str(seconds)
    return page


@router.post("/logout")
async def logout(request: Request, form: CheckedForm) -> Response:
    """Sign out: the session ends in the database, so a copied cookie no longer opens pages."""
    secret = request.session.get(TEAM_SESSION_KEY)
    if isinstance(secret, str):
        web(request).store.end_session(secret)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


def _chosen_wave(app: Web, request: Request) -> tuple[tuple[Wave, ...], Wave | None]:
    waves = app.store.waves()
    wanted = request.query_params.get("wave")
    if wanted and wanted.isdigit():
        found = next((w for w in waves if w.id == int(wanted)), None)
        if found is not None:
            return waves, found
    open_waves = [w for w in waves if w.status == "open"]
    candidates = open_waves or list(waves)
    return waves, candidates[-1] if candidates else None


@router.get("")
def dashboard(request: Request, user: Reader) -> Response:
    """The campaign dashboard of a wave: returns per day, dispositions, AAPOR rates."""
    app = web(request)
    waves, wave = _chosen_wave(app, request)
    return _dashboard(request, app, user, waves, wave)


def _dashboard(
    request: Request,
    app: Web,
    user: User,
    waves: tuple[Wave, ...],
    wave: Wave | None,
    status_code: int = 200,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    views = dashboard_context(app, wave, language(request)) if wave is not None else {}
    return app.render(
        request,
        "team_dashboard.html",
        status_code,
        user=user.username,
        role=user.role,
        waves=waves,
        wave=wave,
        **views,
        downloads=_downloads(app),
        status_fr=STATUS_FR,
        notice=notice,
        step_error=error,
    )


_STEP_LABELS = {
    "open": ("wave_step_opened", "open"),
    "close": ("wave_step_closed", "closed"),
    "archive": ("wave_step_archived", "archived"),
    "publish": ("wave_step_published", "published"),
}


@router.post("/vague/{wave_id}/{step}")
async def wave_step(
    request: Request, wave_id: int, step: str, form: UploadForm, user: Writer
) -> Response:
    """One step of the wave's life (open, close, publish with its results.json, archive)."""
    app = web(request)
    waves = app.store.waves()
    wave = next((w for w in waves if w.id == wave_id), None)
    if wave is None or step not in _STEP_LABELS:
        return app.message(request, "team_area", "not_found", 404)
    upload = form.get("results")
    try:
        return await _take_step(request, app, user, waves, wave, step, upload)
    finally:
        if isinstance(upload, UploadFile):
            await upload.close()  # the spooled temporary file of the upload


async def _take_step(
    request: Request,
    app: Web,
    user: User,
    waves: tuple[Wave, ...],
    wave: Wave,
    step: str,
    upload: Any,
) -> Response:
    lang = language(request)
    wave_id = wave.id
    try:
        if step == "publish":
            check_publishable(app.store, wave_id)
            content = await upload.read() if isinstance(upload, UploadFile) else b""
            if not content:
                raise LifecycleError(
                    f"wave {wave.name!r}: choose the results.json written by "
                    "`barometre wave report`",
                    f"Vague «\u00a0{wave.name}\u00a0»\u00a0: choisissez le fichier results.json "
                    "écrit par «\u00a0barometre wave report\u00a0».",
                )
            results = results_from_mapping(json.loads(content.decode("utf-8")), "results.json")
            publish_wave(app.store, wave_id, results)
        else:
            STEPS[step](app.store, wave_id)
    except LifecycleError as refused:
        return _dashboard(request, app, user, waves, wave, 409, error=refused.message(lang))
    except (UserError, UnicodeDecodeError, ValueError) as failed:
        shown = failed.message(lang) if isinstance(failed, UserError) else str(failed)
        return _dashboard(request, app, user, waves, wave, 422, error=shown)
    waves = app.store.waves()
    wave = next(w for w in waves if w.id == wave_id)
    key, _ = _STEP_LABELS[step]
    return _dashboard(request, app, user, waves, wave, notice=translate(key, lang, wave=wave.name))


def _downloads(app: Web) -> list[str]:
    folder = app.settings.downloads_dir
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


@router.get("/telechargements/{name}")
def download(request: Request, name: str, user: Reader) -> Response:
    """A published file (report, exports) from the downloads folder."""
    app = web(request)
    if name not in _downloads(app):
        return app.message(request, "site_title", "not_found", 404)
    folder = app.settings.downloads_dir
    if folder is None:  # _downloads lists nothing without a folder; kept for the type
        return app.message(request, "site_title", "not_found", 404)
    return FileResponse(folder / name, filename=name)


@router.get("/export/{wave_id}.csv")
def export_csv(request: Request, wave_id: int, user: Writer) -> Response:
    """The wave dataset as CSV: pseudonymous case ids, no contact data (team and admin)."""
    app = web(request)
    try:
        data = app.store.wave_dataset(wave_id, include_partial=True)
    except NotFoundError:
        return app.message(request, "site_title", "not_found", 404)
    return Response(
        spreadsheet_safe_csv(data),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="wave-{wave_id}.csv"'},
    )


# --- paper data entry ---------------------------------------------------------------------


@router.get("/saisie")
def paper_entry(request: Request, user: Writer) -> Response:
    """The paper questionnaire entry screen: a case, then every question on one page."""
    app = web(request)
    _, wave = _chosen_wave(app, request)
    if wave is None:
        return app.message(request, "team_area", "not_found", 404)
    return _paper_form(request, app, wave, case_id="", answers={}, problems=())


def _paper_form(
    request: Request,
    app: Web,
    wave: Wave,
    case_id: str,
    answers: dict[str, Any],
    problems: tuple[Any, ...],
    status_code: int = 200,
    saved: str | None = None,
    case_error: str | None = None,
) -> Response:
    questionnaire = app.data.questionnaire(wave.id)
    lang = language(request)
    return app.render(
        request,
        "team_paper.html",
        status_code,
        wave=wave,
        questionnaire=questionnaire,
        case_id=case_id,
        answers=answers,
        problems=problems,
        errors=problem_texts(problems, {q.id: q for q in questionnaire.questions}, lang),
        questions_by_id={q.id: q for q in questionnaire.questions},
        saved=saved,
        case_error=case_error,
    )


@router.post("/saisie")
async def paper_save(request: Request, form: CheckedForm, user: Writer) -> Response:
    """Store a keyed paper questionnaire with the same validation as the web form."""
    app = web(request)
    _, wave = _chosen_wave(app, request)
    if wave is None:
        return app.message(request, "team_area", "not_found", 404)
    questionnaire = app.data.questionnaire(wave.id)
    given = read_answers(form, questionnaire.questions)
    answers = {q: v for q, v in given.items() if v is not None}
    case_id = str(form.get("case_id") or "").strip()
    invitation = app.store.find_invitation_by_short_code(case_id) if len(case_id) >= 9 else None
    if invitation is not None and invitation.wave_id == wave.id:
        case_id = invitation.case_id
    lang = language(request)
    try:
        app.store.case(wave.id, case_id)
    except NotFoundError:
        return _paper_form(
            request, app, wave, case_id, answers, (), 422,
            case_error=translate("paper_unknown_case", lang),
        )  # fmt: skip  # arguments grouped by meaning, one group a line
    existing = app.store.response(wave.id, case_id)
    if existing is not None and existing.status == "complete" and existing.source == "web":
        return _paper_form(
            request, app, wave, case_id, answers, (), 409,
            case_error=web_answered_refusal(existing, lang),
        )  # fmt: skip
    # The same rules as the CSV import: blanks make a partial form, answers the routing
    # skips are kept apart and flagged, only real faults send the form back.
    checked = check_paper_answers(questionnaire, answers)
    if checked.blocking:
        return _paper_form(request, app, wave, case_id, answers, checked.blocking, 422)
    try:
        outcome = save_paper_form(
            app.store, wave.id, case_id, checked.answers, checked.status, checked.off_route,
            recorded_by=f"paper:{user.username}",
        )  # fmt: skip
    except ResponseInvalid as invalid:
        return _paper_form(request, app, wave, case_id, answers, invalid.problems, 422)
    except (CampaignStateError, StoreError) as error:
        message = translate("paper_locked", lang) if "other answers" in str(error) else str(error)
        return _paper_form(request, app, wave, case_id, answers, (), 409, case_error=message)
    if outcome == "already":
        saved = translate("paper_already", lang, case=case_id)
    else:
        saved = translate("paper_saved", lang, case=case_id)
        if checked.status == "partial":
            saved += " " + translate("paper_partial", lang)
        if checked.off_route:
            saved += " " + translate(
                "paper_off_route", lang, questions=", ".join(sorted(checked.off_route))
            )
    return _paper_form(request, app, wave, "", {}, (), saved=saved)


# --- users (admin) ------------------------------------------------------------------------


@router.get("/utilisateurs")
def users_page(request: Request, user: Admin) -> Response:
    """The study team's accounts, with a button to disable each (admin only)."""
    app = web(request)
    return app.render(
        request,
        "team_users.html",
        user=user.username,
        role=user.role,
        wave=None,
        users=app.store.users(),
    )


@router.post("/utilisateurs/desactiver")
async def disable_user(request: Request, form: CheckedForm, user: Admin) -> Response:
    """Disable an account: its sessions and API tokens stop working at once."""
    app = web(request)
    try:
        app.store.disable_user(str(form.get("username") or ""))
    except NotFoundError:
        return app.message(request, "team_area", "not_found", 404)
    return RedirectResponse("/equipe/utilisateurs", status_code=303)
