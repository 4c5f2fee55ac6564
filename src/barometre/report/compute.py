"""Step 1 of the report: every number of a wave, computed once into `WaveResults`."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import polars as pl

from barometre.questionnaire import Questionnaire
from barometre.report import readout
from barometre.report.crossings import (
    EXPLORER_INDICATORS,
    crossing_results,
    domain_name,
    explorer_domains,
    with_crossings,
)
from barometre.report.errors import ReportError, WaveFormatError
from barometre.report.estimation import DesignInfo, ShareEstimator
from barometre.report.indicators import BREAKDOWN_VARIABLES, catalogue, with_presence
from barometre.report.order import level_key, stratum_key, stratum_label
from barometre.report.results import (
    Breakdown,
    BreakdownCell,
    Indicator,
    Share,
    StratumCount,
    VariancePlan,
    WaveResults,
    WeightDiagnostics,
)
from barometre.report.segments import compute_drivers, compute_typology
from barometre.report.study2018 import REBASED, compare_published, comparison_specs
from barometre.report.trends import changes, overlap_covariances

DEFAULT_MIN_BASE = 30
# Bootstrap replicates behind the drivers' importance CIs: about 35 ms each for 1,657
# respondents, so 100 cost a few seconds and make "which driver weighs most" a claim with odds.
DEFAULT_REPLICATES = 100
T = TypeVar("T")

# The indicators the report breaks down by size band, sector and market.
KEY_INDICATORS: tuple[str, ...] = (
    "presence_any",
    "activity.active_or_tres_active",
    "tempo.en_retard",
    "strategy.yes",
    "spend.10k_or_more",
    "staff_trained.yes",
    "obstacles.lack_time",
    "competitive_edge.yes",
)


def compute_results(
    wave_df: pl.DataFrame,
    questionnaire: Questionnaire,
    design_info: DesignInfo | None = None,
    *,
    wave: str = "",
    min_base: int = DEFAULT_MIN_BASE,
    previous: WaveResults | None = None,
    breakdown_indicators: Sequence[str] = KEY_INDICATORS,
    breakdown_variables: Sequence[str] = BREAKDOWN_VARIABLES,
    with_typology: bool = True,
    with_drivers: bool = True,
    driver_replicates: int = DEFAULT_REPLICATES,
    explorer: bool = True,
    previous_data: pl.DataFrame | None = None,
) -> WaveResults:
    """Compute every indicator, breakdown, typology, driver and comparison of a wave.

    `min_base` is the smallest base (respondents) a published share may rest on; smaller cells
    are suppressed and marked. `previous` (an earlier wave's results) adds the changes.
    `driver_replicates` bootstrap replicates over the design put CIs on the drivers' weights
    and say how often each ranks first (0 leaves them out). `explorer` estimates the
    explorer's domains (size, sector, region, market and their pairs) once, for the web.
    `previous_data` (the earlier wave's respondents, with `siren`) puts the covariance of
    the firms that answered both waves in the SE of every change.
    """
    design = design_info or DesignInfo()
    if wave_df.height == 0:
        raise WaveFormatError("the wave has no respondents")
    questionnaire_id = questionnaire.id
    if previous is not None and previous.questionnaire_id != questionnaire_id:
        raise ReportError(
            f"the earlier wave {previous.wave!r} used questionnaire "
            f"{previous.questionnaire_id!r}, this one {questionnaire_id!r}: no trends across "
            "questionnaires"
        )
    data = with_presence(wave_df)
    design = design.on_columns(data.columns)
    specs = catalogue(questionnaire, data.columns)
    domains = explorer_domains(data.columns) if explorer else ()
    data = with_crossings(data, domains)
    if not specs:
        raise WaveFormatError("no column of the wave matches a question of the questionnaire")
    variables = [v for v in breakdown_variables if v in data.columns]
    wanted = [s.id for s in specs if s.id in set(breakdown_indicators)]
    # The 2018 comparison recomputes its indicators on the 2018 bases, in the same pass.
    estimator = ShareEstimator(data, specs + comparison_specs(specs), design, min_base)
    everything = estimator.overall()
    shares = {k: v for k, v in everything.items() if not k.endswith(REBASED)}
    cells = estimator.by(variables, wanted)
    explored = [s.id for s in specs if s.id in set(EXPLORER_INDICATORS)]
    crossed = estimator.by([domain_name(d) for d in domains], explored) if domains else {}
    indicators = tuple(
        Indicator(
            s.id,
            s.question_id,
            s.codes,
            s.base,
            s.label_fr,
            s.label_en,
            s.question_fr,
            s.question_en,
            shares[s.id],
        )
        for s in specs
    )
    breakdowns = tuple(_breakdown(questionnaire, v, data, cells[v]) for v in variables)
    notes: list[str] = []
    typology = (
        _or_note(notes, "typology", compute_typology, data, questionnaire, design, min_base)
        if with_typology
        else None
    )
    drivers = (
        _or_note(notes, "drivers", compute_drivers, data, questionnaire, design, driver_replicates)
        if with_drivers
        else None
    )
    covariances: dict[str, float] = {}
    if previous is not None and previous_data is not None:
        covariances = overlap_covariances(
            data,
            with_presence(previous_data),
            specs,
            stratum_population=design.stratum_population,
            weights=design.weights,
        )
    overlap = _overlap(data, previous_data) if covariances else 0
    readouts = _readouts(estimator, shares, breakdowns, wanted, min_base, notes)
    return WaveResults(
        wave=wave,
        questionnaire_id=questionnaire_id,
        n_respondents=data.height,
        min_base=min_base,
        indicators=indicators,
        breakdowns=breakdowns,
        weights=_weight_diagnostics(estimator.design.weight_diagnostics()),
        strata=_strata(data, design, questionnaire),
        typology=typology,
        drivers=drivers,
        published=compare_published(everything, typology),
        changes=(
            changes({i.id: i.share for i in previous.indicators}, shares, covariances=covariances)
            if previous
            else ()
        ),
        previous_wave=previous.wave if previous else None,
        notes=tuple(notes),
        crossings=crossing_results(questionnaire, data, domains, crossed),
        design=_plan(design, overlap),
        trend_covariance=covariances,
        **readouts,
    )


def _plan(design: DesignInfo, overlap: int) -> VariancePlan:
    cal = design.calibration_used
    return VariancePlan(
        kind=design.kind,
        strata=design.strata,
        fpc=design.has_fpc,
        calibration_method=None if cal is None else str(cal.method),
        margins=() if cal is None else tuple(cal.columns),
        trend_covariance=overlap > 0,
        overlap=overlap,
    )


def _overlap(data: pl.DataFrame, previous: pl.DataFrame | None) -> int:
    from barometre.report.trends import UNIT

    if previous is None or UNIT not in data.columns or UNIT not in previous.columns:
        return 0
    return len(set(data[UNIT].drop_nulls().to_list()) & set(previous[UNIT].drop_nulls().to_list()))


def _readouts(
    estimator: ShareEstimator,
    shares: dict[str, Share],
    breakdowns: tuple[Breakdown, ...],
    key_ids: Sequence[str],
    min_base: int,
    notes: list[str],
) -> dict[str, Any]:
    """Median and mean headcount, the tested size gaps, the key shares' design effects.

    A headcount column the design cannot read (not numeric) leaves the headcount out, with
    a note, as a failed model leaves out its part.
    """
    design = estimator.design
    columns = {s.id: f"_y{i}" for i, s in enumerate(estimator.specs) if s.id in set(key_ids)}
    out: dict[str, Any] = {
        "headcount": _or_note(notes, "headcount", readout.headcount_summary, design),
        "precision": readout.key_precision(
            design, columns, {k: shares[k].n for k in columns if k in shares}
        ),
    }
    size = next((b for b in breakdowns if b.variable == readout.SIZE), None)
    if size is not None:
        bases = {
            k: {c.domain: c.share.n for c in size.cells if c.indicator_id == k} for k in columns
        }
        out["size_gaps"] = readout.size_gaps(design, columns, bases, size.domains, min_base)
    return out


def _or_note(notes: list[str], part: str, compute: Callable[..., T], *args: Any) -> T | None:
    # A small or unusual wave can defeat a model (a driver with one level, separation); the
    # report then goes out without that part, and says why, rather than not at all.
    from barometre.stats import StatsError
    from barometre.typology import TypologyError

    try:
        return compute(*args)
    except (StatsError, TypologyError) as ex:
        reason = str(ex)
        notes.append(reason if reason.startswith(f"{part}: ") else f"{part}: {reason}")
        return None


def _breakdown(
    questionnaire: Questionnaire,
    variable: str,
    data: pl.DataFrame,
    cells: dict[tuple[str, str], Any],
) -> Breakdown:
    present = {str(v) for v in data[variable].drop_nulls().unique().to_list()}
    try:
        q = questionnaire.question(variable)
        order = [c for c in q.choices if c.code in present]
        domains = tuple(c.code for c in order)
        labels_fr = tuple(c.label_fr for c in order)
        labels_en = tuple(c.label_en for c in order)
        label_fr, label_en = q.label_fr, q.label_en
    except (KeyError, LookupError, AttributeError):
        domains = tuple(sorted(present, key=level_key(questionnaire, variable)))
        labels_fr = labels_en = domains
        label_fr = label_en = variable
    domains_extra = tuple(sorted(present - set(domains), key=level_key(questionnaire, variable)))
    domains += domains_extra
    labels_fr += domains_extra
    labels_en += domains_extra
    return Breakdown(
        variable,
        label_fr,
        label_en,
        domains,
        labels_fr,
        labels_en,
        tuple(BreakdownCell(i, d, s) for (i, d), s in cells.items()),
    )


def _weight_diagnostics(d: Any) -> WeightDiagnostics:
    return WeightDiagnostics(
        n=int(d.n),
        sum_weights=float(d.total),
        deff_kish=float(d.kish_deff),
        effective_n=float(d.effective_n),
        min_weight=float(d.min),
        max_weight=float(d.max),
        ratio=float(d.ratio),
    )


def _strata(data: pl.DataFrame, design: DesignInfo, questionnaire: Any) -> tuple[StratumCount, ...]:
    strata = design.strata
    if strata is None or strata not in data.columns:
        return ()
    # Weights added by math.fsum (exactly rounded): a polars group_by sum adds in an order
    # that depends on its threads, and results.json changed in the last digit between runs.
    by_stratum: dict[str, list[float]] = {}
    pairs = zip(
        data.get_column(strata).cast(pl.Utf8).to_list(),
        data.get_column(design.weights).cast(pl.Float64).to_list(),
        strict=True,
    )
    for stratum, weight in pairs:
        by_stratum.setdefault(str(stratum), []).append(weight)
    return tuple(
        StratumCount(
            s,
            len(by_stratum[s]),
            math.fsum(by_stratum[s]),
            stratum_label(questionnaire, s, "fr"),
            stratum_label(questionnaire, s, "en"),
        )
        for s in sorted(by_stratum, key=stratum_key(questionnaire))
    )
