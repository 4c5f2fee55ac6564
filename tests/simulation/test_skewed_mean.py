"""Coverage of the mean-headcount intervals on a small synthetic population (seeded)."""

from __future__ import annotations

from barometre.simulation import simulated_population
from barometre.simulation.skewed_mean import skewed_mean_coverage


def test_skewed_mean_coverage_counts_every_replicate_and_widens_upwards() -> None:
    """Covered + missed below + missed above = replicates; the corrected interval is wider."""
    pop = simulated_population(12_000, seed=3)
    (row,) = skewed_mean_coverage(pop, sizes=(400,), replicates=8, seed=2)
    assert row.replicates == 8 and row.n_firms == 400
    assert row.truth == float(pop.units["employees"].cast(float).mean())  # type: ignore[arg-type]
    for covered, below, above in (
        (row.symmetric, row.symmetric_misses_below, row.symmetric_misses_above),
        (row.corrected, row.corrected_misses_below, row.corrected_misses_above),
    ):
        assert round(covered * 8) + below + above == 8
    assert row.corrected_misses_above <= row.symmetric_misses_above
    assert row.width_ratio > 1
