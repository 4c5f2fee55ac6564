"""What a wave publishes: its results document and its benchmark table.

The web app serves these as stored: a self-diagnostic request never recomputes statistics.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._types import utcnow
from barometre.store.errors import DuplicateError, InputError
from barometre.store.records import PublishedResults

if TYPE_CHECKING:
    # Imported where used: `import barometre.store` must not load the diagnostic, which
    # pulls typology and scipy.stats (seconds of start-up for every command).
    from barometre.diagnostic import BenchmarkRow, BenchmarkTable


def _benchmark_values(wave_id: int, rows: Iterable[BenchmarkRow]) -> list[dict[str, Any]]:
    """Benchmark rows as table rows, each checked (a count, finite numbers)."""
    values = []
    for i, row in enumerate(rows, start=1):
        where = f"benchmark row {i} ({row.peer_cell}/{row.indicator})"
        if not row.peer_cell or not row.indicator:
            raise InputError(f"benchmark row {i}: peer_cell and indicator are required")
        if row.n < 0:
            raise InputError(f"{where}: n must be a count, got {row.n!r}")
        for name in ("estimate", "ci_low", "ci_high"):
            value = getattr(row, name)
            if value is not None and not math.isfinite(value):
                raise InputError(f"{where}: {name} is not a finite number ({value!r})")
        values.append({**dataclasses.asdict(row), "wave_id": wave_id})
    return values


class ResultsRepository(StoreBase):
    """Results documents and benchmark tables of waves."""

    def store_results(self, wave_id: int, results: Mapping[str, Any] | str) -> PublishedResults:
        """Store (or replace) the wave's results document (JSON-serialisable, or JSON text)."""
        with self._write() as conn:
            self._wave_row(conn, wave_id)
            self._put_results(conn, wave_id, results)
        found = self.wave_results(wave_id)
        assert found is not None
        return found

    def _put_results(
        self, conn: sa.Connection, wave_id: int, results: Mapping[str, Any] | str
    ) -> None:
        try:
            text = results if isinstance(results, str) else json.dumps(results, ensure_ascii=False)
            json.loads(text)
        except (TypeError, ValueError) as exc:
            raise InputError(f"wave {wave_id}: results are not valid JSON ({exc})") from exc
        conn.execute(sa.delete(t.wave_results).where(t.wave_results.c.wave_id == wave_id))
        conn.execute(
            sa.insert(t.wave_results).values(wave_id=wave_id, results_json=text, stored_at=utcnow())
        )

    def wave_results(self, wave_id: int) -> PublishedResults | None:
        """The wave's stored results document, or None before it is computed."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(t.wave_results).where(t.wave_results.c.wave_id == wave_id)
            ).first()
        if row is None:
            return None
        return PublishedResults(
            wave_id=wave_id, results=json.loads(row.results_json), stored_at=row.stored_at
        )

    def store_benchmark(self, wave_id: int, table: BenchmarkTable) -> int:
        """Replace the wave's benchmark table (rows, and min_n on the wave); how many rows."""
        with self._write() as conn:
            return self._put_benchmark(conn, wave_id, table)

    def _put_benchmark(self, conn: sa.Connection, wave_id: int, table: BenchmarkTable) -> int:
        wave = self._wave_row(conn, wave_id)
        if table.wave != wave.name:
            raise InputError(
                f"the benchmark table describes wave {table.wave!r}, not wave {wave.name!r}"
            )
        values = _benchmark_values(wave_id, table.rows())
        conn.execute(sa.delete(t.benchmarks).where(t.benchmarks.c.wave_id == wave_id))
        conn.execute(
            sa.update(t.waves).where(t.waves.c.id == wave_id).values(benchmark_min_n=table.min_n)
        )
        if values:
            try:
                conn.execute(sa.insert(t.benchmarks), values)
            except sa.exc.IntegrityError as exc:
                raise DuplicateError(
                    f"wave {wave_id}: the benchmark table has a peer cell and indicator twice"
                ) from exc
        return len(values)

    def benchmark(self, wave_id: int, peer_cell: str | None = None) -> tuple[BenchmarkRow, ...]:
        """The wave's stored benchmark rows (of one peer cell if given), by cell and indicator."""
        query = sa.select(t.benchmarks).where(t.benchmarks.c.wave_id == wave_id)
        if peer_cell is not None:
            query = query.where(t.benchmarks.c.peer_cell == peer_cell)
        with self._read() as conn:
            rows = conn.execute(
                query.order_by(t.benchmarks.c.peer_cell, t.benchmarks.c.indicator)
            ).all()
        from barometre.diagnostic.benchmark import BenchmarkRow

        return tuple(
            BenchmarkRow(
                r.peer_cell, r.indicator, r.estimate, r.ci_low, r.ci_high, r.n, bool(r.suppressed)
            )
            for r in rows
        )

    def benchmark_table(self, wave_id: int) -> BenchmarkTable | None:
        """The wave's stored benchmark table, or None before the wave is published."""
        with self._read() as conn:
            wave = self._wave_row(conn, wave_id)
        rows = self.benchmark(wave_id)
        if not rows or wave.benchmark_min_n is None:
            return None
        from barometre.diagnostic.benchmark import BenchmarkTable

        return BenchmarkTable.from_rows(wave.name, rows, min_n=wave.benchmark_min_n)

    def publish_wave(self, wave_id: int, results: Mapping[str, Any], table: BenchmarkTable) -> None:
        """Store results and benchmark table and mark the wave published, in one transaction.

        `barometre.wave.publish` is the caller that checks they describe the same wave and
        respondents; here the table must at least name the wave it is stored under.
        """
        with self._write() as conn:
            self._put_results(conn, wave_id, results)
            self._put_benchmark(conn, wave_id, table)
            self._change_status(conn, wave_id, "published")
