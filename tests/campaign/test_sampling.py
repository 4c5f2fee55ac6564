"""Stratified SRSWOR: hand-computed allocations, exact stratum sizes, weights, reproducibility."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from barometre.campaign.sampling import (
    Allocation,
    SampleDesign,
    SamplingError,
    allocate,
    allocation_table,
    draw_sample,
)


def _frame(counts: dict[tuple[str, str], int]) -> pl.DataFrame:
    rows = [
        {"siren": f"{band}-{sector}-{i:06d}", "size_band": band, "sector": sector}
        for (band, sector), n in counts.items()
        for i in range(n)
    ]
    return pl.DataFrame(rows)


def test_proportional_exact() -> None:
    """N = 100, 300, 600 and n = 100 give 10, 30, 60 (n N_h / N exactly)."""
    assert allocate([100, 300, 600], 100, [100, 300, 600]) == [10, 30, 60]


def test_largest_remainder_rounding() -> None:
    """N = 10, 20, 30, n = 10: shares 1.67, 3.33, 5 -> floors 1, 3, 5, the spare unit to 1.67."""
    assert allocate([10, 20, 30], 10, [10, 20, 30]) == [2, 3, 5]


def test_capping_redistributes() -> None:
    """Equal allocation of 100 over N = 5, 1000: the first is capped at 5, the other gets 95."""
    assert allocate([5, 1000], 100, [1, 1]) == [5, 95]


def test_minimum_per_stratum() -> None:
    """Proportional 101 over N = 1000, 10 with minimum 5: t·1000 + 5 = 101, so 96 and 5."""
    assert allocate([1000, 10], 101, [1000, 10], minimum=5) == [96, 5]


def test_neyman_from_expected_proportions() -> None:
    """N = 100, 100; p = .5, .1 -> S = .5, .3 -> N_h S_h = 50, 30 -> n = 40 splits 25, 15."""
    frame = _frame({("0-9", "a"): 100, ("0-9", "b"): 100})
    design = SampleDesign(
        n=40,
        allocation=Allocation.NEYMAN,
        expected_proportion={"0-9|a": 0.5, "0-9|b": 0.1},
    )
    assert [a.sample for a in draw_sample(frame, design).allocation] == [25, 15]


def test_neyman_from_standard_deviations() -> None:
    """Given S_h = 1, 3 on N = 100, 100, n = 40 splits 10, 30."""
    frame = _frame({("0-9", "a"): 100, ("0-9", "b"): 100})
    design = SampleDesign(
        n=40, allocation=Allocation.NEYMAN, standard_deviation={"0-9|a": 1.0, "0-9|b": 3.0}
    )
    assert [a.sample for a in draw_sample(frame, design).allocation] == [10, 30]


def test_take_all_strata() -> None:
    """A 250+ stratum of 20 is taken whole; the other 40 go 25/15 on N = 50, 30."""
    frame = _frame({("10-19", "x"): 50, ("250+", "x"): 20, ("20-49", "x"): 30})
    sample = draw_sample(frame, SampleDesign(n=60, take_all=("size_band=250+",)))
    sizes = {a.stratum: (a.sample, a.take_all) for a in sample.allocation}
    assert sizes == {"10-19|x": (25, False), "20-49|x": (15, False), "250+|x": (20, True)}
    eti = sample.units.filter(pl.col("size_band") == "250+")
    assert eti.height == 20
    assert eti["design_weight"].to_list() == [1.0] * 20


def test_drawn_counts_equal_the_allocation_and_weights_add_up() -> None:
    """Each stratum holds exactly n_h distinct units; weights sum to N_h; π = n_h / N_h."""
    frame = _frame({("0-9", "a"): 500, ("0-9", "b"): 250, ("10-19", "a"): 73, ("10-19", "b"): 7})
    sample = draw_sample(frame, SampleDesign(n=90, minimum_per_stratum=5))
    drawn = dict(sample.units.group_by("stratum").len().iter_rows())
    for a in sample.allocation:
        assert drawn[a.stratum] == a.sample
    assert sample.units["siren"].n_unique() == 90
    sums = dict(sample.units.group_by("stratum").agg(pl.col("design_weight").sum()).iter_rows())
    for a in sample.allocation:
        assert sums[a.stratum] == pytest.approx(a.population)
    table = allocation_table(sample)
    assert table["n"].sum() == 90
    assert table.filter(pl.col("stratum") == "10-19|b")["n"].item() == 5


def test_seeded_draw_is_reproducible_and_order_free() -> None:
    """The same seed draws the same units even from a shuffled frame; another seed differs."""
    frame = _frame({("0-9", "a"): 300, ("10-19", "b"): 200})
    design = SampleDesign(n=50, seed=7)
    first = draw_sample(frame, design).units["siren"].sort()
    shuffled = draw_sample(frame.sample(fraction=1.0, shuffle=True, seed=1), design)
    assert shuffled.units["siren"].sort().equals(first)
    other = draw_sample(frame, SampleDesign(n=50, seed=8)).units["siren"].sort()
    assert not other.equals(first)


@pytest.mark.parametrize(
    ("design", "message"),
    [
        (SampleDesign(n=10_000), "exceeds the frame"),
        (SampleDesign(n=5, minimum_per_stratum=4), "minimum"),
        (SampleDesign(n=5, take_all=("size_band=0-9",)), "take-all"),
        (SampleDesign(n=5, take_all=("region=11",)), "variable=value"),
        (SampleDesign(n=5, strata=("region",)), "not in the frame"),
        (SampleDesign(n=5, allocation=Allocation.NEYMAN), "Neyman"),
    ],
)
def test_impossible_designs_raise(design: SampleDesign, message: str) -> None:
    """A design that cannot be drawn raises SamplingError saying why."""
    frame = _frame({("0-9", "a"): 30, ("10-19", "b"): 3})
    with pytest.raises(SamplingError, match=message):
        draw_sample(frame, design)


@given(
    st.lists(st.integers(1, 500), min_size=1, max_size=12),
    st.data(),
)
def test_allocation_sums_to_n_within_bounds(population: list[int], data: st.DataObject) -> None:
    """For any frame and feasible n, sizes sum to n and stay within [min(m, N_h), N_h]."""
    minimum = data.draw(st.integers(0, 5))
    floor = sum(min(minimum, p) for p in population)
    n = data.draw(st.integers(max(1, floor), sum(population)))
    weights = data.draw(
        st.lists(st.floats(0.01, 100), min_size=len(population), max_size=len(population))
    )
    sizes = allocate(population, n, weights, minimum)
    assert sum(sizes) == n
    assert all(min(minimum, p) <= s <= p for s, p in zip(sizes, population, strict=True))
