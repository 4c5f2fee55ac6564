"""The change of every indicator since an earlier wave: 95 % CI, overlap, multiplicity.

The SE of a change is sqrt(se1^2 + se2^2 - 2 cov), the covariance coming from the firms that
answered both waves (`barometre.stats.change.overlap_covariance`; zero for independent
samples). The headline "k of K key indicators changed" tests K changes at once: without
control, at least one "changes" by chance in about 30 % of pairs of waves where nothing
changed, so the key indicators' p-values are adjusted by Holm's method (family-wise error
at 5 %); the other indicators are shown with their own p-values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import polars as pl

from barometre.questionnaire import PRESENT
from barometre.report.indicators import IndicatorSpec, indicator_columns
from barometre.report.results import Change, Share
from barometre.stats.change import Adjustment, adjust_p_values, overlap_covariance

Z_95 = 1.959963984540054  # standard normal quantile at 0.975
ADJUSTMENT: Adjustment = "holm"

# The key indicators of the trend headline: the family whose p-values are adjusted.
TREND_KEYS = (
    "presence_any",
    "activity.active_or_tres_active",
    "tempo.en_retard",
    "strategy.yes",
    "spend.zero",
    "spend.10k_or_more",
    "staff_trained.yes",
    "obstacles.lack_time",
    "competitive_edge.yes",
)


UNIT = "siren"  # the firm's identifier, the same in both waves
CELL = "weighting_cell"  # the weighting cell, within which the influences are centred


def overlap_covariances(
    current: pl.DataFrame,
    previous: pl.DataFrame,
    specs: Sequence[IndicatorSpec],
    *,
    stratum_population: Mapping[str, float] | None = None,
    weights: str = "weight",
    unit: str = UNIT,
) -> dict[str, float]:
    """Covariance of each indicator's two estimates, from the firms that answered both waves.

    Both frames are a wave's respondents (with `unit`, `stratum` and `weights`, and the
    weighting cell when the wave carries it); the indicators are the report's 0/1 columns
    over their bases, so the covariance is that of the two domain shares
    (`barometre.stats.change.overlap_covariance`). `stratum_population` gives the
    finite population correction of the overlap (none: strata taken as infinite). Empty
    when either wave lacks `unit` or no firm answered both.
    """
    if unit not in current.columns or unit not in previous.columns:
        return {}
    shared = set(current[unit].drop_nulls().to_list()) & set(previous[unit].drop_nulls().to_list())
    if not shared:
        return {}
    cell = CELL if CELL in current.columns and CELL in previous.columns else "stratum"
    wanted = [s for s in specs if _columns_of(s) <= set(previous.columns) & set(current.columns)]
    frames = []
    for frame in (current, previous):
        values, bases = indicator_columns(frame, wanted)
        frames.append(
            frame.with_columns(values + bases).with_columns(
                pl.when(pl.col(f"_d{i}")).then(pl.col(f"_y{i}")).otherwise(None).cast(pl.Float64)
                for i in range(len(wanted))
            )
        )
    strata = set(current["stratum"].cast(pl.String).to_list()) | set(
        previous["stratum"].cast(pl.String).to_list()
    )
    sizes = {s: math.inf for s in strata} | dict(stratum_population or {})
    out: dict[str, float] = {}
    for i, spec in enumerate(wanted):
        column = f"_y{i}"
        if frames[0][column].drop_nulls().is_empty() or frames[1][column].drop_nulls().is_empty():
            continue
        out[spec.id] = overlap_covariance(
            frames[1], frames[0], column, stratum_population=sizes, unit=unit,
            weights=weights, cell=cell,
        )  # fmt: skip
    return out


def _columns_of(spec: IndicatorSpec) -> set[str]:
    if spec.multiple:
        return {f"{spec.question_id}__{c}" for c in spec.codes}
    return {spec.question_id} | ({PRESENT} if spec.base == "present" else set())


def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def changes(
    previous: dict[str, Share],
    current: dict[str, Share],
    *,
    covariances: Mapping[str, float] | None = None,
    family: Sequence[str] = TREND_KEYS,
    adjustment: Adjustment = ADJUSTMENT,
) -> tuple[Change, ...]:
    """The change of every indicator present in both waves, 95 % CI.

    `covariances` (indicator -> covariance of the two estimates, from overlapping samples)
    enter the SE; the p-values of the indicators in `family` are adjusted together.
    """
    out: list[Change] = []
    for ind, cur in current.items():
        prev = previous.get(ind)
        if prev is None:
            continue
        if not (cur.shown and prev.shown) or None in (cur.estimate, prev.estimate, cur.se, prev.se):
            out.append(Change(ind, prev, cur, None, None, None, None))
            continue
        assert cur.estimate is not None and prev.estimate is not None
        assert cur.se is not None and prev.se is not None
        diff = cur.estimate - prev.estimate
        cov = (covariances or {}).get(ind, 0.0)
        se = math.sqrt(max(cur.se**2 + prev.se**2 - 2 * cov, 0.0))
        p = _two_sided_p(diff / se) if se > 0 else (1.0 if diff == 0 else 0.0)
        out.append(Change(ind, prev, cur, diff, diff - Z_95 * se, diff + Z_95 * se, p))
    members = [
        i for i, c in enumerate(out) if c.indicator_id in set(family) and c.p_value is not None
    ]
    adjusted = adjust_p_values([out[i].p_value or 0.0 for i in members], adjustment)
    for i, p_adj in zip(members, adjusted, strict=True):
        c = out[i]
        out[i] = Change(
            c.indicator_id, c.previous, c.current, c.difference, c.ci_low, c.ci_high,
            c.p_value, p_adj, adjustment,
        )  # fmt: skip
    return tuple(out)
