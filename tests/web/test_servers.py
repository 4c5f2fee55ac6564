"""Several server processes on one database: sessions, limits and the one-completion rule hold
across them; a master's death takes its workers with it (issue 15, finding 10)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from barometre.store import open_store
from barometre.web.testing import COMPLETE, csrf_of, open_wave_with_invitations

BAROMETRE = str(Path(sys.executable).parent / "barometre")
PASSWORD = "correct horse battery staple"
ENV = {**os.environ, "BAROMETRE_SECRET_KEY": "servers-test-" + "s" * 32}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(base: str, server: subprocess.Popen[bytes], seconds: float = 300) -> None:
    # Generous: a server's imports take seconds of CPU, and the machine may be shared.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            if httpx.get(base + "/static/style.css", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not start")


def _serve(url: str, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    command = [BAROMETRE, "serve", "--url", url, "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture
def two_servers(postgres_url: str) -> Iterator[tuple[str, str, str]]:
    """Two `barometre serve` processes on one PostgreSQL database with an open wave."""
    store = open_store(postgres_url)
    open_wave_with_invitations(store, "2026", 6, seed=5)
    store.create_user("alice", PASSWORD, "team")
    store.close()
    ports = (_free_port(), _free_port())
    servers = [_serve(postgres_url, p) for p in ports]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for base, server in zip(bases, servers, strict=True):
            _wait_up(base, server)
        yield bases[0], bases[1], postgres_url
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


@pytest.mark.postgres
def test_two_servers_share_sessions_limits_and_completions(
    two_servers: tuple[str, str, str],
) -> None:
    """Alternating requests between two servers: one sign-in and one sign-out hold on both,
    failed codes are counted together, and concurrent completions keep exactly one."""
    a, b, url = two_servers
    with httpx.Client(follow_redirects=False) as client:
        page = client.get(a + "/equipe/login")
        signed = client.post(
            a + "/equipe/login",
            data={"username": "alice", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        )
        assert signed.status_code == 303
        seen = client.get(b + "/equipe")
        assert seen.status_code == 200  # the session opened on A is known to B
        client.post(b + "/equipe/logout", data={"csrf_token": csrf_of(seen.text)})
        copied = dict(signed.cookies)
    with httpx.Client(follow_redirects=False, cookies=copied) as stale:
        assert stale.get(a + "/equipe").headers["location"] == "/equipe/login"

    with httpx.Client(follow_redirects=False) as guesser:
        statuses = []
        for i in range(13):
            base = (a, b)[i % 2]
            csrf = csrf_of(guesser.get(base + "/").text)
            r = guesser.post(base + "/code", data={"code": f"ZZ{i:03d}", "csrf_token": csrf})
            statuses.append(r.status_code)
    assert statuses[:10] == [422] * 10 and 429 in statuses[10:]  # 10 per address, not 20

    store = open_store(url)
    try:
        wave = store.wave_by_name("2026")
        case = store.cases(wave.id)[0].case_id
        _, secret = store.create_api_token("alice", "servers test")
        store.save_response(wave.id, case, {"website": "vitrine"}, "partial")
        answers = {**COMPLETE, "headcount": 14}
        barrier = threading.Barrier(4)
        outcomes: list[int] = []

        def complete(i: int) -> None:
            body = {"answers": {**answers, "comment": f"writer {i}"}, "status": "complete"}
            barrier.wait()
            r = httpx.put(
                f"{(a, b)[i % 2]}/api/v1/waves/{wave.id}/responses/{case}",
                json=body,
                headers={"authorization": f"Bearer {secret}"},
                timeout=60,
            )
            outcomes.append(r.status_code)

        threads = [threading.Thread(target=complete, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == [200, 409, 409, 409]
        assert [d.code for d in store.disposition_history(wave.id, case)].count("1.1") == 1
    finally:
        store.close()


def test_killing_the_master_stops_its_workers(tmp_path: Path) -> None:
    """kill -9 of `barometre serve --workers 2`: its workers stop and the port is free again."""
    url = f"sqlite:///{tmp_path / 'kill.sqlite'}"
    open_store(url).close()
    port = _free_port()
    master = _serve(url, port, workers=2)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, master)
        deadline = time.monotonic() + 300
        while len(_children(master.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = [p for p in _children(master.pid) if _alive(p)]
        assert len(workers) >= 2
        os.kill(master.pid, signal.SIGKILL)
        master.wait(timeout=10)
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(p) for p in workers), "orphaned workers still running"
        assert _port_free(port)
        again = _serve(url, port)
        try:
            _wait_up(base, again)  # a restart on the same port works
        finally:
            again.terminate()
            again.wait(timeout=30)
    finally:
        if master.poll() is None:
            master.kill()
