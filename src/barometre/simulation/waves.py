"""One replicated wave: sample, returns, weighting, key estimates with their intervals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from barometre.auxiliaries import AUXILIARIES
from barometre.campaign.sampling import Sample, SampleDesign, draw_sample
from barometre.simulation.population import INDICATOR_IDS, SimulatedPopulation
from barometre.stats import Design
from barometre.synth.response import NonResponse, response_propensity
from barometre.wave import WaveWeighting, weight_wave

DATASET_COLUMNS = (
    "siren",
    "stratum",
    "design_weight",
    "size_band",
    "sector",
    "region",
    *AUXILIARIES,
    *INDICATOR_IDS,
)


@dataclass(frozen=True)
class WaveDraw:
    """A replicated wave: its sample, its respondents (a wave dataset) and its weighting."""

    sample: Sample
    respondents: pl.DataFrame
    weighting: WaveWeighting


def draw_wave(
    pop: SimulatedPopulation,
    design: SampleDesign,
    seed: int,
    *,
    nonresponse: NonResponse = "mixed",
    auxiliaries: Sequence[str] = AUXILIARIES,
    sample: Sample | None = None,
    indicators: Sequence[str] = INDICATOR_IDS,
) -> WaveDraw:
    """Draw the sample (unless given), who answers, and weight the respondents.

    The respondents carry the key indicators and any other `indicators` (0/1 columns of
    the population's units) a study estimates.
    """
    drawn = sample if sample is not None else draw_sample(pop.units, design)
    units = drawn.units
    rng = np.random.default_rng([seed, 1414])
    answered = rng.random(units.height) < response_propensity(units, nonresponse)
    respondents = (
        units.filter(pl.Series(answered))
        .select(*DATASET_COLUMNS, *(c for c in indicators if c not in DATASET_COLUMNS))
        .with_columns(pl.col("siren").alias("case_id"))
    )
    weighting = weight_wave(respondents, pop.counts, auxiliaries=auxiliaries)
    return WaveDraw(sample=drawn, respondents=respondents, weighting=weighting)


def estimate_wave(
    design: Design, indicators: Sequence[str] = INDICATOR_IDS
) -> dict[str, tuple[float, float, float, float]]:
    """{indicator: (estimate, se, ci_low, ci_high)}: logit intervals, as the report's shares."""
    out: dict[str, tuple[float, float, float, float]] = {}
    for name in indicators:
        est = design.proportion(name, level=1.0, ci="logit")
        out[name] = (float(est.estimate), float(est.se), float(est.ci_low), float(est.ci_high))
    return out
