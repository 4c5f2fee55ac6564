"""A wave's final weights: one per responding case, written by `barometre.wave.weight_wave`."""

from __future__ import annotations

import math
from collections.abc import Mapping

import polars as pl
import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase, pairs
from barometre.store._types import utcnow
from barometre.store.errors import InputError


class WeightsRepository(StoreBase):
    """Final weights of waves."""

    def store_weights(
        self, wave_id: int, weights: Mapping[str, float] | pl.DataFrame, *, method: str = ""
    ) -> int:
        """Replace the wave's final weights (case id -> weight); returns how many."""
        if isinstance(weights, pl.DataFrame):
            missing = {"case_id", "weight"} - set(weights.columns)
            if missing:
                raise InputError(f"weights: missing column(s) {sorted(missing)}")
            weights = dict(zip(weights["case_id"], weights["weight"], strict=True))
        now = utcnow()
        with self._write() as conn:
            self._wave_row(conn, wave_id)
            sample_ids = pairs(
                conn.execute(
                    sa.select(t.samples.c.case_id, t.samples.c.id).where(
                        t.samples.c.wave_id == wave_id
                    )
                )
            )
            rows = []
            for case_id, weight in weights.items():
                if case_id not in sample_ids:
                    raise InputError(f"weights: {case_id!r} is not a case of wave {wave_id}")
                if weight is None or not math.isfinite(weight) or weight <= 0:
                    raise InputError(f"weights: case {case_id!r} has weight {weight!r}")
                rows.append(
                    {
                        "sample_id": sample_ids[case_id],
                        "wave_id": wave_id,
                        "weight": float(weight),
                        "method": method,
                        "stored_at": now,
                    }
                )
            conn.execute(sa.delete(t.weights).where(t.weights.c.wave_id == wave_id))
            if rows:
                conn.execute(sa.insert(t.weights), rows)
        return len(rows)

    def weights(self, wave_id: int) -> dict[str, float]:
        """The wave's stored final weights by case id (empty before weighting)."""
        with self._read() as conn:
            return pairs(
                conn.execute(
                    sa.select(t.samples.c.case_id, t.weights.c.weight)
                    .join(t.samples, t.samples.c.id == t.weights.c.sample_id)
                    .where(t.weights.c.wave_id == wave_id)
                    .order_by(t.samples.c.case_id)
                )
            )
