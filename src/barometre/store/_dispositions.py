"""Dispositions: the AAPOR history of every case (the last entry is the current one)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._types import stamp
from barometre.store.errors import InputError
from barometre.store.records import Disposition

# AAPOR final disposition codes look like 1.1, 2.11, 3.21, 4.10: a digit, then dotted digits.
_AAPOR_CODE = re.compile(r"^[1-4](\.\d{1,4}){0,3}$")


def _disposition_from_row(row: Any) -> Disposition:
    return Disposition(
        wave_id=row.wave_id,
        case_id=row.case_id,
        code=row.code,
        note=row.note,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def _history_query() -> sa.Select[Any]:
    return (
        sa.select(t.dispositions, t.samples.c.case_id)
        .join(t.samples, t.samples.c.id == t.dispositions.c.sample_id)
        .order_by(t.dispositions.c.recorded_at, t.dispositions.c.id)
    )


class DispositionRepository(StoreBase):
    """The disposition history of cases."""

    def record_disposition(
        self,
        wave_id: int,
        case_id: str,
        code: str,
        note: str | None = None,
        *,
        recorded_by: str = "team",
        at: datetime | None = None,
    ) -> Disposition:
        """Append an AAPOR disposition (e.g. "2.11" refusal, "4.31" closed) to a case's history."""
        if not _AAPOR_CODE.match(code):
            raise InputError(f"case {case_id!r}: {code!r} is not an AAPOR disposition code")
        with self._write() as conn:
            case = self._case_row(conn, wave_id, case_id)
            conn.execute(
                sa.insert(t.dispositions).values(
                    wave_id=wave_id,
                    sample_id=case.id,
                    code=code,
                    note=note,
                    recorded_at=stamp(at),
                    recorded_by=recorded_by,
                )
            )
        return self.disposition_history(wave_id, case_id)[-1]

    def disposition_history(self, wave_id: int, case_id: str) -> tuple[Disposition, ...]:
        """Every disposition of a case, oldest first."""
        with self._read() as conn:
            case = self._case_row(conn, wave_id, case_id)
            rows = conn.execute(_history_query().where(t.dispositions.c.sample_id == case.id)).all()
        return tuple(_disposition_from_row(r) for r in rows)

    def wave_dispositions(self, wave_id: int) -> tuple[Disposition, ...]:
        """Every disposition of every case of a wave, oldest first, in one query."""
        with self._read() as conn:
            rows = conn.execute(_history_query().where(t.dispositions.c.wave_id == wave_id)).all()
        return tuple(_disposition_from_row(r) for r in rows)

    def current_dispositions(self, wave_id: int) -> dict[str, str | None]:
        """Each case's latest disposition code (None when it has none yet), by case id."""
        with self._read() as conn:
            current: dict[str, str | None] = dict.fromkeys(
                conn.execute(
                    sa.select(t.samples.c.case_id)
                    .where(t.samples.c.wave_id == wave_id)
                    .order_by(t.samples.c.case_id)
                ).scalars(),
                None,
            )
            for row in conn.execute(_history_query().where(t.dispositions.c.wave_id == wave_id)):
                current[row.case_id] = row.code  # ordered oldest first: the last one wins
        return current
