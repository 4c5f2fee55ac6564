"""Schema migrations, run from Python: no alembic.ini, the scripts ship inside the package."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Engine

from barometre.store._engine import WRITE
from barometre.store.errors import StoreConfigError

MIGRATIONS = Path(__file__).parent / "migrations"

# Any constant will do: it only has to be the same for every process running migrations.
_PG_MIGRATION_LOCK = 0x6261726F


def _config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision the installed code knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`; safe when several processes start at once."""
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        # SQLite: BEGIN IMMEDIATE already serialises migrators. PostgreSQL: a lock for it.
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        try:
            command.upgrade(_config(conn), revision)
        except CommandError as exc:
            current = MigrationContext.configure(conn).get_current_revision()
            raise StoreConfigError(
                f"the database schema is at revision {current!r}, which this version of "
                f"barometre does not know (newest: {head_revision()!r}): is the database "
                f"newer than the code? ({exc})"
            ) from exc


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to `revision` ("base" empties it); for development."""
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        command.downgrade(_config(conn), revision)
