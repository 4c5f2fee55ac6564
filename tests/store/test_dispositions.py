"""A wave's whole disposition history comes back in one call, every case, oldest first."""

from __future__ import annotations

from .conftest import OpenWave


def test_wave_dispositions_lists_every_case_in_order(open_wave: OpenWave) -> None:
    """Events of several cases come back together, in the order they were recorded."""
    store, wave_id = open_wave.store, open_wave.wave_id
    first, second = open_wave.case_ids[:2]
    store.record_disposition(wave_id, first, "3.31", recorded_by="courrier")
    store.record_disposition(wave_id, second, "2.11", "refus au téléphone")
    store.record_disposition(wave_id, first, "4.50")
    events = store.wave_dispositions(wave_id)
    assert [(d.case_id, d.code) for d in events] == [
        (first, "3.31"),
        (second, "2.11"),
        (first, "4.50"),
    ]
    assert events[1].note == "refus au téléphone"
    assert [d.code for d in events if d.case_id == first] == [
        d.code for d in store.disposition_history(wave_id, first)
    ]
