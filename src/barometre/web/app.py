"""The app factory: `create_app(store_url or Store, settings)` builds the whole web app.

The request context handlers use (`Web`, `web`, `language`, the checks) lives in
`web/context.py`; this module only assembles the app from it and the routers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from barometre import __version__
from barometre.store import Store, open_store
from barometre.web.context import HERE, Web, install_checks, language, web
from barometre.web.security import BodyLimit, SecurityHeaders
from barometre.web.settings import WebSettings

__all__ = ["HERE", "SESSION_COOKIE", "Web", "create_app", "language", "web"]

SESSION_COOKIE = "barometre_session"

# Access logs would record personal link tokens (in /r/<token> paths): `barometre serve` runs
# uvicorn without its access log, and the app logs no path, code, token or answer.


def create_app(store: str | Store | None = None, settings: WebSettings | None = None) -> FastAPI:
    """The web app over a store (a URL, an open `Store`, or None for the default URL)."""
    from barometre.web import api, explorer, respondent, selfdiag, team

    settings = settings or WebSettings.from_env()
    opened = store if isinstance(store, Store) else open_store(store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        # On shutdown SQLite's WAL goes into the main file and is emptied (erased rows leave
        # no old copy behind); a store the app opened itself is also closed.
        if isinstance(store, Store):
            opened.checkpoint()
        else:
            opened.close()

    app = FastAPI(
        lifespan=lifespan,
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
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (respondent, selfdiag, team, api, explorer):
        app.include_router(module.router)
    # First in line: matched before the static files and every router (see PLAIN_ROUTES).
    app.router.routes[:0] = respondent.PLAIN_ROUTES
    install_checks(app)

    api.install_errors(app)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(getattr(exc, "headers", None) or {})
        if request.url.path.startswith("/api/"):
            if exc.status_code == 405:
                # Starlette names the methods of the first route whose path matched; a path
                # served by two routes (GET and PUT) would then claim only one of them.
                headers.pop("Allow", None)
                headers["allow"] = ", ".join(api.allowed_methods(app, request.url.path))
            return JSONResponse({"detail": str(exc.detail)}, exc.status_code, headers)
        if exc.status_code == 404:
            return web(request).message(request, "site_title", "not_found", 404)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=headers)

    return app
