"""A client that disconnects mid-POST is no server error: no traceback in the server's log, the
server keeps answering, and the app's answer is a plain 400 (issue 15, finding 6: bad input)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from barometre.store import Store, open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import open_wave_with_invitations, post_scope

from .conftest import free_port
from .test_servers import BAROMETRE, ENV, _wait_up

FORM = "application/x-www-form-urlencoded"
# Routes that read a form (the CSRF-checked helper, the opt-out form) and the API's JSON body.
TRUNCATED = (
    ("POST", "/code", FORM, b"code=K7QF"),
    ("POST", "/equipe/login", FORM, b"username=alice&pass"),
    ("POST", "/diagnostic", FORM, b"csrf_token=abc&size_"),
    ("POST", "/q/s1", FORM, b"csrf_token=abc"),
    ("PUT", "/api/v1/waves/1/responses/1-000001", "application/json", b'{"answers": {"q'),
)


def _truncated_request(port: int, method: str, path: str, kind: str, body: bytes) -> None:
    """Announce 5,000 bytes (under the 256 KiB limit), send a few, and close the socket."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: {kind}\r\nAuthorization: Bearer not-a-token\r\n"
            "Content-Length: 5000\r\n\r\n"
        )
        s.sendall(head.encode() + body)
        time.sleep(0.3)  # the server is reading the body when the client goes


def test_a_disconnect_mid_post_leaves_no_traceback(tmp_path: Path) -> None:
    """Five truncated POST/PUT bodies, then a normal request: the log holds no traceback and
    no ASGI exception, and the server answers 200."""
    url = f"sqlite:///{tmp_path / 'd.sqlite'}"
    with open_store(url) as store:
        open_wave_with_invitations(store, "2026", 3, seed=5)
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [BAROMETRE, "serve", "--url", url, "--port", str(port)],
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_up(base, server)
            for method, path, kind, body in TRUNCATED:
                _truncated_request(port, method, path, kind, body)
            time.sleep(0.5)
            assert server.poll() is None, "the server stopped"
            assert httpx.get(base + "/", timeout=30).status_code == 200
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "barometre web app" in text  # the log is the server's
    assert "Traceback" not in text, text
    assert "Exception in ASGI application" not in text, text
    assert "ClientDisconnect" not in text, text


def _asgi_post(app: Any, path: str, body: bytes) -> list[dict[str, Any]]:
    """Drive the app as uvicorn does: part of the body, then the client's disconnect."""
    messages = [
        {"type": "http.request", "body": body, "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [
        (b"host", b"127.0.0.1"),
        (b"content-type", FORM.encode()),
        (b"content-length", b"5000"),
    ]
    scope = post_scope(path, headers)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await app(scope, receive, send)

    asyncio.run(run())
    return sent


def test_the_app_answers_400_to_an_abandoned_form(store: Store) -> None:
    """The CSRF-checked form helper turns starlette's ClientDisconnect into a plain 400."""
    open_wave_with_invitations(store, "2026", 2, seed=3)
    app = create_app(store, WebSettings(secret_key="test-secret-" + "k" * 20))
    for path in ("/code", "/equipe/login", "/diagnostic"):
        sent = _asgi_post(app, path, b"code=K7")
        start = next(m for m in sent if m["type"] == "http.response.start")
        assert start["status"] == 400, (path, start)
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        assert b"client disconnected" in body
