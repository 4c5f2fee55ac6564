"""The request context: what every handler needs (`Web`), the visitor's language and address,
and the checks written once as FastAPI dependencies (CSRF, the respondent's case, the team
member's session and role).

Handlers import from here, never from `app.py`, which only assembles the app.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.requests import ClientDisconnect

from barometre import __version__
from barometre.diagnostic import SCORE_ITEMS
from barometre.questionnaire import Language
from barometre.store import AttemptPolicy, Store, User
from barometre.web import questions
from barometre.web.data import WebData
from barometre.web.i18n import as_language, french_spacing, pick_language, translate
from barometre.web.security import CSRF_FIELD, csrf_token, csrf_valid
from barometre.web.settings import WebSettings

HERE = Path(__file__).parent
LANGUAGE_KEY = "lang"
# The respondent's case [wave id, case id], set once a link or code has been accepted.
CASE_KEY = "case"
# The team member's session secret; the database holds its hash and whether it still lives.
TEAM_SESSION_KEY = "team_session"
# What each role may do: a viewer reads, a team member (the study's managers) also writes,
# an admin also manages users.
ROLE_RANK = {"viewer": 0, "team": 1, "admin": 2}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name: free text is always escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["score_items"] = SCORE_ITEMS
    # Questionnaire and diagnostic texts in French get the same no-break spaces as ours.
    env.filters["fr"] = lambda text, lang: french_spacing(str(text)) if lang == "fr" else text
    env.globals["static"] = lambda name: f"/static/{name}?v={__version__}"
    questions.register(env)  # piped labels and cascading choices
    return env


class Web:
    """What every request handler needs: the store, the settings, templates, limit policies."""

    def __init__(self, store: Store, settings: WebSettings) -> None:
        self.store = store
        self.settings = settings
        self.templates = _environment()
        window = timedelta(seconds=settings.code_window_seconds)
        first, longest = (
            timedelta(seconds=settings.slow_down_first_seconds),
            timedelta(seconds=settings.slow_down_longest_seconds),
        )
        self.code_policy = AttemptPolicy(settings.code_attempts, window, first, longest)
        self.login_policy = AttemptPolicy(settings.login_attempts, window, first, longest)
        self.data = WebData(store)

    def link(self, request: Request, path_and_query: str) -> str:
        """A link to this site: absolute from the configured base URL, else relative.

        Never built from the request's `Host` header, which the client chooses.
        """
        base = self.settings.base_url
        return f"{base.rstrip('/')}{path_and_query}" if base else path_and_query

    def render(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page rendered in the visitor's language, with the session's CSRF token."""
        lang = language(request)
        switched = request.url.include_query_params(lang="en" if lang == "fr" else "fr")
        html = self.templates.get_template(template).render(
            lang=lang,
            t=lambda key, **values: translate(key, lang, **values),
            csrf_token=csrf_token(request.session),
            switch_url=self.link(request, f"{switched.path}?{switched.query}"),
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def message(
        self,
        request: Request,
        heading_key: str,
        text_key: str,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        """A page with a title and one sentence (errors, notices)."""
        lang = language(request)
        page = self.render(
            request,
            "message.html",
            status_code,
            heading=translate(heading_key, lang),
            text=translate(text_key, lang),
        )
        page.headers.update(headers or {})
        return page


def web(request: Request) -> Web:
    """The app's `Web` object, for a request handler."""
    found: Web = request.app.state.web
    return found


def language(request: Request) -> Language:
    """The visitor's language: `?lang=` (remembered in the session), else the session's."""
    requested = as_language(request.query_params.get("lang"))
    settings: WebSettings = request.app.state.web.settings
    if requested is not None:
        if request.session.get(LANGUAGE_KEY) != requested:
            request.session[LANGUAGE_KEY] = requested
        return requested
    return pick_language(request.session.get(LANGUAGE_KEY), settings.default_language)


def client_address(request: Request) -> str:
    """The client's address, for limits.

    The peer's address, unless the peer is one of the proxies named in the settings: then
    the last address of `X-Forwarded-For` that is not itself a named proxy. A header from
    anyone else is ignored (otherwise rotating it would defeat every per-client limit).
    """
    peer = request.client.host if request.client else "unknown"
    proxies = web(request).settings.trusted_proxies
    if not proxies or not _is_in(peer, proxies):
        return peer
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _is_in(address, proxies):
            return address
    return peer


def _is_in(address: str, networks: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


# --- the checks, as dependencies ------------------------------------------------------------


class CsrfRefused(Exception):
    """A state-changing form without the session's CSRF token."""


class NoCase(Exception):
    """A questionnaire page asked for without an accepted link or code."""


class NotSignedIn(Exception):
    """A team page asked for without a live session."""


class RoleRefused(Exception):
    """A team member whose role does not allow this."""


class ClientGone(Exception):
    """The client closed the connection before its request body had arrived."""


async def _read_form(request: Request, *, files: bool = True) -> FormData:
    # A client that disconnects mid-POST (a closed tab, a dropped phone connection) is not a
    # server error: no traceback, a plain 400 that nobody may be left to read.
    try:
        return await (request.form() if files else request.form(max_files=0))
    except ClientDisconnect as exc:
        raise ClientGone from exc


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token is the session's (else 403).

    Text fields only: a file in the form is refused (400, before any handler runs), so there
    is nothing to close afterwards and the dependency is a plain coroutine. A dependency with
    `yield` costs an exit stack and a shielded cleanup on every request (5-7 % of a page
    submit's CPU); forms that carry files use `upload_form`.
    """
    form = await _read_form(request, files=False)
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        raise CsrfRefused
    return form


async def upload_form(request: Request) -> AsyncIterator[FormData]:
    """A POSTed form with uploaded files, CSRF-checked as `checked_form`.

    A dependency with `yield`, so that the uploaded files (spooled temporary files) are
    closed once the route is done with them.
    """
    form = await _read_form(request)
    try:
        if not csrf_valid(request.session, form.get(CSRF_FIELD)):
            raise CsrfRefused
        yield form
    finally:
        await form.close()


async def unsubscribe_form(request: Request) -> FormData:
    """An opt-out form: CSRF-checked, except a mail client's RFC 8058 one-click POST."""
    form = await _read_form(request)
    if form.get("List-Unsubscribe") != "One-Click" and not csrf_valid(
        request.session, form.get(CSRF_FIELD)
    ):
        raise CsrfRefused
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
UploadForm = Annotated[FormData, Depends(upload_form)]
UnsubscribeForm = Annotated[FormData, Depends(unsubscribe_form)]


async def session_case(request: Request) -> tuple[int, str]:
    """The respondent's case from the session (else back to the home page).

    `async`: a plain `def` dependency would run in the thread pool, a thread hop on every
    questionnaire request for a dictionary lookup.
    """
    value = request.session.get(CASE_KEY)
    if isinstance(value, list) and len(value) == 2:
        return int(value[0]), str(value[1])
    raise NoCase


RespondentCase = Annotated[tuple[int, str], Depends(session_case)]


def _team_user(request: Request) -> User | None:
    secret = request.session.get(TEAM_SESSION_KEY)
    if not isinstance(secret, str):
        return None
    idle = timedelta(seconds=web(request).settings.session_idle_seconds)
    return web(request).store.session_user(secret, idle)


async def signed_in(request: Request) -> User:
    """The signed-in team member (else to the sign-in page).

    `async`, like the respondent's checks: one indexed read of the session, run on the event
    loop instead of a hop to the thread pool and back on every team request.
    """
    user = _team_user(request)
    if user is None:
        raise NotSignedIn
    return user


def needs_role(role: str) -> Callable[[Request], Awaitable[User]]:
    """A dependency: the signed-in member, whose role must be at least `role` (else 403)."""

    async def check(request: Request) -> User:
        user = await signed_in(request)
        if ROLE_RANK.get(user.role, -1) < ROLE_RANK[role]:
            raise RoleRefused
        return user

    return check


Reader = Annotated[User, Depends(signed_in)]
Writer = Annotated[User, Depends(needs_role("team"))]
Admin = Annotated[User, Depends(needs_role("admin"))]


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith("/relevance")


def install_checks(app: FastAPI) -> None:
    """The answers the checks above give when they refuse."""

    def handler(
        answer: Callable[[Request], Response],
    ) -> Callable[[Request, Exception], Awaitable[Response]]:
        async def handle(request: Request, exc: Exception) -> Response:
            return answer(request)

        return handle

    def csrf(request: Request) -> Response:
        if _wants_json(request):
            return JSONResponse({"relevant": {}}, status_code=403)
        return web(request).message(request, "site_title", "csrf_failed", 403)

    def no_case(request: Request) -> Response:
        if _wants_json(request):
            return JSONResponse({"relevant": {}}, status_code=401)
        return RedirectResponse("/", status_code=303)

    def not_signed_in(request: Request) -> Response:
        return RedirectResponse("/equipe/login", status_code=303)

    def role(request: Request) -> Response:
        return web(request).message(request, "team_area", "role_refused", 403)

    def client_gone(request: Request) -> Response:
        return Response("request body incomplete: the client disconnected", status_code=400)

    app.add_exception_handler(CsrfRefused, handler(csrf))
    app.add_exception_handler(ClientGone, handler(client_gone))
    # any other read of a body the client abandoned (a route reading it itself)
    app.add_exception_handler(ClientDisconnect, handler(client_gone))
    app.add_exception_handler(NoCase, handler(no_case))
    app.add_exception_handler(NotSignedIn, handler(not_signed_in))
    app.add_exception_handler(RoleRefused, handler(role))
