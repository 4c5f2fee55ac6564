"""Fixtures of the web tests: a store with an open wave of invited companies, and a client."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave, open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import open_wave_with_invitations

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


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
