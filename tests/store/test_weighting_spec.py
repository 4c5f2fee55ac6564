"""A wave's weighting spec is stored with it and comes back as stored."""

from __future__ import annotations

import pytest

from barometre.store import InputError
from barometre.wave import WeightingSpec

from .conftest import OpenWave

SPEC = WeightingSpec(
    margins={"weighting_cell": {"0-9|all": 120.0, "10-19|services": 80.0}},
    cell_map={
        "0-9|commerce": "0-9|all",
        "0-9|services": "0-9|all",
        "10-19|services": "10-19|services",
    },
    region_map={},
    level_maps={},
    bounds=(0.25, 4.0),
    method="raking",
    stratum_population={"0-9|commerce": 70.0, "0-9|services": 50.0, "10-19|services": 80.0},
    population=200.0,
)


def test_spec_round_trip(open_wave: OpenWave) -> None:
    """The spec comes back equal; storing again replaces it."""
    store, wave_id = open_wave.store, open_wave.wave_id
    assert store.weighting_spec(wave_id) is None
    store.store_weighting_spec(wave_id, SPEC.to_json())
    text = store.weighting_spec(wave_id)
    assert text is not None and WeightingSpec.from_json(text) == SPEC
    relaxed = WeightingSpec(**{**SPEC.__dict__, "bounds": (0.2, 5.0)})
    store.store_weighting_spec(wave_id, relaxed.to_json())
    stored = store.weighting_spec(wave_id)
    assert stored is not None and WeightingSpec.from_json(stored).bounds == (0.2, 5.0)


def test_spec_must_be_json_with_margins(open_wave: OpenWave) -> None:
    """A text that is not a spec is refused and the stored spec is kept."""
    store, wave_id = open_wave.store, open_wave.wave_id
    store.store_weighting_spec(wave_id, SPEC.to_json())
    with pytest.raises(InputError, match="not valid JSON"):
        store.store_weighting_spec(wave_id, "{not json")
    with pytest.raises(InputError, match="no margins"):
        store.store_weighting_spec(wave_id, "{}")
    assert store.weighting_spec(wave_id) == SPEC.to_json()
