"""A server stopped normally leaves SQLite's WAL empty: what it wrote, erasures included, is in
the main file and nowhere else (issue 15, finding 7: the server did not checkpoint on shutdown)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from barometre.store import open_store
from barometre.web.testing import open_wave_with_invitations

from .conftest import free_port
from .test_servers import BAROMETRE, ENV, _wait_up

PASSWORD = "correct horse battery staple"
COMMENT = "a comment only this test writes, 7f3c"


def test_sigterm_checkpoints_the_wal_into_the_main_file(tmp_path: Path) -> None:
    """While serving, the answer sits in the WAL; after SIGTERM the WAL is gone or empty and
    the answer is in the main database file."""
    database = tmp_path / "served.sqlite"
    url = f"sqlite:///{database}"
    with open_store(url) as store:
        wave, codes = open_wave_with_invitations(store, "2026", 3, seed=5)
        store.create_user("api-team", PASSWORD, "team")
        _, secret = store.create_api_token("api-team", "tests")
    wal = Path(f"{database}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # closing the store checkpointed
    port = free_port()
    server = subprocess.Popen(
        [BAROMETRE, "serve", "--url", url, "--port", str(port)],
        env=ENV,
        stdout=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_up(base, server)
        saved = httpx.put(
            f"{base}/api/v1/waves/{wave.id}/responses/{codes[0].case_id}",
            json={"answers": {"comment": COMMENT}, "status": "partial"},
            headers={"Authorization": f"Bearer {secret}"},
            timeout=60,
        )
        assert saved.status_code == 200, saved.text
        assert COMMENT.encode() in wal.read_bytes()  # the test sees where the answer waits
    finally:
        server.terminate()
        # uvicorn shuts down gracefully, then re-raises SIGTERM
        assert server.wait(timeout=60) in (0, -15)
    assert not wal.exists() or wal.stat().st_size == 0
    assert COMMENT.encode() in database.read_bytes()
