"""Serving the web app with uvicorn: `barometre serve`, and `barometre demo` after its wave."""

from __future__ import annotations

import ipaddress
import os
import signal
import sys
import threading
import time

from fastapi import FastAPI

from barometre.store import Store, default_url, open_store
from barometre.web.app import create_app
from barometre.web.settings import WebSettings

URL_ENV = "BAROMETRE_DATABASE_URL"
# uvicorn's C HTTP parser and event loop (both locked dependencies), named rather than left to
# uvicorn's "auto", which silently falls back to the pure-Python h11 and asyncio when they are
# missing: a server's CPU per request would then grow without a word.
HTTP = "httptools"
LOOP = "uvloop"


def is_loopback(host: str) -> bool:
    """Whether `host` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_from_env() -> FastAPI:
    """The app over $BAROMETRE_DATABASE_URL with settings from the environment (for workers).

    A worker follows its master: when the master dies (even by kill -9, which it cannot
    pass on) the worker stops too, so that no orphan keeps the port and serves on.
    """
    follow_parent()
    return create_app(os.environ.get(URL_ENV) or default_url(), WebSettings.from_env())


def follow_parent(poll_seconds: float = 0.5, grace_seconds: float = 10.0) -> None:
    """Stop this process when its parent dies: SIGTERM (a clean shutdown), then exit."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace_seconds)
        os._exit(1)  # the clean shutdown did not finish: do not outlive the master

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def serve(
    store: str | Store | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    settings: WebSettings | None = None,
) -> None:
    """Serve the app on `host:port` until interrupted, printing the local address first.

    On the loopback interface, plain HTTP is allowed (cookies without the Secure flag); on any
    other address the app expects HTTPS in front of it (a reverse proxy) and sends Secure
    cookies and HSTS. Several workers need a shared secret key (BAROMETRE_SECRET_KEY).
    """
    import uvicorn

    local = is_loopback(host)
    if settings is None:
        overrides: dict[str, object] = (
            {} if "BAROMETRE_SECURE_COOKIES" in os.environ else {"secure_cookies": not local}
        )
        settings = WebSettings.from_env(**overrides)
    shown = f"[{host}]" if ":" in host else host
    print(f"barometre web app: http://{shown}:{port}/  (team area: /equipe, API: /api/v1)")
    # No access log: paths hold personal link tokens (/r/<token>, /opt-out/<token>).
    if workers > 1:
        if isinstance(store, Store):
            raise ValueError("several workers open the store themselves: pass its URL")
        os.environ[URL_ENV] = store or default_url()
        open_store(os.environ[URL_ENV]).close()  # migrate once, not in every worker at once
        os.environ["BAROMETRE_SECRET_KEY"] = settings.secret_key
        os.environ["BAROMETRE_SECURE_COOKIES"] = "1" if settings.secure_cookies else "0"
        # Workers are fresh interpreters started by uvicorn; running uvicorn as the main module
        # keeps each worker from re-importing the whole CLI, and the health check is given time
        # for the app's imports on a busy machine.
        command = [sys.executable, "-m", "uvicorn", "barometre.web.server:app_from_env"]
        command += ["--factory", "--host", host, "--port", str(port), "--workers", str(workers)]
        command += ["--http", HTTP, "--loop", LOOP]
        command += [
            "--no-access-log",
            "--log-level",
            "warning",
            "--timeout-worker-healthcheck",
            "60",
        ]
        sys.stdout.flush()
        os.execv(sys.executable, command)
    app = create_app(store, settings)
    uvicorn.run(
        app, host=host, port=port, http=HTTP, loop=LOOP, access_log=False, log_level="warning"
    )
