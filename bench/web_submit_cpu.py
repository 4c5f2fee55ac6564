"""CPU of one page submit inside the app, without network or load client.

    uv run python bench/web_submit_cpu.py [--url sqlite:///tmp/x.sqlite] [--submits 3000]

Opens a wave with 50 invited respondents on a fresh store, signs each in through its
personal link, then POSTs the first questionnaire page straight into the ASGI app, cycling
over the respondents (200 warm-up submits first), and prints the process CPU per submit.
Every submit must be answered 303 to the next page (not to the home page: a session lost
would make the figure meaningless). Compare two checkouts by running it with each one's
`src` first on PYTHONPATH, alternately, and keep the best of a few rounds of each.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from typing import Any

import httpx

from barometre.store import open_store
from barometre.web.app import create_app
from barometre.web.settings import WebSettings
from barometre.web.testing import csrf_of, open_wave_with_invitations, post_scope


async def submit(app: Any, cookie: bytes, token: str) -> None:
    body = f"csrf_token={token}&website=vitrine".encode()
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"content-length", str(len(body)).encode()),
        (b"cookie", cookie),
    ]
    scope = post_scope("/q/site", headers)
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    answer: list[tuple[int, bytes | None]] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.append((message["status"], dict(message["headers"]).get(b"location")))

    await app(scope, receive, send)
    if not answer or answer[0][0] != 303 or answer[0][1] in (None, b"/"):
        raise SystemExit(f"a submit was not saved: {answer}")


async def run(url: str, submits: int) -> float:
    store = open_store(url)
    _, codes = open_wave_with_invitations(store, f"cpu{os.getpid()}", 50, seed=1)
    app = create_app(store, WebSettings.from_env(secure_cookies=False))
    sessions = []
    transport = httpx.ASGITransport(app=app)
    for code in codes:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1:8000", follow_redirects=True
        ) as client:
            page = await client.get(f"/r/{code.token}")
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            sessions.append((cookie.encode(), csrf_of(page.text)))
    async with app.router.lifespan_context(app):
        for i in range(200):
            await submit(app, *sessions[i % len(sessions)])
        start = time.process_time()
        for i in range(submits):
            await submit(app, *sessions[i % len(sessions)])
        return (time.process_time() - start) / submits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--submits", type=int, default=3000)
    args = parser.parse_args()
    os.environ.setdefault("BAROMETRE_SECRET_KEY", "cpu-bench-" + "s" * 32)
    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='barometre-cpu-')}/cpu.sqlite"
    cpu = asyncio.run(run(url, args.submits))
    print(f"{1000 * cpu:.3f} ms CPU per page submit ({args.submits} submits, {url.split(':')[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
