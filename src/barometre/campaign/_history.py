"""A wave's whole disposition history, every case at once, as campaign events.

`status`, `remind` and the dashboard need every case of a wave; the store's
`wave_dispositions` reads them in one query instead of one per case.
"""

from __future__ import annotations

from barometre.campaign.dispositions import CATALOGUE, DispositionEvent
from barometre.store import Store


def wave_histories(store: Store, wave_id: int) -> dict[str, list[DispositionEvent]]:
    """Every sampled case of the wave with its AAPOR events, oldest first."""
    histories: dict[str, list[DispositionEvent]] = {
        case.case_id: [] for case in sorted(store.cases(wave_id), key=lambda c: c.case_id)
    }
    for d in store.wave_dispositions(wave_id):
        if d.code in CATALOGUE:  # codes outside the catalogue carry no outcome group
            histories[d.case_id].append(
                DispositionEvent(
                    d.case_id, d.code, d.recorded_at, d.recorded_by or "", d.note or ""
                )
            )
    return histories
