"""Failed-attempt limits kept in the database, proxies named in the settings, argon2 off the
event loop (issue 15, findings 4 and 5)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave, open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import csrf_of

from .conftest import client_class

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]
PASSWORD = "correct horse battery staple"


def _settings(**overrides: object) -> WebSettings:
    values: dict[str, object] = {
        "secret_key": "test-secret-" + "k" * 20,
        "code_attempts": 5,
        "login_attempts": 5,
        "slow_down_first_seconds": 0.3,
        "slow_down_longest_seconds": 0.6,
        **overrides,
    }
    return WebSettings(**values)  # type: ignore[arg-type]


def _client(app: FastAPI, address: str = "192.0.2.10") -> TestClient:
    return client_class()(app, base_url="https://testserver", client=(address, 40000))


def _try_code(client: TestClient, code: str, forwarded: str | None = None) -> int:
    csrf = csrf_of(client.get("/").text)
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    r = client.post(
        "/code", data={"code": code, "csrf_token": csrf}, headers=headers, follow_redirects=False
    )
    return r.status_code


def _wrong(i: int) -> str:
    # Malformed codes fail before any lookup: each is a failed attempt all the same.
    return f"ZZ{i:03d}"


@pytest.fixture
def app(store: Store) -> FastAPI:
    """The app with small limits and short slow-downs."""
    return create_app(store, _settings())


def test_forwarded_for_from_an_unnamed_peer_is_ignored(app: FastAPI, wave: Invited) -> None:
    """Rotating X-Forwarded-For from a peer that is not a named proxy does not reset the count."""
    with _client(app, "127.0.0.1") as client:
        statuses = [_try_code(client, _wrong(i), f"203.0.113.{i}") for i in range(8)]
    assert statuses[:5] == [422] * 5
    assert 429 in statuses[5:]


def test_forwarded_for_from_a_named_proxy_is_the_client(store: Store, wave: Invited) -> None:
    """Behind a named proxy, each forwarded client has its own count."""
    app = create_app(store, _settings(trusted_proxies=("10.0.0.0/8",)))
    with _client(app, "10.1.2.3") as client:
        statuses = [_try_code(client, _wrong(i), f"198.51.100.{i}, 10.1.2.3") for i in range(8)]
        assert statuses == [422] * 8  # eight clients, one failure each
        same = [_try_code(client, _wrong(i), "198.51.100.77") for i in range(7)]
    assert 429 in same[5:]


def test_limits_are_shared_by_two_apps_on_one_database(
    database_url: str, store: Store, wave: Invited
) -> None:
    """Two server processes' apps over one database count one client's failures together."""
    other = open_store(database_url)
    try:
        with (
            _client(create_app(store, _settings())) as a,
            _client(create_app(other, _settings())) as b,
        ):
            statuses = [_try_code(a if i % 2 else b, _wrong(i)) for i in range(7)]
    finally:
        other.close()
    assert statuses[:5] == [422] * 5 and 429 in statuses[5:]


def test_a_busy_address_is_slowed_down_not_locked_out(store: Store, wave: Invited) -> None:
    """After many failures from one address, a valid code gets in after a short wait."""
    _, codes = wave
    # Slow-downs of seconds, not tenths: on a loaded machine the valid try may come more
    # than 0.6 s after the last failure, when a short slow-down would already be over.
    app = create_app(store, _settings(slow_down_first_seconds=3, slow_down_longest_seconds=3))
    with _client(app) as client:
        for i in range(12):
            _try_code(client, _wrong(i))
        assert _try_code(client, codes[0].short_code) == 429
        time.sleep(3.2)  # longer than the longest slow-down of these settings
        assert _try_code(client, codes[0].short_code) == 303


def test_wrong_passwords_are_limited_per_account(store: Store) -> None:
    """Wrong passwords for one account from rotating addresses are slowed down per account;
    the right password works once the wait is over."""
    store.create_user("alice", PASSWORD, "team")
    app = create_app(store, _settings(trusted_proxies=("127.0.0.1",)))
    statuses = []
    with _client(app, "127.0.0.1") as client:
        for i in range(8):
            csrf = csrf_of(client.get("/equipe/login").text)
            r = client.post(
                "/equipe/login",
                data={"username": "alice", "password": f"wrong {i}", "csrf_token": csrf},
                headers={"x-forwarded-for": f"203.0.113.{i}"},
                follow_redirects=False,
            )
            statuses.append(r.status_code)
        assert statuses[:5] == [401] * 5 and 429 in statuses[5:]
        time.sleep(0.7)
        csrf = csrf_of(client.get("/equipe/login").text)
        ok = client.post(
            "/equipe/login",
            data={"username": "alice", "password": PASSWORD, "csrf_token": csrf},
            headers={"x-forwarded-for": "203.0.113.99"},
            follow_redirects=False,
        )
    assert ok.status_code == 303


def test_argon2_does_not_hold_up_other_requests(database_url: str, store: Store) -> None:
    """While wrong sign-ins are checked (a slow argon2), a static file is served first."""
    from argon2 import PasswordHasher

    # Each check costs far more than a static file: argon2 at six passes over 32 MiB.
    slow = open_store(database_url, password_hasher=PasswordHasher(time_cost=6))
    slow.create_user("alice", PASSWORD, "team")
    app = create_app(slow, _settings(login_attempts=100))

    async def scenario() -> list[str]:
        finished: list[str] = []
        transport = httpx.ASGITransport(app=app, client=("192.0.2.20", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
            csrf = csrf_of((await c.get("/equipe/login")).text)

            async def login(i: int) -> None:
                await c.post(
                    "/equipe/login",
                    data={"username": "alice", "password": f"wrong {i}", "csrf_token": csrf},
                )
                finished.append("login")

            async def static() -> None:
                await asyncio.sleep(0.05)  # the sign-ins are already being checked
                r = await c.get("/static/style.css")
                assert r.status_code == 200
                finished.append("static")

            await asyncio.gather(*(login(i) for i in range(2)), static())
        return finished

    try:
        order = asyncio.run(scenario())
    finally:
        slow.close()
    assert order[0] == "static", order
