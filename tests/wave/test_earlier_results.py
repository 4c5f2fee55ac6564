"""A stored wave's report finds the last published wave of the same questionnaire for trends."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.questionnaire import load_builtin
from barometre.report import compute_results
from barometre.report.results_json import to_dict
from barometre.report.testing import example_wave
from barometre.store import Store, open_store
from barometre.wave import earlier_results


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'trend.sqlite'}")


def _publish(store: Store, name: str, shift: float) -> int:
    wave = store.create_wave(name, "bpi2018")
    results = compute_results(
        example_wave(300, seed=3, shift=shift),
        load_builtin("bpi2018"),
        wave=name,
        with_drivers=False,
    )
    store.store_results(wave.id, to_dict(results))
    for status in ("open", "closed", "published"):
        store.set_wave_status(wave.id, status)  # type: ignore[arg-type]
    return wave.id


def test_latest_earlier_published_wave_is_found(store: Store) -> None:
    """With two published waves before it, a new wave compares with the latest of them."""
    _publish(store, "2024", 0.0)
    _publish(store, "2025", 0.3)
    current = store.create_wave("2026", "bpi2018")
    previous = earlier_results(store, current.id)
    assert previous is not None and previous.wave == "2025"
    assert previous.indicators, "the stored results come back with their indicators"


def test_no_earlier_wave_gives_none(store: Store) -> None:
    """A first wave, or one whose predecessors are unpublished, has nothing to compare with."""
    store.create_wave("2025", "bpi2018")
    current = store.create_wave("2026", "bpi2018")
    assert earlier_results(store, current.id) is None
