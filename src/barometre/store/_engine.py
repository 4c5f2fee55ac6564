"""Engines for the store: SQLite tuned for many short writers, PostgreSQL through psycopg 3."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from barometre.store.errors import StoreConfigError

DEFAULT_BUSY_TIMEOUT_MS = 10_000
# A pooled PostgreSQL connection idle for longer than this is checked before use.
IDLE_PING_SECONDS = 10.0

# Connection option asking for a write transaction (SQLite: BEGIN IMMEDIATE).
WRITE = "barometre_write"


def create_store_engine(
    url: str,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    engine_options: Mapping[str, Any] | None = None,
) -> Engine:
    """An engine for `url`: `sqlite:///path` (the default kind) or `postgresql+psycopg://...`.

    `engine_options` go to `sqlalchemy.create_engine` (e.g. `pool_size`, `max_overflow`).
    """
    options = dict(engine_options or {})
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreConfigError(f"not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, busy_timeout_ms, options)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.drivername != "postgresql+psycopg":
            raise StoreConfigError(
                f"PostgreSQL is reached through psycopg 3: use postgresql+psycopg://, "
                f"not {parsed.drivername}://"
            )
        engine = sa.create_engine(parsed, **options)
        if "pool_pre_ping" not in options:
            _ping_when_idle(engine)
        return engine
    raise StoreConfigError(
        f"unsupported database {backend!r} in {url!r}: use sqlite:/// or postgresql+psycopg://"
    )


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it has been idle for a while.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: one more round trip per request,
    a third of a page submit's time on a busy PostgreSQL. A connection used moments ago is
    alive (a server restart since shows up as an error and empties the pool); one idle for
    `IDLE_PING_SECONDS` is pinged, and replaced when the ping fails.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        record.info["barometre_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("barometre_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as exc:  # any failure: the pool drops it and connects anew
            raise sa.exc.DisconnectionError(str(exc)) from exc


def _sqlite_engine(url: sa.URL, busy_timeout_ms: int, options: dict[str, Any]) -> Engine:
    if url.database in (None, "", ":memory:"):
        raise StoreConfigError(
            "the store needs a SQLite file (sqlite:///path/to/file.sqlite), not an in-memory "
            "database: each connection would see a different, empty database"
        )
    # SQLite connections are cheap and WAL readers never block: allow many, so that a busy
    # web app's threads wait on the write lock (busy_timeout), not on the pool.
    defaults = {
        "pool_size": 10,
        "max_overflow": 40,
        "connect_args": {"timeout": busy_timeout_ms / 1000},
    }
    engine = sa.create_engine(url, **{**defaults, **options})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
        # writers can take the write lock up front (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros, not left in free pages: an erasure
        # (GDPR) must not leave the erased text readable in the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A deferred transaction that reads then writes cannot wait for the lock (SQLite
        # returns SQLITE_BUSY at once to avoid a deadlock); writers therefore start with
        # BEGIN IMMEDIATE, which does honour busy_timeout. Readers stay deferred and, with
        # WAL, never wait for writers.
        # Sent on the driver's connection: through `exec_driver_sql` this one statement cost
        # as much as a page save's own reads and writes (an execution context, events and a
        # result for a statement that returns nothing). Its errors are wrapped as SQLAlchemy
        # wraps the others, so that callers see one kind of database error.
        statement = "BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE) else "BEGIN"
        try:
            connection.connection.driver_connection.execute(statement)  # type: ignore[union-attr]
        except sqlite3.Error as exc:
            raise sa.exc.OperationalError(statement, None, exc) from exc

    return engine
