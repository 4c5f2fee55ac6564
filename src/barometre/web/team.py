"""The study team's area: login, campaign dashboard, paper data entry, downloads."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from barometre.store import NotFoundError, ResponseInvalid, ResponseLocked, StoreError, Wave
from barometre.web.app import Web, language, web
from barometre.web.dashboard import dashboard_context
from barometre.web.forms import read_answers
from barometre.web.i18n import translate
from barometre.web.messages import problem_texts
from barometre.web.respondent import client_key
from barometre.web.security import CSRF_FIELD, csrf_valid

router = APIRouter(prefix="/equipe", include_in_schema=False)
USER_KEY = "user"


def _user(request: Request) -> str | None:
    value = request.session.get(USER_KEY)
    return value if isinstance(value, str) else None


def _login_redirect() -> Response:
    return RedirectResponse("/equipe/login", status_code=303)


@router.get("/login")
def login_form(request: Request) -> Response:
    """The sign-in form."""
    return web(request).render(request, "team_login.html", error=None, username="")


@router.post("/login")
async def login(request: Request) -> Response:
    """Check a username and password (argon2), rate-limited per client address."""
    app = web(request)
    form = await request.form()
    lang = language(request)
    username = str(form.get("username") or "")
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        return app.render(
            request, "team_login.html", 403, error=translate("csrf_failed", lang), username=username
        )
    who = client_key(request)
    if app.login_limiter.blocked(who):
        return app.render(
            request, "team_login.html", 429, error=translate("too_many_attempts", lang),
            username=username,
        )  # fmt: skip
    user = app.store.authenticate(username, str(form.get("password") or ""))
    if user is None:
        app.login_limiter.hit(who)
        return app.render(
            request,
            "team_login.html",
            401,
            error=translate("login_failed", lang),
            username=username,
        )
    # A fresh session on sign-in: nothing from before (respondent case, old token) carries over.
    request.session.clear()
    request.session["lang"] = lang
    request.session[USER_KEY] = user.username
    return RedirectResponse("/equipe", status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Sign out."""
    form = await request.form()
    if csrf_valid(request.session, form.get(CSRF_FIELD)):
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
def dashboard(request: Request) -> Response:
    """The campaign dashboard of a wave: returns per day, dispositions, AAPOR rates."""
    user = _user(request)
    if user is None:
        return _login_redirect()
    app = web(request)
    waves, wave = _chosen_wave(app, request)
    lang = language(request)
    views = dashboard_context(app, wave, lang) if wave is not None else {}
    return app.render(
        request,
        "team_dashboard.html",
        user=user,
        waves=waves,
        wave=wave,
        downloads=_downloads(app),
        **views,
    )


def _downloads(app: Web) -> list[str]:
    folder = app.settings.downloads_dir
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


@router.get("/telechargements/{name}")
def download(request: Request, name: str) -> Response:
    """A published file (report, exports) from the downloads folder."""
    if _user(request) is None:
        return _login_redirect()
    app = web(request)
    if name not in _downloads(app):
        return app.message(request, "site_title", "not_found", 404)
    folder: Path = app.settings.downloads_dir  # type: ignore[assignment]
    return FileResponse(folder / name, filename=name)


@router.get("/export/{wave_id}.csv")
def export_csv(request: Request, wave_id: int) -> Response:
    """The wave dataset as CSV: pseudonymous case ids, no contact data."""
    if _user(request) is None:
        return _login_redirect()
    app = web(request)
    try:
        data = app.store.wave_dataset(wave_id, include_partial=True)
    except NotFoundError:
        return app.message(request, "site_title", "not_found", 404)
    buffer = io.StringIO()
    data.write_csv(buffer)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="wave-{wave_id}.csv"'},
    )


# --- paper data entry ---------------------------------------------------------------------


@router.get("/saisie")
def paper_entry(request: Request) -> Response:
    """The paper questionnaire entry screen: a case, then every question on one page."""
    user = _user(request)
    if user is None:
        return _login_redirect()
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
async def paper_save(request: Request) -> Response:
    """Store a keyed paper questionnaire with the same validation as the web form."""
    user = _user(request)
    if user is None:
        return _login_redirect()
    app = web(request)
    form = await request.form()
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        return app.message(request, "team_area", "csrf_failed", 403)
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
        )  # fmt: skip
    try:
        app.store.save_response(
            wave.id, case_id, answers, "complete", "paper", recorded_by=f"paper:{user}"
        )
    except ResponseInvalid as invalid:
        return _paper_form(request, app, wave, case_id, answers, invalid.problems, 422)
    except (ResponseLocked, StoreError) as error:
        message = (
            translate("paper_locked", lang) if isinstance(error, ResponseLocked) else str(error)
        )
        return _paper_form(request, app, wave, case_id, answers, (), 409, case_error=message)
    return _paper_form(
        request, app, wave, "", {}, (), saved=translate("paper_saved", lang, case=case_id)
    )
