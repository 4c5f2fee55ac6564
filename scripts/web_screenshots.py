"""Screenshots of the diagnostic and the team dashboard at 1280 and 390 px, for docs/web.md.

Serves a store (the demo's, by default) on 127.0.0.1, creates a throw-away team account if
needed, and drives Debian's chromium with Playwright:

    uv run python -m barometre demo                       # or any published wave's store
    uv run python scripts/web_screenshots.py demo-output/barometre.sqlite docs/images
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from barometre.store import open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import COMPLETE

USER, PASSWORD = "screenshots", "screenshots-" + "x" * 12
SHORT_FORM = {
    **{k: v for k, v in COMPLETE.items() if k.startswith("net_")},
    "activity": "active",
    "tempo": "bon_tempo",
    "strategy": "no",
    "spend": "lt_5k",
    "staff_trained": "no",
    "marketing_team": "no",
    "leader_activity": "peu_active",
    "size_band": "20-49",
    "sector": "transport",
    "market": "b2b",
}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(database: Path, out: Path) -> None:
    store = open_store(f"sqlite:///{database}")
    if not any(u.username == USER for u in store.users()):
        store.create_user(USER, PASSWORD, "team")
    app = create_app(store, WebSettings(secret_key="shots-" + "k" * 26, secure_cookies=False))
    port = _port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base + "/diagnostic")
            for name, value in SHORT_FORM.items():
                page.check(f'input[name="{name}"][value="{value}"]')
            page.click("form button[type=submit]")
            page.wait_for_url("**/diagnostic/resultat**")
            page.screenshot(path=str(out / f"diagnostic-{width}.png"), full_page=True)
            page.goto(base + "/equipe/login")
            page.fill("#username", USER)
            page.fill("#password", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url("**/equipe")
            page.screenshot(path=str(out / f"dashboard-{width}.png"), full_page=True)
            page.close()
        browser.close()
    server.should_exit = True
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
