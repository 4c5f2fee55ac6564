"""The weighting spec of a wave: what rebuilds its calibrated design (margins, groups, fpc)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._types import utcnow
from barometre.store.errors import InputError


class WeightingSpecRepository(StoreBase):
    """One weighting spec per wave, stored as JSON text beside its final weights."""

    def store_weighting_spec(self, wave_id: int, spec_json: str) -> None:
        """Store (or replace) the wave's weighting spec (JSON text of `WeightingSpec`)."""
        try:
            parsed = json.loads(spec_json)
        except ValueError as exc:
            raise InputError(
                f"wave {wave_id}: the weighting spec is not valid JSON ({exc})"
            ) from exc
        if not isinstance(parsed, dict) or "margins" not in parsed:
            raise InputError(f"wave {wave_id}: the weighting spec has no margins")
        with self._write() as conn:
            self._wave_row(conn, wave_id)
            conn.execute(sa.delete(t.weighting_specs).where(t.weighting_specs.c.wave_id == wave_id))
            conn.execute(
                sa.insert(t.weighting_specs).values(
                    wave_id=wave_id, spec_json=spec_json, stored_at=utcnow()
                )
            )

    def weighting_spec(self, wave_id: int) -> str | None:
        """The wave's weighting spec as JSON text, or None before it is weighted."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(t.weighting_specs.c.spec_json).where(
                    t.weighting_specs.c.wave_id == wave_id
                )
            ).first()
        return None if row is None else str(row.spec_json)
