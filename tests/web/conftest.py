"""Fixtures of the web tests: a store with an open wave of invited companies, and a client."""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave, open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import open_wave_with_invitations

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from playwright.sync_api import Browser

#: Debian's chromium, headless, without the background traffic a test has no use for.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def client_class() -> type[TestClient]:
    """Starlette's test client, imported without its warning asking for httpx2.

    httpx is what the project pins; the warning is raised once, at import.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Using `httpx` with `starlette.testclient`", category=UserWarning
        )
        from fastapi.testclient import TestClient

    return TestClient


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated store on SQLite or PostgreSQL."""
    opened = open_store(database_url)
    yield opened
    opened.close()


@pytest.fixture
def wave(store: Store) -> tuple[Wave, list[InvitationCode]]:
    """An open wave of 6 invited companies."""
    return open_wave_with_invitations(store, "2026", 6, seed=7)


@pytest.fixture
def client(store: Store, wave: tuple[Wave, list[InvitationCode]]) -> Iterator[TestClient]:
    """A browser-like client of the app over HTTPS (so that secure cookies flow)."""
    app = create_app(store, WebSettings(secret_key="test-secret-" + "k" * 20, code_attempts=5))
    with client_class()(app, base_url="https://testserver") as c:
        yield c


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium through Playwright, one per test module (the browser tests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        yield b
        b.close()


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free loopback port; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
