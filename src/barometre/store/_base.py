"""What every repository of the store shares: the engine, transactions, lookups by survey id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from barometre.questionnaire import Questionnaire, questionnaire_from_dict
from barometre.store import schema as t
from barometre.store._driver import DriverTransaction, Statements, driver_write
from barometre.store._engine import WRITE
from barometre.store._questionnaire import QuestionnaireCatalog
from barometre.store._types import utcnow
from barometre.store.errors import NotFoundError, WaveStatusError, WriteFailed

# Allowed moves; published results are served as they are, so a published wave can only
# be archived (no longer the self-diagnostic's benchmark, still in trends), never reopened.
_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"open"}),
    "open": frozenset({"closed"}),
    "closed": frozenset({"open", "published"}),
    "published": frozenset({"archived"}),
    "archived": frozenset(),
}
_STATUS_WORDS = {
    "draft": "a draft",
    "open": "open (in fieldwork)",
    "closed": "closed",
    "published": "published",
    "archived": "archived",
}


def status_words(status: str) -> str:
    """A wave's status as said in a sentence ("is a draft", "is open (in fieldwork)")."""
    return _STATUS_WORDS.get(status, status)


_VERB = {
    "draft": "made a draft again",
    "open": "opened",
    "closed": "closed",
    "published": "published",
    "archived": "archived",
}


def pairs(result: Any) -> dict[Any, Any]:
    """A dict from a two-column result (`dict(result)` would see a mapping of column names)."""
    return {key: value for key, value in result}


@contextmanager
def _write_errors() -> Iterator[None]:
    """A write's database errors as callers see them, whichever way the write ran."""
    try:
        yield
    except sa.exc.IntegrityError:
        raise  # callers translate these into DuplicateError or retry
    except sa.exc.DBAPIError as exc:
        raise WriteFailed(f"the database refused the write: {exc.orig}") from exc


class StoreBase:
    """The engine and the transaction helpers the repositories use."""

    def __init__(
        self,
        engine: Engine,
        catalog: QuestionnaireCatalog | None = None,
        password_hasher: PasswordHasher | None = None,
    ) -> None:
        self._engine = engine
        self._catalog = catalog or QuestionnaireCatalog()
        # Stored definitions never change (a different one needs a new version): cache them.
        self._questionnaires: dict[tuple[str, str], Questionnaire] = {}
        # argon2-cffi's defaults (RFC 9106 low-memory profile: argon2id, 64 MiB, t=3).
        self._hasher = password_hasher or PasswordHasher()
        self._statements = Statements(engine.dialect)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for reading in notebooks; write through the methods)."""
        return self._engine

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """A write transaction: committed at the end, rolled back entirely on any error."""
        connection = self._engine.connect().execution_options(**{WRITE: True})
        with connection as conn, _write_errors(), conn.begin():
            yield conn

    @contextmanager
    def _driver_write(self) -> Iterator[DriverTransaction]:
        """A write transaction run on the driver's connection (see `_driver`), for the hot
        path of saving responses; errors as from `_write`."""
        # SQLite: the write lock up front, as `_write` takes it (see _engine._on_begin).
        begin = "BEGIN IMMEDIATE" if self._engine.dialect.name == "sqlite" else None
        with _write_errors(), driver_write(self._engine, self._statements, begin) as transaction:
            yield transaction

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        """A read-only transaction (one consistent snapshot)."""
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def _questionnaire(self, conn: sa.Connection, qid: str, version: str) -> Questionnaire:
        """A wave's questionnaire: its stored definition, else a built-in or registered one."""
        key = (qid, version)
        found = self._questionnaires.get(key)
        if found is None:
            text = conn.execute(
                sa.select(t.questionnaires.c.definition_json).where(
                    t.questionnaires.c.questionnaire_id == qid,
                    t.questionnaires.c.version == version,
                )
            ).scalar()
            found = (
                questionnaire_from_dict(json.loads(text))
                if text is not None
                else self._catalog.get(qid, version)
            )
            self._questionnaires[key] = found
        return found

    def _questionnaire_of(self, qid: str, version: str) -> Questionnaire:
        """`_questionnaire` without a connection at hand: read in a transaction of its own
        the first time (definitions never change, so a cached one is never stale)."""
        found = self._questionnaires.get((qid, version))
        if found is None:
            with self._read() as conn:
                found = self._questionnaire(conn, qid, version)
        return found

    def _wave_name(self, wave_id: int) -> str:
        """A wave's name, for a message (NotFoundError when there is no such wave)."""
        with self._read() as conn:
            return str(self._wave_row(conn, wave_id).name)

    @staticmethod
    def _wave_row(conn: sa.Connection, wave_id: int) -> sa.Row[tuple[object, ...]]:
        row = conn.execute(sa.select(t.waves).where(t.waves.c.id == wave_id)).first()
        if row is None:
            raise NotFoundError(f"no wave with id {wave_id}")
        return row

    @staticmethod
    def _case_row(conn: sa.Connection, wave_id: int, case_id: str) -> sa.Row[tuple[object, ...]]:
        """The sample row of a case, joined with its frame unit's SIREN."""
        row = conn.execute(
            sa.select(t.samples, t.frame_units.c.siren)
            .join(t.frame_units, t.frame_units.c.id == t.samples.c.unit_id)
            .where(t.samples.c.wave_id == wave_id, t.samples.c.case_id == case_id)
        ).first()
        if row is None:
            raise NotFoundError(f"wave {wave_id} has no case {case_id!r} in its sample")
        return row

    def _change_status(self, conn: sa.Connection, wave_id: int, status: str) -> None:
        row = self._wave_row(conn, wave_id)
        current = "archived" if row.archived_at is not None else str(row.status)
        if status != current and status not in _TRANSITIONS[current]:
            raise WaveStatusError(
                f"wave {row.name!r} is {status_words(current)}: it cannot be {_VERB[status]} "
                f"(allowed from {current}: {', '.join(sorted(_TRANSITIONS[current])) or 'none'})"
            )
        values: dict[str, Any] = {"status": status}
        if status == "published" and current != "published":
            values["published_at"] = utcnow()
        if status == "archived":
            values = {"archived_at": utcnow()} if current != "archived" else {}
        if values:
            conn.execute(sa.update(t.waves).where(t.waves.c.id == wave_id).values(**values))
