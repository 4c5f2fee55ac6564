"""A synthetic population of in-scope firms with their answers, and its registry files.

`generate_population` returns one polars row per firm: its registry attributes (as
drawn by `frame.draw_units`) and its answers to the 2018 instrument in the wave
dataset's coding (docs/dev/vocabulary.md): one text column per single-choice, yes/no
or scale question, one Int8 column per code of a multiple-choice question
(`{question}__{code}`, null when the question was skipped), `headcount` as Float64,
and the derived `present`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import polars as pl

from barometre.errors import UserError
from barometre.questionnaire import AnswerValue, answers_from_wide_row, load_builtin, vocabulary
from barometre.synth import mixes, model
from barometre.synth.calibration import frozen_parameters
from barometre.synth.frame import BLOCK_SIZE, draw_units, unit_blocks
from barometre.synth.model import Simulated
from barometre.synth.sirene import SireneFiles, plan_bad_rows, write_units

POPULATION_STREAM = 1
FILLER_STREAM = 2

MULTIPLE: dict[str, tuple[str, ...]] = {
    "managed_by": vocabulary.MANAGED_BY,
    "actions": vocabulary.ACTIONS,
    "objectives": vocabulary.OBJECTIVES,
    "obstacles": vocabulary.OBSTACLES,
}
SKIPPED_WHEN_ABSENT: tuple[str, ...] = ("managed_by", "actions", "objectives")

ANSWER_COLUMNS: tuple[str, ...] = (
    "website",
    *(f"net_{net}" for net in model.NETWORKS),
    "activity",
    "tempo",
    "strategy",
    "spend",
    *(f"managed_by__{c}" for c in vocabulary.MANAGED_BY),
    "staff_trained",
    "marketing_team",
    *(f"actions__{c}" for c in vocabulary.ACTIONS),
    *(f"objectives__{c}" for c in vocabulary.OBJECTIVES),
    *(f"obstacles__{c}" for c in vocabulary.OBSTACLES),
    "competitive_edge",
    "leader_activity",
    "size_band",
    "sector",
    "market",
    "region",
    "employee_age",
    "leader_age",
    "growth",
    "headcount",
    "comment",
)
"""Answer columns of the wave dataset, in questionnaire order."""


class PopulationMismatchError(UserError, ValueError):
    """Sampled units that the population does not hold (a frame from another seed?)."""


def _yes_no(flags: np.ndarray) -> pl.Series:
    return _codes(("no", "yes"), flags.astype(np.int64))


def _codes(table: tuple[str, ...], index: np.ndarray) -> pl.Series:
    return pl.Series(list(table), dtype=pl.Utf8).gather(index)


def _answers(sim: Simulated, units: pl.DataFrame) -> dict[str, pl.Series]:
    present = sim.present
    columns: dict[str, pl.Series] = {"website": _codes(vocabulary.WEBSITE, sim.website)}
    for k, net in enumerate(model.NETWORKS):
        columns[f"net_{net}"] = _yes_no(sim.networks[:, k])
    columns["activity"] = _codes(vocabulary.SCALE4, sim.activity)
    columns["tempo"] = _codes(vocabulary.TEMPO, sim.tempo)
    columns["strategy"] = _yes_no(sim.strategy)
    columns["spend"] = _codes(vocabulary.SPEND, sim.spend)
    chosen = {
        "managed_by": sim.managed_by,
        "actions": sim.actions,
        "objectives": sim.objectives,
        "obstacles": sim.obstacles,
    }
    asked = pl.Series(present)
    for question in ("managed_by",):
        columns.update(_multiple(question, chosen[question], asked))
    columns["staff_trained"] = _yes_no(sim.trained)
    columns["marketing_team"] = _yes_no(sim.marketing_team)
    for question in ("actions", "objectives"):
        columns.update(_multiple(question, chosen[question], asked))
    columns.update(_multiple("obstacles", sim.obstacles, None))
    columns["competitive_edge"] = _yes_no(sim.competitive_edge)
    columns["leader_activity"] = _codes(vocabulary.SCALE4, sim.leader_activity)
    for name in ("size_band", "sector", "market", "region"):
        columns[name] = units[name]
    columns["employee_age"] = _codes(("40_plus", "under_40"), sim.under40.astype(np.int64))
    columns["leader_age"] = _codes(vocabulary.LEADER_AGE, sim.leader_age)
    columns["growth"] = _codes(vocabulary.GROWTH, sim.growth)
    columns["headcount"] = (
        units["employees"]
        .cast(pl.Float64)
        .zip_with(
            pl.Series(sim.headcount_answered),
            pl.repeat(None, units.height, dtype=pl.Float64, eager=True),
        )
    )
    columns["comment"] = pl.repeat(None, units.height, dtype=pl.Utf8, eager=True)
    columns["present"] = _yes_no(present)
    return columns


def _multiple(question: str, flags: np.ndarray, asked: pl.Series | None) -> dict[str, pl.Series]:
    out = {}
    for k, code in enumerate(MULTIPLE[question]):
        values = pl.Series(flags[:, k].astype(np.int8))
        if asked is not None:
            values = values.zip_with(asked, pl.repeat(None, len(values), dtype=pl.Int8, eager=True))
        out[f"{question}__{code}"] = values
    return out


def generate_population(n_units: int, seed: int) -> pl.DataFrame:
    """`n_units` in-scope firms with registry attributes and answers (seeded, in memory).

    The firms are all active, in the study's sectors, with a turnover of 2 M€-1.5 bn€;
    `to_sirene` adds out-of-scope units when writing the registry files.
    """
    if n_units < 1:
        raise ValueError(f"n_units must be >= 1, got {n_units}")
    units = pl.concat(
        [
            draw_units(seed, block, n, {"in_scope": 1.0}, stream=POPULATION_STREAM)
            for block, n in unit_blocks(n_units)
        ]
    )
    codes = model.frame_codes(
        units["size_band"], units["sector"], units["market"], units["employees"]
    )
    sim = model.simulate(codes, frozen_parameters(), seed)
    # The registry's `sector`/`size_band`/`region` are the answers too (frame values win).
    return units.with_columns(**_answers(sim, units))


def to_sirene(
    pop: pl.DataFrame,
    directory: str | Path,
    *,
    seed: int = 0,
    out_of_scope_share: float = 0.3,
    bad_rows: int = 0,
) -> SireneFiles:
    """Write the population as SIRENE files, plus out-of-scope units for the filters.

    `out_of_scope_share` of the written units are ceased, excluded-activity,
    small-turnover, no-accounts or very large units (in `mixes.SCOPE_MIX` proportions);
    every unit of `pop` passes the study's filters.
    """
    if not 0.0 <= out_of_scope_share < 1.0:
        raise ValueError(f"out_of_scope_share must be in [0, 1), got {out_of_scope_share}")
    frame_columns = [
        c for c in draw_units(0, 0, 1).columns if c in pop.columns and c not in ("sector",)
    ]
    # The registry knows no sector for excluded units; in the population all have one.
    units = pop.select(*frame_columns, "sector")
    n_filler = round(units.height * out_of_scope_share / (1.0 - out_of_scope_share))
    filler_mix: Mapping[str, float] = {k: v for k, v in mixes.SCOPE_MIX.items() if k != "in_scope"}
    offset = int(units["unit_index"].cast(pl.Int64).max() or 0) + 1  # type: ignore[arg-type]

    def blocks() -> Iterator[pl.DataFrame]:
        for start in range(0, units.height, BLOCK_SIZE):
            yield units.slice(start, BLOCK_SIZE)
        for block, n in unit_blocks(n_filler):
            filler = draw_units(
                seed, block, n, filler_mix, stream=FILLER_STREAM, index_offset=offset
            )
            yield filler.select(units.columns)

    total = units.height + n_filler
    planned = plan_bad_rows(total, bad_rows, seed)
    # Bad rows are planned on positions in the file; map them to unit numbers.
    index = units["unit_index"].to_list()
    by_unit = {
        (index[pos] if pos < len(index) else offset + pos - len(index)): kind
        for pos, kind in planned.items()
    }
    return write_units(blocks(), Path(directory), bad_rows=by_unit)


def answer_sets(rows: pl.DataFrame) -> list[dict[str, AnswerValue]]:
    """Each row's answers as the questionnaire's answer set (for `validate`, stores).

    The one wide-row conversion (`barometre.questionnaire.answers_from_wide_row`): codes as
    given, multiple choices as the list of chosen codes (skipped questions are left out),
    `headcount` as an integer.
    """
    questionnaire = load_builtin("bpi2018")
    return [
        answers_from_wide_row(questionnaire, row)
        for row in rows.select(*ANSWER_COLUMNS).iter_rows(named=True)
    ]
