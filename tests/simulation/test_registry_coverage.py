"""Coverage with non-response through registry variables only: the weighting meets the goal.

A seeded coverage study of a smaller copy of the demo design (frame of 50,000, proportional
sample of 10,000, about 530 returns, registry auxiliaries as margins, bounds 0.25-4, the
fallback ladder, 60 waves). `barometre simulate coverage` measures the full design; this
test guards against a regression of the weighting or the variance that would bring a key
indicator's coverage well under the 93 % goal.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from barometre.simulation import coverage_study, simulated_population
from barometre.simulation.coverage import GOAL
from barometre.simulation.population import INDICATOR_IDS, SimulatedPopulation
from barometre.synth.response import registry_multiplier

WAVES = 60
# The synthetic answers depend on the registry variables only through size, so the key
# indicators alone would not notice weights that ignore the registry margins. This probe
# does depend on them, as a real answer may: its share follows the registry part of the
# return propensity (multi-site firms and SAs, who answer more, say yes more often; young
# firms and non-employers, who answer less, less often).
PROBE = "registry_probe"


def with_registry_probe(pop: SimulatedPopulation, seed: int = 5) -> SimulatedPopulation:
    """`pop` with a 0/1 indicator whose share rises with the registry return factor."""
    units = pop.units
    p = np.clip(0.35 + 1.5 * (registry_multiplier(units) - 1.0), 0.02, 0.98)
    probe = (np.random.default_rng(seed).random(units.height) < p).astype(np.float64)
    return SimulatedPopulation(
        units=units.with_columns(pl.Series(PROBE, probe)),
        counts=pop.counts,
        truth={**pop.truth, PROBE: float(probe.mean())},
    )


@pytest.mark.slow
def test_registry_non_response_coverage_meets_the_goal() -> None:
    """With registry-only non-response and the registry margins in the weighting, every key
    indicator (and a registry-linked probe) covers at least 93 % minus 2.5 Monte-Carlo SEs
    of a 93 % coverage, its estimates are unbiased (under 0.5 SD) and no wave fails."""
    pop = with_registry_probe(simulated_population(50_000, seed=7))
    study = coverage_study(
        pop,
        sample_size=10_000,
        replicates=WAVES,
        nonresponse="registry",
        seed=3,
        indicators=(*INDICATOR_IDS, PROBE),
    )
    assert study.failures == 0
    floor = GOAL - 2.5 * math.sqrt(GOAL * (1 - GOAL) / WAVES)  # 84.8 % at 60 waves
    short = {r.indicator: round(r.coverage, 3) for r in study.rows if r.coverage < floor}
    assert short == {}, f"coverage under {floor:.1%}: {short}"
    biased = {r.indicator: round(r.bias_in_sd, 2) for r in study.rows if abs(r.bias_in_sd) >= 0.5}
    assert biased == {}, f"estimates biased by 0.5 SD or more: {biased}"
    assert [r.indicator for r in study.rows] == [*INDICATOR_IDS, PROBE]
