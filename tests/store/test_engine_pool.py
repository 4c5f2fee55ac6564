"""PostgreSQL's pool pings a connection only after it sat idle, and replaces a dead one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from barometre.store import _engine
from barometre.store._engine import create_store_engine

pytestmark = pytest.mark.postgres


def _statements(engine: sa.Engine) -> list[str]:
    seen: list[str] = []
    sa.event.listen(
        engine, "before_cursor_execute", lambda conn, cursor, text, *rest: seen.append(text)
    )
    return seen


def test_a_connection_used_moments_ago_is_not_pinged(postgres_url: str) -> None:
    engine = create_store_engine(postgres_url)
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 2"))
    statements = _statements(engine)
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 3"))
    assert statements == ["SELECT 3"]  # no ping round trip before it
    engine.dispose()


def test_an_idle_connection_killed_by_the_server_is_replaced(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_store_engine(postgres_url, engine_options={"pool_size": 1})
    with engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    other = sa.create_engine(postgres_url)
    with other.connect() as conn:
        assert conn.execute(sa.text(f"SELECT pg_terminate_backend({pid})")).scalar_one()
    other.dispose()
    monkeypatch.setattr(_engine, "IDLE_PING_SECONDS", 0.0)  # the pooled one counts as idle
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != pid
    engine.dispose()
