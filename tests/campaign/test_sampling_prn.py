"""Sample coordination across waves by permanent random numbers."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from barometre.campaign.sampling import (
    SampleDesign,
    SamplingError,
    coordinated_design,
    draw_sample,
    permanent_random_numbers,
    wave_seed,
)


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    rng = np.random.default_rng(5)
    n = 20_000
    return pl.DataFrame(
        {
            "siren": [f"{100_000_000 + 37 * i:09d}" for i in range(n)],
            "size_band": rng.choice(["0-9", "10-19", "20-49"], n),
            "sector": rng.choice(["commerce", "services"], n),
        }
    )


def _overlap(a: pl.DataFrame, b: pl.DataFrame) -> float:
    return len(set(a["siren"]) & set(b["siren"])) / b.height


def test_fresh_panel_and_rotation_overlaps(frame: pl.DataFrame) -> None:
    """A fresh sample shares no firm, a panel all of them, a rotation of 0.3 keeps 70 %."""
    first = draw_sample(frame, SampleDesign(n=4_000, prn_seed=11))
    fresh = draw_sample(frame, coordinated_design(first, "fresh"))
    panel = draw_sample(frame, coordinated_design(first, "panel"))
    rotated = draw_sample(frame, coordinated_design(first, "rotation", rotation=0.3))
    assert _overlap(first.units, fresh.units) == 0.0
    assert _overlap(first.units, panel.units) == 1.0
    assert _overlap(first.units, rotated.units) == pytest.approx(0.7, abs=0.002)
    assert fresh.size == panel.size == rotated.size == 4_000


def test_prn_depend_on_the_firm_only(frame: pl.DataFrame) -> None:
    """A firm's PRN and the PRN sample do not depend on the frame file's order."""
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=3)
    a = draw_sample(frame, SampleDesign(n=2_000, prn_seed=11))
    b = draw_sample(shuffled, SampleDesign(n=2_000, prn_seed=11))
    assert set(a.units["siren"]) == set(b.units["siren"])
    u = permanent_random_numbers(frame["siren"], 11)
    assert u.min() >= 0.0 and u.max() < 1.0 and abs(u.mean() - 0.5) < 0.01


def test_coordination_needs_a_prn_sample(frame: pl.DataFrame) -> None:
    """A sample drawn without PRN cannot be coordinated, and the message says so."""
    plain = draw_sample(frame, SampleDesign(n=1_000))
    with pytest.raises(SamplingError, match="permanent random numbers"):
        coordinated_design(plain, "fresh")


def test_default_seed_differs_between_waves() -> None:
    """Two waves' default seeds differ, so the CLI never repeats a sample by accident."""
    assert wave_seed("2026") != wave_seed("2027")
    assert wave_seed("2026") == wave_seed("2026")
