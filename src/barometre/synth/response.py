"""Non-response: who sends the questionnaire back, and the simulated returns of a sample.

The return propensity is a base rate by size band (fitted so that a proportional
sample's respondents split by size as in 2018, with a 5.5 % return overall) times a
little sector effect and an activity effect (firms active on social networks answer a
bit more: the subject interests them). It depends on frame variables and answers only,
so that the campaign's sample design decides the respondents' mix.

Non-response runs partly through **registry variables**, which the weighting can see and
correct (company age, legal category group, employer status, several establishments:
`REGISTRY_FACTORS`, applied when the unit carries their source columns), and partly through
the **unobserved activity** on social networks, which no frame variable carries. `mode`
picks the mechanism: "mixed" (both, the default), "registry" (registry variables only),
"activity" (size, sector and activity only, the mechanism before registry factors) or
"none" (every invited firm answers). docs/synth.md says how much each part weighs.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from barometre.questionnaire import vocabulary
from barometre.synth import mixes, model
from barometre.synth.calibration import frozen_parameters
from barometre.synth.population import ANSWER_COLUMNS, PopulationMismatchError

NonResponse = Literal["mixed", "registry", "activity", "none"]
NON_RESPONSE_MODES: tuple[str, ...] = ("mixed", "registry", "activity", "none")

# Relative return propensity by registry auxiliary (see barometre.auxiliaries): young firms,
# non-employers and the "other" legal forms answer less, SAs and multi-site firms more.
REGISTRY_FACTORS: dict[str, dict[str, float]] = {
    "company_age": {"under_5": 0.7, "5_19": 0.95, "20_plus": 1.05},
    "legal_group": {"sas": 1.0, "sarl": 0.95, "sa": 1.2, "other": 0.8},
    "employer": {"no": 0.6, "yes": 1.0},
    "establishments": {"one": 1.0, "several": 1.2},
}
# Mean of the registry factors' product in each size band of the synthetic population
# (seeds 7 and 11 agree to 0.002): dividing by it keeps the fitted base rates, so the
# respondents still split by size as in 2018 with 5.5 % returned.
REGISTRY_NORMALISER: dict[str, float] = {
    "0-9": 0.978,
    "10-19": 1.053,
    "20-49": 1.084,
    "50-249": 1.145,
    "250+": 1.209,
}
REGISTRY_REFERENCE = (2025, 1, 1)


def registry_multiplier(units: pl.DataFrame) -> npt.NDArray[np.float64]:
    """The registry part of each firm's relative propensity (1 without the source columns)."""
    from datetime import date

    from barometre.auxiliaries import AUXILIARIES, SOURCES, registry_auxiliaries

    names = [a for a in AUXILIARIES if a in units.columns or SOURCES[a] in units.columns]
    if not names:
        return np.ones(units.height)
    derive = [a for a in names if a not in units.columns]
    data = registry_auxiliaries(units, date(*REGISTRY_REFERENCE), derive) if derive else units
    out = np.ones(units.height)
    for name in names:
        factor = (
            data[name]
            .cast(pl.String)
            .replace_strict(REGISTRY_FACTORS[name], default=1.0, return_dtype=pl.Float64)
        )
        out *= factor.to_numpy()
    norm = (
        units["size_band"]
        .cast(pl.String)
        .replace_strict(REGISTRY_NORMALISER, default=1.0, return_dtype=pl.Float64)
    )
    scaled: npt.NDArray[np.float64] = out / norm.to_numpy()
    return scaled


def response_propensity(
    units: pl.DataFrame, mode: NonResponse = "mixed"
) -> npt.NDArray[np.float64]:
    """Probability that each firm returns the questionnaire once invited.

    Needs `size_band` (vocabulary codes); uses `sector` and `activity` when present
    (a missing column or value counts as neutral) and the registry auxiliaries' sources
    (`registry_multiplier`) unless `mode` leaves them out.
    """
    if mode not in NON_RESPONSE_MODES:
        raise ValueError(
            f"unknown non-response mode {mode!r}; expected one of {NON_RESPONSE_MODES}"
        )
    if mode == "none":
        return np.ones(units.height)
    if "size_band" not in units.columns:
        raise ValueError("response_propensity needs a `size_band` column")
    size = model.code_index(units["size_band"], mixes.SIZE_BANDS)
    if (size < 0).any():
        bad = units["size_band"].filter(pl.Series(size < 0)).unique().to_list()[:5]
        raise ValueError(f"unknown size_band codes {bad}; expected one of {mixes.SIZE_BANDS}")
    sector = model.code_index(units["sector"], mixes.SECTORS) if "sector" in units.columns else None
    activity = (
        model.code_index(units["activity"], vocabulary.SCALE4)
        if "activity" in units.columns and mode != "registry"
        else None
    )
    base = np.asarray(frozen_parameters().response_by_size)[size]
    factor = model.response_multiplier(sector, activity, units.height)
    if mode != "activity":
        factor = factor * registry_multiplier(units)
    return np.clip(base * factor, 0.0, 1.0)


def simulate_returns(
    sample: pl.DataFrame, pop: pl.DataFrame, seed: int, mode: NonResponse = "mixed"
) -> pl.DataFrame:
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
    returned = rng.random(joined.height) < response_propensity(joined, mode)
    return joined.filter(pl.Series(returned))
