"""Build a wave's benchmark table once, when the wave is published.

For every peer group (all firms; each size band; each sector; each size band x sector) and
every indicator, the weighted share and its confidence interval come from
`barometre.stats.Design` with the peer group as a domain of the full design (so the variance
accounts for the stratified sample, not for a sub-sample taken as fixed). Groups with fewer
respondents than `min_n` are suppressed: the stored row keeps their n and nothing else, and the
lookup falls back to a wider group.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Protocol

import polars as pl

from barometre.diagnostic.benchmark import (
    SCORE_INDICATOR,
    SEGMENT_PREFIX,
    BenchmarkCell,
    BenchmarkTable,
    PeerLevel,
    Share,
    score_indicator,
)
from barometre.diagnostic.errors import WaveDatasetError
from barometre.diagnostic.indicators import INDICATORS
from barometre.diagnostic.scoring import maturity_score
from barometre.diagnostic.segment import segment_codes, segment_of
from barometre.questionnaire import Questionnaire, answers_from_wide_row, load_builtin

if TYPE_CHECKING:
    from barometre.stats import Calibration

DEFAULT_MIN_N = 30
"""Fewest respondents a peer group needs to be shown (below, it is suppressed)."""

_CELL = "_size_sector"


class _EstimateLike(Protocol):
    @property
    def estimate(self) -> float: ...
    @property
    def ci_low(self) -> float: ...
    @property
    def ci_high(self) -> float: ...
    @property
    def n(self) -> int: ...


def _indicator_columns(
    wave_df: pl.DataFrame, questionnaire: Questionnaire, forms: Iterable[Collection[str]]
) -> tuple[pl.DataFrame, dict[str, str], set[str]]:
    """Add a yes/no column per indicator and per segment, and each form's score per firm."""
    flags: dict[str, list[str]] = {i.code: [] for i in INDICATORS}
    flags.update({SEGMENT_PREFIX + s: [] for s in segment_codes()})
    # The full form's score, and the score rescored on each shorter form's questions.
    asked_by_score: dict[str, Collection[str] | None] = {SCORE_INDICATOR: None}
    asked_by_score.update({score_indicator(f): f for f in forms})
    scores: dict[str, list[float]] = {code: [] for code in asked_by_score}
    for row in wave_df.iter_rows(named=True):
        answers = answers_from_wide_row(questionnaire, row)
        for indicator in INDICATORS:
            # An unanswered question counts as "no": shares are of all firms in the group.
            flags[indicator.code].append("1" if indicator.holds(answers) else "0")
        segment = segment_of(answers)
        for s in segment_codes():
            flags[SEGMENT_PREFIX + s].append("1" if segment and segment.code == s else "0")
        for code, asked in asked_by_score.items():
            scores[code].append(float(maturity_score(answers, asked).overall))
    columns = {code: f"_ind{i}" for i, code in enumerate([*flags, *scores])}
    extra = pl.DataFrame(
        {
            **{columns[c]: pl.Series(v, dtype=pl.Utf8) for c, v in flags.items()},
            **{columns[c]: pl.Series(v, dtype=pl.Float64) for c, v in scores.items()},
        }
    )
    return pl.concat([wave_df, extra], how="horizontal"), columns, set(scores)


def _share(e: _EstimateLike, bounded: bool) -> Share:
    if bounded:
        return Share(e.estimate, max(0.0, e.ci_low), min(1.0, e.ci_high))
    return Share(e.estimate, e.ci_low, e.ci_high)


_GROUPINGS = (
    (PeerLevel.ALL, None),
    (PeerLevel.SIZE, "size_band"),
    (PeerLevel.SECTOR, "sector"),
    (PeerLevel.SIZE_SECTOR, _CELL),
)


