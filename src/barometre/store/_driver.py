"""Statements run on the database driver's own connection, below SQLAlchemy's execution layer.

Why: the save of a response is the web tier's busiest write (one per questionnaire page per
respondent), and through `Connection.execute` its handful of short statements cost more CPU
than the page's own logic: an execution context, events, a cursor wrapper and a result object
per statement, and a `Connection` with its transaction object per save (about a third of a
page submit, measured with py-spy; see docs/web.md, "Third pass"). Here SQLAlchemy still
writes the SQL: each statement is compiled once per dialect, and its columns' types supply the
bind and result processing (`UTCDateTime` included), so the rows read and written are those
SQLAlchemy would read and write. Only the execution is the driver's: `cursor.execute` on the
pooled connection. Driver errors are wrapped as SQLAlchemy wraps them (`IntegrityError`,
`OperationalError`, ...), and a connection the driver reports broken leaves the pool, so
callers see the same errors as through SQLAlchemy.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


class Statement:
    """One SQLAlchemy statement compiled for one dialect, with its bind and result processing."""

    def __init__(
        self, statement: sa.ClauseElement, dialect: Dialect, column_keys: Sequence[str] = ()
    ) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) or None)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        # qmark (sqlite3) binds by position, in the compiler's order; pyformat (psycopg) by name.
        self._order: tuple[str, ...] | None = (
            tuple(compiled.positiontup or ()) if dialect.positional else None
        )
        self._binds: dict[str, Processor] = {}
        # The dialect's implementation of each type, as SQLAlchemy's execution uses it: the
        # generic type's processor alone would leave, e.g., SQLite's datetime formatting out.
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self._binds[name] = processor
        self.row: Any = None
        self._results: tuple[tuple[int, Processor], ...] = ()
        if isinstance(statement, sa.Select):
            columns = list(statement.selected_columns)
            self.row = namedtuple("Row", [c.name for c in columns])  # type: ignore[misc]  # names known only here
            results = []
            for index, column in enumerate(columns):
                processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
                if processor is not None:
                    results.append((index, processor))
            self._results = tuple(results)

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """The driver's parameters for `values` (every bind of the statement must be there)."""
        if self._binds:
            values = {
                name: (self._binds[name](v) if name in self._binds else v)
                for name, v in values.items()
            }
        if self._order is None:
            return dict(values)
        return tuple(values[name] for name in self._order)

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[Any]:
        """Rows of the driver as named tuples, each column processed by its type."""
        make, results = self.row._make, self._results
        if not results:
            return [make(r) for r in raw]
        out = []
        for r in raw:
            values = list(r)
            for index, processor in results:
                values[index] = processor(values[index])
            out.append(make(values))
        return out


class Statements:
    """The compiled statements of one engine, compiled at first use."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._compiled: dict[tuple[int, tuple[str, ...]], tuple[sa.ClauseElement, Statement]] = {}

    def __call__(self, statement: sa.ClauseElement, column_keys: Sequence[str] = ()) -> Statement:
        key = (id(statement), tuple(column_keys))
        found = self._compiled.get(key)
        if found is None or found[0] is not statement:
            # The statement is kept with its compiled form: its id cannot be reused meanwhile.
            found = (statement, Statement(statement, self.dialect, column_keys))
            self._compiled[key] = found
        return found[1]


class DriverTransaction:
    """A write transaction on one pooled connection, run through the driver's cursor."""

    def __init__(self, fairy: Any, statements: Statements, pool: Any) -> None:
        self._fairy = fairy
        self._pool = pool
        self._statements = statements
        self.dialect = statements.dialect
        self._error = self.dialect.loaded_dbapi.Error
        self._cursor = fairy.driver_connection.cursor()

    def _wrapped(self, exc: Any, sql: str, params: Any) -> sa.exc.StatementError:
        broken = self.dialect.is_disconnect(exc, self._fairy.dbapi_connection, self._cursor)
        if broken:
            # What SQLAlchemy's `Connection` does on a disconnect: this connection is dropped
            # and every one opened before it is recycled at its next checkout (a restarted
            # server has ended them all), not handed out dead one after the other.
            self._pool._invalidate(self._fairy, exc)
        wrapped: sa.exc.StatementError = sa.exc.DBAPIError.instance(
            sql, params, exc, self._error, connection_invalidated=broken, dialect=self.dialect
        )
        return wrapped

    def run(self, sql: str) -> None:
        """One statement without parameters or result (BEGIN IMMEDIATE)."""
        try:
            self._cursor.execute(sql)
        except self._error as exc:
            raise self._wrapped(exc, sql, None) from exc

    def execute(self, statement: sa.ClauseElement, values: Mapping[str, Any]) -> Any:
        """Run a statement with one set of values; returns the driver's cursor."""
        # An INSERT's columns are those given (SQLAlchemy compiles it for its parameters too).
        compiled = self._statements(
            statement, tuple(values) if isinstance(statement, sa.Insert) else ()
        )
        params = compiled.parameters(values)
        try:
            self._cursor.execute(compiled.sql, params)
        except self._error as exc:
            raise self._wrapped(exc, compiled.sql, params) from exc
        return self._cursor

    def rows(self, statement: sa.Select[Any], values: Mapping[str, Any]) -> list[Any]:
        """The rows of a SELECT (or of a statement's RETURNING), processed by column type."""
        cursor = self.execute(statement, values)
        return self._statements(statement).rows(cursor.fetchall())

    def execute_many(
        self, statement: sa.ClauseElement, values: Sequence[Mapping[str, Any]]
    ) -> None:
        """Run a statement once per set of values (all sets have the same keys)."""
        compiled = self._statements(statement, tuple(values[0]))
        params = [compiled.parameters(v) for v in values]
        try:
            self._cursor.executemany(compiled.sql, params)
        except self._error as exc:
            raise self._wrapped(exc, compiled.sql, params) from exc

    def commit(self) -> None:
        try:
            self._fairy.driver_connection.commit()
        except self._error as exc:
            raise self._wrapped(exc, "COMMIT", None) from exc

    def rollback(self) -> None:
        try:
            self._fairy.driver_connection.rollback()
        except self._error as exc:
            raise self._wrapped(exc, "ROLLBACK", None) from exc


@contextmanager
def driver_write(
    engine: Engine, statements: Statements, begin: str | None
) -> Iterator[DriverTransaction]:
    """A write transaction on a pooled connection: committed at the end, rolled back on error.

    `begin` is sent first when the driver does not begin transactions itself (SQLite's
    `BEGIN IMMEDIATE`: the store turns the sqlite3 module's own transaction handling off);
    psycopg begins one at the first statement.
    """
    fairy = engine.raw_connection()
    try:
        transaction = DriverTransaction(fairy, statements, engine.pool)
        if begin is not None:
            transaction.run(begin)
        try:
            yield transaction
        except BaseException:
            if fairy.is_valid:
                # The first error is the one to report; a broken link has left the pool.
                with suppress(sa.exc.DBAPIError):
                    transaction.rollback()
            raise
        transaction.commit()
    finally:
        fairy.close()
