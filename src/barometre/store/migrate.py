"""Schema migrations, run from Python: no alembic.ini, the scripts ship inside the package.

Alembic is imported only to migrate: every command opens the store, and a database already
at the newest revision (read from `alembic_version` and the scripts' own `revision` lines)
needs nothing of it (importing it cost 0.3 s of each command's start).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from barometre.store._engine import WRITE
from barometre.store.errors import StoreConfigError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

# Any constant will do: it only has to be the same for every process running migrations.
_PG_MIGRATION_LOCK = 0x6261726F

# `revision: str = "0008"` and `down_revision: str | None = "0007"` (or None) in a script.
_REVISION_LINE = re.compile(
    r"^(down_revision|revision)\b[^=\n]*=\s*(?:None|['\"]([^'\"]+)['\"])\s*$", re.M
)


@cache
def scripts_head() -> str | None:
    """The newest revision of the shipped scripts, read from their `revision` and
    `down_revision` lines without alembic; None unless they form a single chain (alembic
    then decides)."""
    revisions: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = dict((m[1], m[2]) for m in _REVISION_LINE.finditer(script.read_text("utf-8")))
        if "revision" not in found or not found["revision"] or "down_revision" not in found:
            return None
        revisions[found["revision"]] = found["down_revision"]
    parents = set(revisions.values())
    heads = [r for r in revisions if r not in parents]
    return heads[0] if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    """True when the database's one recorded revision is the scripts' head (no alembic)."""
    head = scripts_head()
    if head is None:
        return False
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return False
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return [tuple(r) for r in rows] == [(head,)]


def _config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision the installed code knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`; safe when several processes start at once.

    A database already at the head is left alone without importing alembic.
    """
    if revision == "head" and _at_head(engine):
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.util.exc import CommandError

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
    from alembic import command

    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        command.downgrade(_config(conn), revision)
