"""Results and benchmark tables are stored once and served as stored."""

from __future__ import annotations

import dataclasses
import math

import pytest

from barometre.diagnostic import BenchmarkCell, BenchmarkRow, BenchmarkTable, PeerLevel, Share
from barometre.store import DuplicateError, InputError, WaveStatusError

from .conftest import OpenWave

PRESENT = {"present": Share(0.71, 0.66, 0.76)}
TABLE = BenchmarkTable(
    "2026",
    30,
    0.95,
    (
        BenchmarkCell(PeerLevel.ALL, None, None, 412, False, PRESENT),
        BenchmarkCell(PeerLevel.SIZE_SECTOR, "20-49", "services", 7, True, {}),
    ),
)


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


def test_benchmark_round_trip(open_wave: OpenWave) -> None:
    """A benchmark table comes back as typed rows and as the same table, min_n included."""
    store, wave_id = open_wave.store, open_wave.wave_id
    assert store.benchmark_table(wave_id) is None
    assert store.store_benchmark(wave_id, TABLE) == 2
    rows = store.benchmark(wave_id)
    assert rows[0] == BenchmarkRow("all", "present", 0.71, 0.66, 0.76, 412, False)
    assert rows[1].suppressed and rows[1].estimate is None and rows[1].n == 7
    assert store.benchmark(wave_id, "all") == rows[:1]
    assert store.benchmark_table(wave_id) == TABLE  # TABLE's cells are in stored order
    smaller = dataclasses.replace(TABLE, min_n=5, cells=TABLE.cells[:1])
    store.store_benchmark(wave_id, smaller)
    assert store.benchmark_table(wave_id) == smaller


def test_benchmark_of_another_wave_or_not_finite_is_refused(open_wave: OpenWave) -> None:
    """A table naming another wave, or with a non-finite estimate, is refused with its place."""
    store, wave_id = open_wave.store, open_wave.wave_id
    with pytest.raises(InputError, match="describes wave '2031'"):
        store.store_benchmark(wave_id, dataclasses.replace(TABLE, wave="2031"))
    broken = BenchmarkCell(PeerLevel.ALL, None, None, 412, False, {"x": Share(math.nan, 0, 1)})
    with pytest.raises(InputError, match=r"row 1 \(all/x\): estimate is not a finite number"):
        store.store_benchmark(wave_id, dataclasses.replace(TABLE, cells=(broken,)))
    assert store.benchmark(wave_id) == ()


def test_duplicate_benchmark_cell_is_refused(open_wave: OpenWave) -> None:
    """The same peer cell and indicator twice is refused and the old table stays."""
    store, wave_id = open_wave.store, open_wave.wave_id
    store.store_benchmark(wave_id, TABLE)
    twice = dataclasses.replace(TABLE, cells=(TABLE.cells[0], TABLE.cells[0]))
    with pytest.raises(DuplicateError):
        store.store_benchmark(wave_id, twice)
    assert len(store.benchmark(wave_id)) == 2


def test_publish_wave_is_all_or_nothing(open_wave: OpenWave) -> None:
    """Publishing stores results and benchmark and sets the status together, or not at all."""
    store, wave_id = open_wave.store, open_wave.wave_id
    with pytest.raises(WaveStatusError):  # an open wave cannot be published
        store.publish_wave(wave_id, {"wave": "2026"}, TABLE)
    assert store.wave_results(wave_id) is None and store.benchmark(wave_id) == ()
    store.set_wave_status(wave_id, "closed")
    store.publish_wave(wave_id, {"wave": "2026"}, TABLE)
    wave = store.latest_published_wave()
    assert wave is not None and wave.id == wave_id
    assert len(store.benchmark(wave_id)) == 2
