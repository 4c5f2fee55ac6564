"""Results and benchmark tables are stored once and served as stored."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pytest

from barometre.store import BenchmarkRow, DuplicateError, InputError, WaveStatusError

from .conftest import OpenWave

ROWS = [
    {"peer_cell": "all", "indicator": "present", "estimate": 0.71, "ci_low": 0.66,
     "ci_high": 0.76, "n": 412, "suppressed": False},
    {"peer_cell": "size:20-49|sector:services", "indicator": "present", "estimate": None,
     "ci_low": None, "ci_high": None, "n": 7, "suppressed": True},
]  # fmt: skip


@dataclass(frozen=True)
class OtherRow:
    """A benchmark row as another package might define it (attributes, not a mapping)."""

    peer_cell: str
    indicator: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    suppressed: bool


def test_results_round_trip(open_wave: OpenWave) -> None:
    """A results document comes back equal, French text included; storing again replaces."""
    store, wave_id = open_wave.store, open_wave.wave_id
    assert store.wave_results(wave_id) is None
    document = {"wave": "2026", "estimates": [{"indicator": "présent", "value": 0.7}]}
    stored = store.store_results(wave_id, document)
    assert stored.results == document
    store.store_results(wave_id, {"wave": "2026", "version": 2})
    found = store.wave_results(wave_id)
    assert found is not None and found.results == {"wave": "2026", "version": 2}


def test_results_must_be_json(open_wave: OpenWave) -> None:
    """A document that is not JSON-serialisable is refused."""
    with pytest.raises(InputError, match="JSON"):
        open_wave.store.store_results(open_wave.wave_id, {"when": object()})


def test_benchmark_round_trip_from_mappings_records_and_frames(open_wave: OpenWave) -> None:
    """Benchmark rows are accepted as mappings, records or a DataFrame and come back typed."""
    store, wave_id = open_wave.store, open_wave.wave_id
    assert store.store_benchmark(wave_id, ROWS, min_n=30) == 2
    rows = store.benchmark(wave_id)
    assert rows[0] == BenchmarkRow("all", "present", 0.71, 0.66, 0.76, 412, False, 30)
    assert rows[1].suppressed and rows[1].estimate is None
    assert store.benchmark(wave_id, "all") == rows[:1]
    store.store_benchmark(wave_id, [OtherRow(**ROWS[0])])
    assert len(store.benchmark(wave_id)) == 1
    store.store_benchmark(wave_id, pl.DataFrame(ROWS))
    assert [r.peer_cell for r in store.benchmark(wave_id)] == ["all", ROWS[1]["peer_cell"]]


def test_duplicate_benchmark_cell_is_refused(open_wave: OpenWave) -> None:
    """The same peer cell and indicator twice is refused and the old table stays."""
    store, wave_id = open_wave.store, open_wave.wave_id
    store.store_benchmark(wave_id, ROWS)
    with pytest.raises(DuplicateError):
        store.store_benchmark(wave_id, [ROWS[0], ROWS[0]])
    assert len(store.benchmark(wave_id)) == 2


def test_publish_wave_is_all_or_nothing(open_wave: OpenWave) -> None:
    """Publishing stores results and benchmark and sets the status together, or not at all."""
    store, wave_id = open_wave.store, open_wave.wave_id
    with pytest.raises(WaveStatusError):  # an open wave cannot be published
        store.publish_wave(wave_id, {"wave": "2026"}, ROWS, min_n=30)
    assert store.wave_results(wave_id) is None and store.benchmark(wave_id) == ()
    store.set_wave_status(wave_id, "closed")
    store.publish_wave(wave_id, {"wave": "2026"}, ROWS, min_n=30)
    wave = store.latest_published_wave()
    assert wave is not None and wave.id == wave_id
    assert len(store.benchmark(wave_id)) == 2
