"""A wave's whole disposition history in one read-only query on the store's tables.

The store's public `disposition_history` answers one case at a time, which is 30,000
queries for a full wave; `status` and `remind` need every case. This module reads the
same table once (read only: every write still goes through the store's methods).
"""

from __future__ import annotations

import sqlalchemy as sa

from barometre.campaign.dispositions import CATALOGUE, DispositionEvent
from barometre.store import Store
from barometre.store import schema as t


def wave_histories(store: Store, wave_id: int) -> dict[str, list[DispositionEvent]]:
    """Every sampled case of the wave with its AAPOR events, oldest first."""
    s, d = t.samples.c, t.dispositions.c
    with store.engine.connect() as conn:
        cases = conn.execute(sa.select(s.case_id).where(s.wave_id == wave_id)).scalars().all()
        rows = conn.execute(
            sa.select(s.case_id, d.code, d.recorded_at, d.recorded_by, d.note)
            .join(t.samples, s.id == d.sample_id)
            .where(d.wave_id == wave_id)
            .order_by(d.recorded_at, d.id)
        ).all()
    histories: dict[str, list[DispositionEvent]] = {case: [] for case in sorted(cases)}
    for case_id, code, at, by, note in rows:
        if code in CATALOGUE:  # codes outside the catalogue carry no outcome group
            histories[case_id].append(DispositionEvent(case_id, code, at, by or "", note or ""))
    return histories
