"""Segment shares with confidence intervals, and segment profiles, through ``barometre.stats``.

Shares are domain proportions among classified respondents (not-classified
rows stay in the design, so variances are those of a domain, and they are
counted in the result). A profile gives, for each segment, the weighted
distribution of a few variables, and flags categories over- or
under-represented: a design-based (Rao-Scott) test of "in the segment" x
"has the category" against the rest of the classified respondents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from barometre.stats import Calibration, Design, Estimate
from barometre.typology._frame import as_polars
from barometre.typology.errors import ColumnError
from barometre.typology.rules import (
    NOT_CLASSIFIED,
    RuleTypology,
    Segment,
    SegmentCount,
    assign_segments,
    load_typology,
)

#: The variables a segment profile describes by default (vocabulary.md ids).
PROFILE_VARIABLES = ("size_band", "sector", "market", "spend", "staff_trained", "leader_activity")
_SEGMENT = "__segment"


@dataclass(frozen=True)
class DesignSpec:
    """Which columns of the wave describe the sample design."""

    weights: str = "weight"
    strata: str | None = "stratum"
    psu: str | None = None
    fpc: str | None = None
    singleton: Literal["fail", "certainty", "adjust", "average"] = "adjust"
    calibration: Calibration | None = None
    """The wave's calibration (margins on group columns of the frame): every design built
    here is calibrated to it over all the respondents, so SEs know the weighting."""

    def design(self, frame: pl.DataFrame) -> Design:
        """A ``barometre.stats.Design`` over ``frame``, calibrated when a calibration is set."""
        strata = self.strata if self.strata in frame.columns else None
        design = Design(
            frame,
            weights=self.weights,
            strata=strata,
            psu=self.psu,
            fpc=self.fpc,
            singleton=self.singleton,
        )
        if self.calibration is None:
            return design
        missing = [c for c in self.calibration.columns if c not in frame.columns]
        if missing:
            raise ColumnError(f"the calibration's group column(s) {missing} are not in the wave")
        return self.calibration.apply(design)


@dataclass(frozen=True)
class SegmentShare:
    """Weighted share of a segment among classified respondents, with its CI."""

    segment: Segment
    estimate: Estimate
    n: int


@dataclass(frozen=True)
class SegmentShares:
    """All segment shares of a wave, and who could not be classified."""

    typology_id: str
    shares: tuple[SegmentShare, ...]
    counts: tuple[SegmentCount, ...]
    n_not_classified: int
    not_classified_share: Estimate | None
    missing_by_question: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CategoryProfile:
    """One category of a profile variable within one segment, against the other segments."""

    variable: str
    level: str
    in_segment: Estimate
    elsewhere: float
    overall: float
    p_value: float
    over_represented: bool
    under_represented: bool


@dataclass(frozen=True)
class SegmentProfile:
    """The profile of one segment: one entry per category of each profile variable."""

    segment: Segment
    n: int
    categories: tuple[CategoryProfile, ...]

    def significant(self) -> tuple[CategoryProfile, ...]:
        """Categories significantly over- or under-represented in the segment."""
        return tuple(c for c in self.categories if c.over_represented or c.under_represented)


def _with_segments(df: Any, typology: RuleTypology) -> tuple[pl.DataFrame, Any]:
    frame = as_polars(df)
    assignment = assign_segments(frame, typology)
    seg = assignment.segments
    col = pl.Series(_SEGMENT, seg).replace(NOT_CLASSIFIED, None)
    return frame.with_columns(col), assignment


def segment_shares(
    df: Any, typology: RuleTypology | None = None, design: DesignSpec | None = None
) -> SegmentShares:
    """Weighted share (with CI) of every segment among classified respondents."""
    typo = typology or load_typology()
    spec = design or DesignSpec()
    frame, assignment = _with_segments(df, typo)
    d = spec.design(frame)
    props = d.proportions(_SEGMENT)
    counts = {c.segment: c.n for c in assignment.counts}
    shares = tuple(
        SegmentShare(segment=s, estimate=props[s.id], n=counts[s.id])
        for s in typo.segments
        if s.id in props
    )
    nc_share = None
    if assignment.n_not_classified and assignment.n_classified:
        flag = pl.col(_SEGMENT).is_null().cast(pl.Int8).alias("__not_classified")
        nc_share = spec.design(frame.with_columns(flag)).proportion("__not_classified", 1)
    return SegmentShares(
        typology_id=typo.id,
        shares=shares,
        counts=assignment.counts,
        n_not_classified=assignment.n_not_classified,
        not_classified_share=nc_share,
        missing_by_question=assignment.missing_by_question,
    )


def segment_profiles(
    df: Any,
    typology: RuleTypology | None = None,
    variables: Sequence[str] = PROFILE_VARIABLES,
    design: DesignSpec | None = None,
    alpha: float = 0.05,
) -> tuple[SegmentProfile, ...]:
    """Weighted distribution of ``variables`` in each segment, with significant categories."""
    typo = typology or load_typology()
    spec = design or DesignSpec()
    frame, assignment = _with_segments(df, typo)
    missing = [v for v in variables if v not in frame.columns]
    if missing:
        raise ColumnError(f"profile variables missing from the wave: {missing}")
    classified = pl.col(_SEGMENT).is_not_null()
    extra: list[pl.Expr] = []
    present = [s for s in typo.segments if s.id in set(frame.get_column(_SEGMENT).drop_nulls())]
    for s in present:
        extra.append(
            pl.when(classified).then(pl.col(_SEGMENT) == s.id).otherwise(None).alias(f"__in_{s.id}")
        )
    levels: dict[str, list[str]] = {}
    for v in variables:
        vals = frame.filter(classified).get_column(v).cast(pl.Utf8).drop_nulls().unique().sort()
        levels[v] = vals.to_list()
        for lev in levels[v]:
            is_lev = pl.col(v).cast(pl.Utf8) == lev
            extra.append(pl.when(classified).then(is_lev).otherwise(None).alias(f"__has_{v}_{lev}"))
    wide = frame.with_columns(extra)
    wide = wide.with_columns(
        [pl.col(c).cast(pl.Utf8) for c in wide.columns if c.startswith(("__in_", "__has_"))]
    )
    d = spec.design(wide)
    by_segment = d.by(_SEGMENT)
    counts = {c.segment: c.n for c in assignment.counts}
    overall_w = {v: _overall_shares(wide.filter(classified), v, spec.weights) for v in variables}
    profiles = []
    for s in present:
        cats = []
        for v in variables:
            within = by_segment.proportions(v)[s.id]
            for lev in levels[v]:
                est = within.get(lev)
                if est is None:
                    continue
                rest = _share_elsewhere(wide, s.id, v, lev, spec.weights)
                table = d.crosstab(f"__in_{s.id}", f"__has_{v}_{lev}")
                p = table.rao_scott.p_value
                signif = p < alpha
                cats.append(
                    CategoryProfile(
                        variable=v,
                        level=lev,
                        in_segment=est,
                        elsewhere=rest,
                        overall=overall_w[v].get(lev, 0.0),
                        p_value=p,
                        over_represented=signif and est.estimate > rest,
                        under_represented=signif and est.estimate < rest,
                    )
                )
        profiles.append(SegmentProfile(segment=s, n=counts[s.id], categories=tuple(cats)))
    return tuple(profiles)


def _overall_shares(frame: pl.DataFrame, variable: str, weights: str) -> dict[str, float]:
    # math.fsum, not a polars group_by sum: the group_by adds in an order that depends on its
    # threads, so the last digit changed from run to run; fsum is exactly rounded, whatever
    # the order.
    sub = frame.filter(pl.col(variable).is_not_null())
    levels = sub.get_column(variable).cast(pl.Utf8).to_list()
    w = sub.get_column(weights).cast(pl.Float64).to_list()
    by_level: dict[str, list[float]] = {}
    for level, weight in zip(levels, w, strict=True):
        by_level.setdefault(str(level), []).append(weight)
    total = math.fsum(w)
    return {level: math.fsum(ws) / total for level, ws in by_level.items()}


def _share_elsewhere(
    frame: pl.DataFrame, segment: str, variable: str, level: str, weights: str
) -> float:
    other = frame.filter(
        pl.col(_SEGMENT).is_not_null()
        & (pl.col(_SEGMENT) != segment)
        & pl.col(variable).is_not_null()
    )
    total = float(other.get_column(weights).sum())
    if total == 0:
        return float("nan")
    hit = float(other.filter(pl.col(variable).cast(pl.Utf8) == level).get_column(weights).sum())
    return hit / total
