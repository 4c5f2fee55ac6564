"""Migrations build the schema from an empty database and match the declared tables."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from barometre.store import open_store
from barometre.store.migrate import current_revision, downgrade, head_revision
from barometre.store.schema import metadata


def test_migrates_empty_database_to_head(database_url: str) -> None:
    """Opening an empty database migrates it to the newest revision with every table."""
    store = open_store(database_url)
    try:
        assert current_revision(store.engine) == head_revision()
        tables = set(sa.inspect(store.engine).get_table_names())
        assert set(metadata.tables) <= tables
        assert store.info().up_to_date
    finally:
        store.close()


def test_migrated_schema_matches_declared_tables(database_url: str) -> None:
    """Autogenerate finds no difference between the migrated database and schema.py."""
    store = open_store(database_url)
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    finally:
        store.close()


def test_upgrade_is_idempotent_and_reversible(database_url: str) -> None:
    """A second upgrade changes nothing; downgrading to base removes every table."""
    store = open_store(database_url)
    try:
        store.upgrade()
        assert store.info().revision == head_revision()
        downgrade(store.engine, "base")
        assert current_revision(store.engine) is None
        assert not set(metadata.tables) & set(sa.inspect(store.engine).get_table_names())
    finally:
        store.close()


def test_open_without_upgrade_leaves_database_empty(database_url: str) -> None:
    """`open_store(upgrade=False)` creates nothing, and info says the schema is behind."""
    store = open_store(database_url, upgrade=False)
    try:
        info = store.info()
        assert info.revision is None
        assert not info.up_to_date
        assert info.row_counts == {}
    finally:
        store.close()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every SQLite connection runs in WAL mode with a busy timeout and foreign keys on."""
    store = open_store(f"sqlite:///{tmp_path / 'b.sqlite'}", busy_timeout_ms=1234)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()