def build_benchmark_table(
    wave_df: pl.DataFrame,
    *,
    wave: str,
    min_n: int = DEFAULT_MIN_N,
    weight: str = "weight",
    strata: str = "stratum",
    questionnaire: Questionnaire | None = None,
    forms: Iterable[Collection[str]] | None = None,
    calibration: Calibration | None = None,
    fpc: str | None = None,
) -> BenchmarkTable:
    """The benchmark table of a wave dataset (docs/dev/vocabulary.md format), with 95 % CIs.

    Shares get R svyciprop's logit interval (they stay inside 0-1); the mean score a
    t interval. Done in one vectorised pass (`Design.estimate_many`). `questionnaire` says how
    the dataset's columns read back into answers (default: the built-in 2018 instrument, whose
    questions the diagnostic's indicators and score are written for). `forms` lists the
    question sets of shorter forms (default: the questionnaire's public self-diagnostic): the
    peers' mean score is also stored rescored on each, under `score_indicator(form)`, so that
    a short form's leader is compared with peers scored on the same questions.

    `calibration` (the wave's margins, on group columns of `wave_df`) calibrates the design
    over every respondent and `fpc` names the column of each stratum's frame size, so that
    the peers' intervals rest on the wave's calibrated design with its fpc, as the report's.
    """
    from barometre.stats import Design

    needed = [weight, strata, "size_band", "sector", *([fpc] if fpc else [])]
    needed += list(calibration.columns) if calibration is not None else []
    missing = [c for c in needed if c not in wave_df.columns]
    if missing:
        raise WaveDatasetError(f"wave dataset of {wave!r} lacks the column(s) {missing}")
    if wave_df.height == 0:
        raise WaveDatasetError(f"wave dataset of {wave!r} has no respondent")
    instrument = questionnaire or load_builtin("bpi2018")
    if forms is None:
        forms = [instrument.diagnostic_questions] if instrument.diagnostic_questions else []
    df, columns, score_codes = _indicator_columns(wave_df, instrument, forms)
    df = df.with_columns(
        (pl.col("size_band").cast(pl.Utf8) + "|" + pl.col("sector").cast(pl.Utf8)).alias(_CELL)
    )
    code_of = {column: code for code, column in columns.items()}
    # A flag nobody holds has no level "1" to estimate: its share is exactly 0 everywhere.
    held = [c for code, c in columns.items() if code not in score_codes and (df[c] == "1").any()]
    design = Design(df, weights=weight, strata=strata, fpc=fpc, singleton="adjust")
    if calibration is not None:
        design = calibration.apply(design)
    estimates = design.estimate_many(
        means=[columns[code] for code in sorted(score_codes)],
        proportions=[(c, "1") for c in held],
        by=[by for _, by in _GROUPINGS],
        ci="logit",
    )
    found: dict[tuple[str | None, str], dict[str, Share]] = {}
    for e in estimates:
        code = code_of[e.variable]
        found.setdefault((e.by, str(e.domain)), {})[code] = _share(e.value, code not in score_codes)
    zero = Share(0.0, 0.0, 0.0)
    cells: list[BenchmarkCell] = []
    for level, by in _GROUPINGS:
        counts = (
            {"all": df.height}
            if by is None
            else {str(k): int(n) for k, n in df.group_by(by).len().iter_rows() if k is not None}
        )
        for key, n in sorted(counts.items()):
            size_band, sector = _split(level, key)
            if n < min_n:
                cells.append(BenchmarkCell(level, size_band, sector, n, True, {}))
                continue
            shares = found.get((by, "None" if by is None else key), {})
            full = {code: shares.get(code, zero) for code in columns}
            cells.append(BenchmarkCell(level, size_band, sector, n, False, full))
    return BenchmarkTable(wave, min_n, 0.95, tuple(cells))


def _split(level: PeerLevel, key: str) -> tuple[str | None, str | None]:
    if level is PeerLevel.SIZE_SECTOR:
        size_band, _, sector = key.partition("|")
        return size_band, sector
    if level is PeerLevel.SIZE:
        return key, None
    if level is PeerLevel.SECTOR:
        return None, key
    return None, None
