"""The study team's area: login, campaign dashboard, paper data entry, downloads."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from barometre.campaign.lifecycle import STATUS_FR, STEPS, LifecycleError, check_publishable
from barometre.campaign.paper import check_paper_answers
from barometre.campaign.storage import CampaignStateError, save_paper_form, web_answered_refusal
from barometre.publication import publish as publish_wave
from barometre.store import NotFoundError, ResponseInvalid, StoreError, Wave
from barometre.web.app import Web, language, web
from barometre.web.fieldwork import fieldwork
from barometre.web.forms import read_answers
from barometre.web.i18n import translate
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
    return _dashboard(request, app, user, waves, wave)


def _dashboard(
    request: Request,
    app: Web,
    user: str,
    waves: tuple[Wave, ...],
    wave: Wave | None,
    status_code: int = 200,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    work = fieldwork(app.store, wave.id) if wave is not None else None
    return app.render(
        request,
        "team_dashboard.html",
        status_code,
        user=user,
        waves=waves,
        wave=wave,
        work=work,
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
async def wave_step(request: Request, wave_id: int, step: str) -> Response:
    """One step of the wave's life (open, close, publish with its results.json, archive)."""
    user = _user(request)
    if user is None:
        return _login_redirect()
    app = web(request)
    async with request.form() as form:
        return await _wave_step(request, app, user, form, wave_id, step)


async def _wave_step(
    request: Request, app: Web, user: str, form: Any, wave_id: int, step: str
) -> Response:
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        return app.message(request, "team_area", "csrf_failed", 403)
    lang = language(request)
    waves = app.store.waves()
    wave = next((w for w in waves if w.id == wave_id), None)
    if wave is None or step not in _STEP_LABELS:
        return app.message(request, "team_area", "not_found", 404)
    try:
        if step == "publish":
            check_publishable(app.store, wave_id)
            upload = form.get("results")
            content = await upload.read() if isinstance(upload, UploadFile) else b""
            if not content:
                raise LifecycleError(
                    f"wave {wave.name!r}: choose the results.json written by "
                    "`barometre wave report`",
                    f"Vague «\u00a0{wave.name}\u00a0»\u00a0: choisissez le fichier results.json "
                    "écrit par «\u00a0barometre wave report\u00a0».",
                )
            publish_wave(app.store, wave_id, content.decode("utf-8"))
        else:
            STEPS[step](app.store, wave_id)
    except LifecycleError as refused:
        return _dashboard(request, app, user, waves, wave, 409, error=refused.message(lang))
    except (StoreError, UnicodeDecodeError, ValueError) as failed:
        return _dashboard(request, app, user, waves, wave, 422, error=str(failed))
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
        errors={p.question_id: p.message(lang) for p in problems},
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
            recorded_by=f"paper:{user}",
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
