"""Migrations build the schema from an empty database and match the declared tables."""

from __future__ import annotations

import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from barometre.store import Store, StoreConfigError, open_store
from barometre.store._engine import create_store_engine
from barometre.store.migrate import (
    current_revision,
    downgrade,
    head_revision,
    scripts_head,
    upgrade,
)
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


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    """Every SQLite connection runs in WAL mode with a busy timeout and foreign keys on."""
    store = open_store(f"sqlite:///{tmp_path / 'b.sqlite'}", busy_timeout_ms=1234)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()


def test_upgrade_from_first_revision_keeps_data(database_url: str) -> None:
    """A database at revision 0001 with data upgrades to head and keeps its rows."""
    engine = create_store_engine(database_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO waves (name, questionnaire_id, questionnaire_version, frame_description,"
            " status, created_at) VALUES ('2018', 'bpi2018', '2018.1', '', 'closed',"
            " '2018-06-30 12:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO benchmarks (wave_id, peer_cell, indicator, estimate, ci_low, ci_high,"
            " n, suppressed) VALUES (1, 'all', 'present', 0.7, 0.68, 0.72, 1657, false)"
        )
        conn.exec_driver_sql("INSERT INTO frame_units (wave_id, siren) VALUES (1, '732829320')")
        conn.exec_driver_sql(
            "INSERT INTO samples (wave_id, unit_id, case_id, stratum, inclusion_probability,"
            " design_weight) VALUES (1, 1, '1-000001', 's', 0.5, 2.0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO invitations (wave_id, sample_id, token_hash, short_code, created_at,"
            " reminder_count) VALUES (1, 1, 'abc', 'K7QF3MZPX', '2018-03-01 09:00:00', 0)"
        )
    store = Store(engine)
    try:
        store.upgrade()
        assert store.info().up_to_date
        assert store.wave_by_name("2018").status == "closed"
        (row,) = store.benchmark(1)
        assert row.n == 1657
        table = store.benchmark_table(1)  # a pre-0002 table: its smallest shown cell is its min_n
        assert table is not None and table.min_n == 1657
        found = store.find_invitation_by_short_code("k7qf-3mzp-x")
        assert found is not None and found.case_id == "1-000001"
    finally:
        store.close()


def test_processes_starting_together_migrate_once(database_url: str) -> None:
    """Several stores opening one empty database at once all end up at head, without error."""

    def start(_: int) -> str | None:
        store = open_store(database_url)
        try:
            return store.info().revision
        finally:
            store.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        revisions = list(pool.map(start, range(4)))
    assert revisions == [head_revision()] * 4


def test_unreachable_database_is_a_clean_error(tmp_path: Path) -> None:
    """A SQLite file in a missing folder, or a closed PostgreSQL port, names the database."""
    with pytest.raises(StoreConfigError, match="cannot open the database"):
        open_store(f"sqlite:///{tmp_path / 'missing' / 'b.sqlite'}")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreConfigError, match=f"127.0.0.1:{port}"):
        open_store(f"postgresql+psycopg://nobody@127.0.0.1:{port}/db", upgrade=False)
    with pytest.raises(StoreConfigError, match="in-memory"):
        open_store("sqlite://")


def test_database_newer_than_the_code_is_a_clean_error(database_url: str) -> None:
    """A schema revision the code does not know is reported, not half-migrated."""
    open_store(database_url).close()
    engine = create_store_engine(database_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(StoreConfigError, match="'9999'"):
        open_store(database_url)


def test_scripts_head_read_without_alembic_is_alembics_head() -> None:
    """The head read from the scripts' `revision` lines is the one alembic finds."""
    assert scripts_head() == head_revision()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    """A store already at the newest revision opens without loading alembic; an older one
    is still migrated."""
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    open_store(url).close()
    code = (
        "import sys\nfrom barometre.store import open_store\n"
        f"open_store({url!r}).close()\nprint('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"], out.stderr
    engine = create_store_engine(url)
    downgrade(engine, "0007")
    engine.dispose()
    store = open_store(url)
    try:
        assert current_revision(store.engine) == head_revision()
    finally:
        store.close()
