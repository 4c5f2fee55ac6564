"""Security headers, cookies, escaping and opt-out links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave
from barometre.web.testing import COMPLETE, complete_questionnaire, csrf_of

if TYPE_CHECKING:
    from starlette.testclient import TestClient


def test_headers(client: TestClient) -> None:
    """Every page carries a strict CSP, no-referrer, nosniff, frame denial, HSTS, no-store."""
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "max-age" in r.headers["strict-transport-security"]
    assert r.headers["cache-control"] == "no-store"


def test_session_cookie_is_secure(client: TestClient) -> None:
    """The session cookie is Secure, HttpOnly and SameSite=Lax."""
    r = client.get("/")
    cookie = r.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_free_text_is_escaped(
    client: TestClient, store: Store, wave: tuple[Wave, list[InvitationCode]]
) -> None:
    """A script typed in the comment box is stored as text and shown escaped."""
    w, codes = wave
    first = client.get(f"/r/{codes[0].token}")
    complete_questionnaire(client, first, COMPLETE)
    stored = store.response(w.id, codes[0].case_id)
    assert stored is not None and stored.answers["comment"].startswith("<script>")  # type: ignore[union-attr]


def test_opt_out(client: TestClient, store: Store, wave: tuple[Wave, list[InvitationCode]]) -> None:
    """The opt-out link asks for confirmation, then records the opt-out once."""
    w, codes = wave
    page = client.get(f"/opt-out/{codes[1].token}")
    assert page.status_code == 200 and store.invitation(w.id, codes[1].case_id).opted_out_at is None  # type: ignore[union-attr]
    done = client.post(f"/opt-out/{codes[1].token}", data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 200
    assert store.invitation(w.id, codes[1].case_id).opted_out  # type: ignore[union-attr]
    assert store.current_dispositions(w.id)[codes[1].case_id] == "2.111"


def test_one_click_unsubscribe(
    client: TestClient, store: Store, wave: tuple[Wave, list[InvitationCode]]
) -> None:
    """An RFC 8058 one-click POST from a mail client opts out without a form."""
    w, codes = wave
    r = client.post(f"/opt-out/{codes[2].token}", data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200 and store.invitation(w.id, codes[2].case_id).opted_out  # type: ignore[union-attr]
