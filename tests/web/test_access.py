"""Roles on every team route and API call, from one table; server-side sessions (issue 15)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from barometre.campaign.codes import InvitationCode
from barometre.cli import app as cli_app
from barometre.store import Store, Wave
from barometre.web import WebSettings, create_app
from barometre.web.testing import COMPLETE, csrf_of

from .conftest import client_class

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]
PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "team", "admin")
RANK = {"viewer": 0, "team": 1, "admin": 2}

# Every team route and API call, with the least role it needs. {w}: the wave, {c}: a case.
ROUTES: tuple[tuple[str, str, str], ...] = (
    ("GET", "/equipe", "viewer"),
    ("GET", "/equipe/telechargements/report.html", "viewer"),
    ("GET", "/equipe/export/{w}.csv", "team"),
    ("GET", "/equipe/saisie", "team"),
    ("POST", "/equipe/saisie", "team"),
    ("GET", "/equipe/utilisateurs", "admin"),
    ("POST", "/equipe/utilisateurs/desactiver", "admin"),
    ("GET", "/api/v1/waves", "viewer"),
    ("GET", "/api/v1/waves/{w}/responses", "viewer"),
    ("GET", "/api/v1/waves/{w}/responses/{c}", "viewer"),
    ("GET", "/api/v1/waves/{w}/results", "viewer"),
    ("PUT", "/api/v1/waves/{w}/responses/{c}", "team"),
)


@pytest.fixture
def team_client(store: Store, wave: Invited, tmp_path: Path) -> Iterator[TestClient]:
    """A client of an app with a downloads folder holding one report."""
    (tmp_path / "report.html").write_text("<p>rapport</p>", encoding="utf-8")
    settings = WebSettings(
        secret_key="test-secret-" + "k" * 20, downloads_dir=tmp_path, team_session_seconds=2
    )
    with client_class()(create_app(store, settings), base_url="https://testserver") as c:
        yield c


def _sign_in(client: TestClient, store: Store, username: str, role: str) -> None:
    if not any(u.username == username for u in store.users()):
        store.create_user(username, PASSWORD, role)  # type: ignore[arg-type]
    page = client.get("/equipe/login")
    r = client.post(
        "/equipe/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def _call(client: TestClient, method: str, path: str, token: str | None, csrf: str) -> int:
    if path.startswith("/api/"):
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = {"answers": COMPLETE, "status": "complete"} if method == "PUT" else None
        return client.request(method, path, headers=headers, json=body).status_code
    data = (
        {"csrf_token": csrf, "case_id": "nobody", "username": "zed"} if method == "POST" else None
    )
    r = client.request(method, path, data=data, follow_redirects=False)
    if r.status_code == 303 and r.headers["location"] == "/equipe/login":
        return 401
    return r.status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_route_checks_the_role(
    team_client: TestClient, store: Store, wave: Invited, role: str
) -> None:
    """Each route of the table answers a role below its need with 403, and serves the others."""
    w, codes = wave
    store.create_user("zed", PASSWORD, "viewer")
    _sign_in(team_client, store, f"user-{role}", role)
    _, secret = store.create_api_token(f"user-{role}", "test")
    csrf = csrf_of(team_client.get("/equipe").text)
    for method, template, needed in ROUTES:
        path = template.format(w=w.id, c=codes[0].case_id)
        status = _call(team_client, method, path, secret, csrf)
        if RANK[role] >= RANK[needed]:
            assert status not in (401, 403), (role, method, path, status)
        else:
            assert status == 403, (role, method, path, status)
    if role == "viewer":
        assert store.response(w.id, codes[0].case_id) is None  # nothing written
        assert store.user("zed").disabled_at is None


def test_anonymous_gets_nothing(team_client: TestClient, wave: Invited) -> None:
    """Without a session or token every route of the table sends to sign-in (401 for the API)."""
    w, codes = wave
    csrf = csrf_of(team_client.get("/equipe/login").text)
    for method, template, _ in ROUTES:
        path = template.format(w=w.id, c=codes[0].case_id)
        assert _call(team_client, method, path, None, csrf) == 401, (method, path)


def test_logout_ends_a_copied_cookie(team_client: TestClient, store: Store, wave: Invited) -> None:
    """A session cookie copied before sign-out no longer opens the team area or the export."""
    w, _ = wave
    _sign_in(team_client, store, "alice", "team")
    copied = dict(team_client.cookies)
    csrf = csrf_of(team_client.get("/equipe").text)
    team_client.post("/equipe/logout", data={"csrf_token": csrf})
    team_client.cookies.clear()
    for name, value in copied.items():
        team_client.cookies.set(name, value)
    for path in ("/equipe", f"/equipe/export/{w.id}.csv"):
        r = team_client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/equipe/login"


def test_disabled_user_cannot_save_paper(
    team_client: TestClient, store: Store, wave: Invited
) -> None:
    """Disabling a signed-in user ends its session: its next paper entry is refused, not stored."""
    w, codes = wave
    _sign_in(team_client, store, "alice", "team")
    csrf = csrf_of(team_client.get(f"/equipe/saisie?wave={w.id}").text)
    store.disable_user("alice")
    r = team_client.post(
        f"/equipe/saisie?wave={w.id}",
        data={"csrf_token": csrf, "case_id": codes[0].case_id, **COMPLETE},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/equipe/login"
    assert store.response(w.id, codes[0].case_id) is None


def test_sessions_expire(team_client: TestClient, store: Store) -> None:
    """A team session lives no longer than its configured lifetime (2 s here)."""
    _sign_in(team_client, store, "alice", "team")
    assert team_client.get("/equipe", follow_redirects=False).status_code == 200
    time.sleep(2.2)
    r = team_client.get("/equipe", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/equipe/login"


def test_cli_disable_and_token_revoke(
    team_client: TestClient, store: Store, database_url: str
) -> None:
    """`barometre user disable` ends open sessions; `barometre token revoke` stops a token."""
    from typer.testing import CliRunner

    _sign_in(team_client, store, "alice", "team")
    _, secret = store.create_api_token("alice", "nightly")
    store.create_user("bob", PASSWORD, "team")
    token, bob_secret = store.create_api_token("bob", "script")
    runner = CliRunner()
    revoked = runner.invoke(cli_app, ["token", "revoke", str(token.id), "--url", database_url])
    assert revoked.exit_code == 0, revoked.output
    api = team_client.get("/api/v1/waves", headers={"authorization": f"Bearer {bob_secret}"})
    assert api.status_code == 401
    result = runner.invoke(cli_app, ["user", "disable", "alice", "--url", database_url])
    assert result.exit_code == 0, result.output
    r = team_client.get("/equipe", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/equipe/login"
    assert store.find_api_token(secret) is None
    unknown = runner.invoke(cli_app, ["user", "disable", "nobody", "--url", database_url])
    assert unknown.exit_code == 1 and "nobody" in unknown.output
    missing = runner.invoke(cli_app, ["token", "revoke", "999", "--url", database_url])
    assert missing.exit_code == 1 and "999" in missing.output
