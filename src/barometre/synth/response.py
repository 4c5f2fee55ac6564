"""Non-response: who sends the questionnaire back, and the simulated returns of a sample.

The return propensity is a base rate by size band (fitted so that a proportional
sample's respondents split by size as in 2018, with a 5.5 % return overall) times a
little sector effect and an activity effect (firms active on social networks answer a
bit more: the subject interests them). It depends on frame variables and answers only,
so that the campaign's sample design decides the respondents' mix.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from barometre.questionnaire import vocabulary
from barometre.synth import mixes, model
from barometre.synth.calibration import frozen_parameters
from barometre.synth.population import ANSWER_COLUMNS, PopulationMismatchError


def response_propensity(units: pl.DataFrame) -> npt.NDArray[np.float64]:
    """Probability that each firm returns the questionnaire once invited.

    Needs `size_band` (vocabulary codes); uses `sector` and `activity` when present
    (a missing column or value counts as neutral).
    """
    if "size_band" not in units.columns:
        raise ValueError("response_propensity needs a `size_band` column")
    size = model.code_index(units["size_band"], mixes.SIZE_BANDS)
    if (size < 0).any():
        bad = units["size_band"].filter(pl.Series(size < 0)).unique().to_list()[:5]
        raise ValueError(f"unknown size_band codes {bad}; expected one of {mixes.SIZE_BANDS}")
    sector = model.code_index(units["sector"], mixes.SECTORS) if "sector" in units.columns else None
    activity = (
        model.code_index(units["activity"], vocabulary.SCALE4)
        if "activity" in units.columns
        else None
    )
    base = np.asarray(frozen_parameters().response_by_size)[size]
    return np.clip(base * model.response_multiplier(sector, activity, units.height), 0.0, 1.0)


def simulate_returns(sample: pl.DataFrame, pop: pl.DataFrame, seed: int) -> pl.DataFrame:
    """The sampled firms that answer, with their answers (the wave's raw returns).

    `sample` needs a `siren` column (any other columns, e.g. stratum and design weight,
    are kept); every siren must be in `pop`. Returns one row per respondent: the
    sample's columns, then the answer columns (`population.ANSWER_COLUMNS`) and
    `present`; a sample column named like an answer is replaced by the answer.
    """
    if "siren" not in sample.columns:
        raise ValueError("the sample needs a `siren` column")
    answers = pop.select("siren", *ANSWER_COLUMNS, "present")
    kept = [c for c in sample.columns if c == "siren" or c not in answers.columns]
    joined = sample.select(kept).join(answers, on="siren", how="left", maintain_order="left")
    missing = joined.filter(pl.col("activity").is_null())["siren"]
    if missing.len():
        raise PopulationMismatchError(
            f"{missing.len()} sampled sirens are not in the population, e.g. "
            f"{missing.head(3).to_list()}; was the frame written from this population?"
        )
    rng = np.random.default_rng([seed, 55])
    returned = rng.random(joined.height) < response_propensity(joined)
    return joined.filter(pl.Series(returned))
