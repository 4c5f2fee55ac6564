"""A wave's whole disposition history, every case at once, as campaign events.

`status`, `remind` and the dashboard need every case of a wave; the store's
`wave_dispositions` reads them in one query instead of one per case.
"""

from __future__ import annotations

from collections.abc import Sequence

from barometre.campaign.dispositions import CATALOGUE, DispositionEvent
from barometre.store import Case, Store


def wave_histories(
    store: Store, wave_id: int, cases: Sequence[Case] | None = None
) -> dict[str, list[DispositionEvent]]:
    """Every sampled case of the wave with its AAPOR events, oldest first.

    `cases`, when the caller has read them already, saves reading them again.
    """
    every = store.cases(wave_id) if cases is None else cases
    histories: dict[str, list[DispositionEvent]] = {
        case.case_id: [] for case in sorted(every, key=lambda c: c.case_id)
    }
    for d in store.wave_dispositions(wave_id):
        if d.code in CATALOGUE:  # codes outside the catalogue carry no outcome group
            histories[d.case_id].append(
                DispositionEvent(
                    d.case_id, d.code, d.recorded_at, d.recorded_by or "", d.note or ""
                )
            )
    return histories
