"""The typology and the drivers of a wave, computed by `barometre.typology`, as report results."""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from barometre.questionnaire import Language, Questionnaire
from barometre.report.estimation import DesignInfo
from barometre.report.indicators import short_name
from barometre.report.order import level_key
from barometre.report.results import (
    DriverGroup,
    Drivers,
    DriverTerm,
    ProfileItem,
    Segment,
    Share,
    Typology,
)


def _spec(design: DesignInfo, data: pl.DataFrame) -> tuple[Any, pl.DataFrame]:
    """The typology's design spec for the report's design, and the data it is built on
    (with the fpc column): the same calibrated design with its fpc as the shares'."""
    from barometre.report.estimation import FPC_COLUMN
    from barometre.typology import DesignSpec

    info = design.on_columns(data.columns)
    spec = DesignSpec(
        weights=info.weights,
        strata=info.strata,
        fpc=FPC_COLUMN if info.has_fpc else None,
        singleton=info.singleton,
        calibration=info.calibration_used,
    )
    return spec, info.with_fpc(data)


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _choice_label(questionnaire: Questionnaire, question_id: str, code: str, lang: Language) -> str:
    try:
        return str(questionnaire.choice_label(question_id, code, lang))
    except Exception:  # a code the questionnaire does not know is shown as is
        return code


def compute_typology(
    data: pl.DataFrame, questionnaire: Questionnaire, design: DesignInfo, min_base: int
) -> Typology | None:
    """The 2x2 rule typology: weighted shares with CIs and each segment's profile."""
    from barometre.typology import (
        PROFILE_VARIABLES,
        load_typology,
        segment_profiles,
        segment_shares,
    )

    if not {"activity", "tempo"} <= set(data.columns):
        return None
    spec, data = _spec(design, data)
    typology = load_typology()
    shares = segment_shares(data, typology, design=spec)
    variables = [v for v in PROFILE_VARIABLES if v in data.columns]
    profiles = {p.segment.id: p for p in segment_profiles(data, typology, variables, spec)}
    n_classified = sum(s.n for s in shares.shares)
    segments = []
    for s in shares.shares:
        e = s.estimate
        share = (
            Share(None, None, None, None, s.n, None, suppressed=True)
            if s.n < min_base
            else Share(
                e.estimate,
                _finite(e.se),
                _finite(e.ci_low),
                _finite(e.ci_high),
                s.n,
                s.n / n_classified if n_classified else None,
            )
        )
        profile = profiles.get(s.segment.id)
        items = tuple(
            ProfileItem(
                c.variable,
                c.level,
                f"{short_name(c.variable, 'fr')} : "
                f"{_choice_label(questionnaire, c.variable, c.level, 'fr')}",
                f"{short_name(c.variable, 'en')}: "
                f"{_choice_label(questionnaire, c.variable, c.level, 'en')}",
                c.in_segment.estimate,
                c.overall,
                "over" if c.over_represented else "under" if c.under_represented else "",
            )
            for c in (profile.categories if profile is not None else ())
        )
        segments.append(
            Segment(
                s.segment.id,
                s.segment.name_fr,
                s.segment.name_en,
                s.segment.description_fr,
                s.segment.description_en,
                share,
                items,
                _position(typology, s.segment),
            )
        )
    labels = _axis_labels(typology)
    return Typology(
        tuple(segments), n_classified, shares.n_not_classified, labels["fr"], labels["en"]
    )


def _position(typology: Any, segment: Any) -> tuple[int, int] | None:
    # Two axes of two sides each make a 2x2 chart: the first axis runs left to right, the
    # second bottom to top, each in the order the definition lists its sides.
    if len(typology.axes) != 2 or any(len(a.sides) != 2 for a in typology.axes):
        return None
    sides = dict(segment.sides)
    col_axis, row_axis = typology.axes
    col = [s.id for s in col_axis.sides].index(sides[col_axis.id])
    row = [s.id for s in row_axis.sides].index(sides[row_axis.id])
    return col, row


def _axis_labels(typology: Any) -> dict[str, tuple[str, ...]]:
    if len(typology.axes) != 2:
        return {"fr": (), "en": ()}
    return {
        lang: tuple(
            s.name_en if lang == "en" else s.name_fr for a in typology.axes for s in a.sides
        )
        for lang in ("fr", "en")
    }


def compute_drivers(
    data: pl.DataFrame, questionnaire: Questionnaire, design: DesignInfo, replicates: int
) -> Drivers | None:
    """Odds ratios of being "active or très active", and each driver group's relative weight.

    `replicates` bootstrap replicates give the importance CIs and first-rank frequencies.
    """
    from barometre.typology import DRIVERS, activity_drivers

    groups = [g for g in DRIVERS if g in data.columns]
    if "activity" not in data.columns or len(groups) < 2:
        return None
    spec, data = _spec(design, data)
    result = activity_drivers(data, groups=groups, design=spec, replicates=replicates)
    terms = tuple(
        DriverTerm(
            t.term,
            t.group or "",
            _term_label(questionnaire, t.group, t.level, "fr"),
            _term_label(questionnaire, t.group, t.level, "en"),
            _choice_label(questionnaire, t.group or "", _reference(result, t.group), "fr"),
            _choice_label(questionnaire, t.group or "", _reference(result, t.group), "en"),
            t.odds_ratio,
            t.ci_low,
            t.ci_high,
            t.p_value,
        )
        for t in sorted(
            (t for t in result.terms if t.group is not None and t.level is not None),
            # The model's levels are in text order (R's factor default); the report reads
            # them in the questionnaire's order, groups kept together.
            key=lambda t: (
                groups.index(str(t.group)),
                level_key(questionnaire, str(t.group))(str(t.level)),
            ),
        )
    )
    groups_out = tuple(
        DriverGroup(
            g.group,
            short_name(g.group, "fr"),
            short_name(g.group, "en"),
            g.delta_r2,
            _finite(g.ci_low),
            _finite(g.ci_high),
            g.share,
            _finite(g.rank_first),
        )
        for g in result.importance
        if math.isfinite(g.share)
    )
    return Drivers("activity.active_or_tres_active", result.n, terms, groups_out)


def _reference(result: Any, group: str | None) -> str:
    for g in result.importance:
        if g.group == group:
            return str(g.reference_level)
    return ""


def _term_label(
    questionnaire: Questionnaire, group: str | None, level: str | None, lang: Language
) -> str:
    if group is None or level is None:
        return ""
    name = short_name(group, lang)
    level_label = _choice_label(questionnaire, group, level, lang)
    return f"{name}: {level_label}" if lang == "en" else f"{name} : {level_label}"
