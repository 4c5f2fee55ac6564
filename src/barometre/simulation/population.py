"""The synthetic population a simulation samples from, with its key indicators' truth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from barometre.auxiliaries import AUXILIARIES, registry_auxiliaries
from barometre.synth.population import generate_population
from barometre.weighting import frame_counts

REFERENCE_DATE = date(2025, 1, 1)

# The key indicators of a wave, as 0/1 columns over all firms (id, French label, rule).
KEY_INDICATORS: tuple[tuple[str, str, pl.Expr], ...] = (
    ("presence", "Présente sur un réseau social", pl.col("present") == "yes"),
    ("active", "Active ou très active", pl.col("activity").is_in(["active", "tres_active"])),
    (
        "pionnieres",
        "Pionnières",
        pl.col("activity").is_in(["active", "tres_active"]) & (pl.col("tempo") != "en_retard"),
    ),
    ("en_retard", "Se sent en retard", pl.col("tempo") == "en_retard"),
    ("has_strategy", "A une stratégie", pl.col("strategy") == "yes"),
    ("budget_zero", "Budget nul", pl.col("spend") == "zero"),
    ("spend_10k", "Budget de 10 k€ ou plus", pl.col("spend").is_in(["10k_50k", "ge_50k"])),
    ("trained", "Personnel formé", pl.col("staff_trained") == "yes"),
    ("lack_time", "Manque de temps", pl.col("obstacles__lack_time") == 1),
    ("sees_edge", "Y voit un avantage concurrentiel", pl.col("competitive_edge") == "yes"),
)
INDICATOR_IDS: tuple[str, ...] = tuple(i for i, _, _ in KEY_INDICATORS)


@dataclass(frozen=True)
class SimulatedPopulation:
    """Firms with registry attributes, auxiliaries, answers and the key indicators as 0/1."""

    units: pl.DataFrame
    counts: pl.DataFrame  # frame counts by size, sector, region and the auxiliaries
    truth: dict[str, float]  # indicator id -> population share


def simulated_population(n_units: int = 150_000, seed: int = 7) -> SimulatedPopulation:
    """The demo's synthetic population (150,000 firms by default), ready to be sampled."""
    units = registry_auxiliaries(generate_population(n_units, seed), REFERENCE_DATE)
    units = units.with_columns(
        rule.fill_null(False).cast(pl.Float64).alias(name) for name, _, rule in KEY_INDICATORS
    )
    counts = frame_counts(units, ("size_band", "sector", "region", *AUXILIARIES))
    truth = {name: float(units[name].cast(pl.Float64).to_numpy().mean()) for name in INDICATOR_IDS}
    return SimulatedPopulation(units=units, counts=counts, truth=truth)


def next_wave(pop: SimulatedPopulation, seed: int, persistence: float = 0.7) -> SimulatedPopulation:
    """The same firms a wave later, with nothing changed on average.

    Each firm keeps its answers with probability `persistence`, else answers afresh from
    the same model (another seed): the population shares move only by finite-population
    noise, while a firm's two answers stay correlated, as a panel's are.
    """
    import numpy as np

    from barometre.synth import model
    from barometre.synth.calibration import frozen_parameters
    from barometre.synth.population import _answers

    if not 0.0 <= persistence <= 1.0:
        raise ValueError(f"persistence must be in [0, 1], got {persistence}")
    units = pop.units
    codes = model.frame_codes(
        units["size_band"], units["sector"], units["market"], units["employees"]
    )
    fresh = units.with_columns(**_answers(model.simulate(codes, frozen_parameters(), seed), units))
    keep = pl.Series(np.random.default_rng([seed, 77]).random(units.height) < persistence)
    answer_columns = _answer_columns(units)
    mixed = units.with_columns(
        pl.when(keep).then(units[c]).otherwise(fresh[c]).alias(c) for c in answer_columns
    )
    mixed = mixed.with_columns(
        rule.fill_null(False).cast(pl.Float64).alias(name) for name, _, rule in KEY_INDICATORS
    )
    truth = {name: float(mixed[name].cast(pl.Float64).to_numpy().mean()) for name in INDICATOR_IDS}
    return SimulatedPopulation(units=mixed, counts=pop.counts, truth=truth)


def _answer_columns(units: pl.DataFrame) -> list[str]:
    from barometre.synth.population import ANSWER_COLUMNS

    frame_values = {"size_band", "sector", "market", "region"}
    return [c for c in (*ANSWER_COLUMNS, "present") if c in units.columns and c not in frame_values]
