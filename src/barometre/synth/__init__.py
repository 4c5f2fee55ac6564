"""Synthetic registry files and a synthetic wave calibrated to the 2018 study.

- `write_sirene_stock`: a SIRENE-format stock of any size (legal units,
  establishments, turnover), streamed to disk, optionally with broken rows;
- `generate_population`: in-scope firms with their answers to the 2018 instrument,
  whose population truth (`population_truth`) reproduces the published figures;
- `to_sirene`: the population's registry files (plus out-of-scope units);
- `response_propensity`, `simulate_returns`: who answers once invited;
- `write_population`: all of it on disk (registry files, answers, truth JSON).
"""

from __future__ import annotations

from barometre.synth.identifiers import is_valid_siren, is_valid_siret
from barometre.synth.population import (
    ANSWER_COLUMNS,
    PopulationMismatchError,
    answer_sets,
    generate_population,
    to_sirene,
)
from barometre.synth.response import response_propensity, simulate_returns
from barometre.synth.sirene import (
    ETABLISSEMENT_COLUMNS,
    UNITE_LEGALE_COLUMNS,
    BadRow,
    SireneFiles,
    write_sirene_stock,
)
from barometre.synth.truth import IndicatorTruth, PopulationTruth, population_truth
from barometre.synth.writer import SyntheticPopulation, read_population, write_population

__all__ = [
    "ANSWER_COLUMNS",
    "ETABLISSEMENT_COLUMNS",
    "UNITE_LEGALE_COLUMNS",
    "BadRow",
    "IndicatorTruth",
    "PopulationMismatchError",
    "PopulationTruth",
    "SireneFiles",
    "SyntheticPopulation",
    "answer_sets",
    "generate_population",
    "is_valid_siren",
    "is_valid_siret",
    "population_truth",
    "read_population",
    "response_propensity",
    "simulate_returns",
    "to_sirene",
    "write_population",
    "write_sirene_stock",
]
