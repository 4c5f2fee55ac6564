"""The app factory: `create_app(store_url or Store, settings)` builds the whole web app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from barometre import __version__
from barometre.diagnostic import SCORE_ITEMS
from barometre.store import Store, open_store
from barometre.web.data import WebData
from barometre.web.i18n import pick_language, translate
from barometre.web.security import RateLimiter, SecurityHeaders, csrf_token
from barometre.web.settings import WebSettings

HERE = Path(__file__).parent
SESSION_COOKIE = "barometre_session"
LANGUAGE_KEY = "lang"

# Access logs would record personal link tokens (in /r/<token> paths): `barometre serve` runs
# uvicorn without its access log, and the app logs no path, code, token or answer.


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name: free text is always escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["score_items"] = SCORE_ITEMS
    env.globals["static"] = lambda name: f"/static/{name}?v={__version__}"
    return env


class Web:
    """What every request handler needs: the store, the settings, templates, limiters."""

    def __init__(self, store: Store, settings: WebSettings) -> None:
        self.store = store
        self.settings = settings
        self.templates = _environment()
        self.code_limiter = RateLimiter(settings.code_attempts, settings.code_window_seconds)
        self.login_limiter = RateLimiter(settings.login_attempts, settings.code_window_seconds)
        self.data = WebData(store)

    def render(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page rendered in the visitor's language, with the session's CSRF token."""
        lang = language(request)
        html = self.templates.get_template(template).render(
            lang=lang,
            t=lambda key, **values: translate(key, lang, **values),
            csrf_token=csrf_token(request.session),
            switch_url=str(request.url.include_query_params(lang="en" if lang == "fr" else "fr")),
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def message(
        self, request: Request, heading_key: str, text_key: str, status_code: int = 200
    ) -> HTMLResponse:
        """A page with a title and one sentence (errors, notices)."""
        lang = language(request)
        return self.render(
            request,
            "message.html",
            status_code,
            heading=translate(heading_key, lang),
            text=translate(text_key, lang),
        )


def web(request: Request) -> Web:
    """The app's `Web` object, for a request handler."""
    found: Web = request.app.state.web
    return found


def language(request: Request) -> str:
    """The visitor's language: `?lang=` (remembered in the session), else the session's."""
    requested = request.query_params.get("lang")
    settings: WebSettings = request.app.state.web.settings
    if requested in ("fr", "en"):
        if request.session.get(LANGUAGE_KEY) != requested:
            request.session[LANGUAGE_KEY] = requested
        return requested
    return pick_language(request.session.get(LANGUAGE_KEY), settings.default_language)


def create_app(store: str | Store | None = None, settings: WebSettings | None = None) -> FastAPI:
    """The web app over a store (a URL, an open `Store`, or None for the default URL)."""
    from barometre.web import api, explorer, respondent, selfdiag, team

    settings = settings or WebSettings.from_env()
    opened = store if isinstance(store, Store) else open_store(store)
    app = FastAPI(
        title="barometre",
        version=__version__,
        description="JSON API of the barometer: responses and published results.",
        docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = Web(opened, settings)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (respondent, selfdiag, team, api, explorer):
        app.include_router(module.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": exc.detail},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        if exc.status_code == 404:
            return web(request).message(request, "site_title", "not_found", 404)
        return PlainTextResponse(
            str(exc.detail), status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    return app
