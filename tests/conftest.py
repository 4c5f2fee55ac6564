"""Shared fixtures: a real PostgreSQL server for the test session, and a fresh database per test.

The server is the machine's own PostgreSQL binaries (Debian's `postgresql` package) run as a
private, throw-away cluster on a free loopback port, so the tests need no pre-configured
service. Set BAROMETRE_TEST_PG_URL to use an existing server instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pg_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if not candidates:
        pytest.fail(
            "PostgreSQL server binaries not found (initdb). Install Debian's `postgresql` "
            "package (`make test` does it) or set BAROMETRE_TEST_PG_URL."
        )
    return Path(candidates[0]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as_postgres(args: list[str]) -> None:
    # initdb and postgres refuse to run as root; drop to the `postgres` system user then.
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    subprocess.run(args, check=True, capture_output=True, text=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base URL (without database name) of a running PostgreSQL server."""
    existing = os.environ.get("BAROMETRE_TEST_PG_URL")
    if existing:
        yield existing.rsplit("/", 1)[0]
        return
    bindir = _pg_bindir()
    workdir = Path(tempfile.mkdtemp(prefix="barometre-pg-"))
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(workdir, pg.pw_uid, pg.pw_gid)
    data, port = workdir / "data", _free_port()
    _run_as_postgres(
        [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    )
    _run_as_postgres(
        [
            str(bindir / "pg_ctl"), "-D", str(data), "-l", str(workdir / "log"), "-w", "start",
            "-o", f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
        ]
    )  # fmt: skip  # an option and its value stay on one line
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        _run_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(workdir, ignore_errors=True)


def _create_pg_database(server: str) -> str:
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{server}/{name}"


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """URL of a new, empty PostgreSQL database for one test."""
    return _create_pg_database(postgres_server)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a new, empty database, once on SQLite (a file) and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'barometre.sqlite'}"
    return _create_pg_database(request.getfixturevalue("postgres_server"))
