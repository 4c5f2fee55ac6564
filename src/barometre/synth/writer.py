"""Write a synthetic population to disk: its registry files, its answers and its truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from barometre.synth.population import generate_population, to_sirene
from barometre.synth.sirene import SireneFiles
from barometre.synth.truth import PopulationTruth, population_truth

POPULATION_FILE = "population.parquet"
TRUTH_FILE = "population_truth.json"


@dataclass(frozen=True)
class SyntheticPopulation:
    """Where a synthetic population was written, and its truth."""

    directory: Path
    registry: SireneFiles
    population: Path
    truth_path: Path
    truth: PopulationTruth


def write_population(
    directory: str | Path,
    n_units: int,
    seed: int,
    *,
    out_of_scope_share: float = 0.3,
    bad_rows: int = 0,
) -> SyntheticPopulation:
    """Generate `n_units` in-scope firms and write, in `directory`: the SIRENE files
    (with out-of-scope units), `population.parquet` (every firm's registry attributes
    and answers) and `population_truth.json` (every indicator's population value)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    pop = generate_population(n_units, seed)
    registry = to_sirene(
        pop, directory, seed=seed, out_of_scope_share=out_of_scope_share, bad_rows=bad_rows
    )
    population_path = directory / POPULATION_FILE
    pop.write_parquet(population_path)
    truth = population_truth(pop)
    truth_path = truth.write_json(directory / TRUTH_FILE)
    return SyntheticPopulation(directory, registry, population_path, truth_path, truth)


def read_population(directory: str | Path) -> pl.DataFrame:
    """The population written by `write_population`."""
    return pl.read_parquet(Path(directory) / POPULATION_FILE)
