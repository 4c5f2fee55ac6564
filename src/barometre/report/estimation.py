"""Weighted shares of the indicators, overall and by domain, through `barometre.stats`.

Each indicator is a 0/1 column over a base (see `indicators`); its share is a domain proportion
of the survey design (the base as a domain, so that its size is random as it should be), with
R's `svyciprop` logit interval. Bases and unweighted shares are plain counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from barometre.report.errors import WaveFormatError
from barometre.report.indicators import IndicatorSpec, indicator_columns
from barometre.report.results import Share

FPC_COLUMN = "_fpc"  # the stratum frame sizes, added to the frame a design is built on
DesignKind = Literal["calibrated", "fpc", "plain"]
"""Which design the variances rest on: calibrated to the weighting's margins (with the fpc
when the stratum sizes are known), stratified with the fpc only, or plain (final weights and
strata, with replacement)."""


@dataclass(frozen=True)
class DesignInfo:
    """Which columns of the wave carry the design: final weights, strata, optional stratum sizes.

    `stratum_population` (stratum -> number of firms in the frame) adds a finite population
    correction; without it the design is treated as with replacement, as R does without `fpc`.
    `singleton` is what a stratum with one respondent adds to variances (R's
    `survey.lonely.psu`); "adjust" keeps a report from failing on a thin stratum.
    """

    weights: str = "weight"
    strata: str | None = "stratum"
    stratum_population: dict[str, float] = field(default_factory=dict)
    singleton: Literal["fail", "certainty", "adjust", "average"] = "adjust"
    margins: dict[str, dict[str, float]] = field(default_factory=dict)
    """The calibration totals of the wave's weighting (`WeightingSpec.margins`), on group
    columns the wave carries (`weighting.with_weighting_groups`): the design is recalibrated
    to them (g = 1, the final weights already meet them), which puts the calibration in
    every variance. Shorthand for `calibration=Calibration(margins)`."""
    calibration: Any = None
    """A `barometre.stats.Calibration` (margins, method, bounds); wins over `margins`."""

    @property
    def calibration_used(self) -> Any:
        """The calibration applied to the design (None for an uncalibrated one)."""
        if self.calibration is not None:
            return self.calibration
        if self.margins:
            from barometre.stats import Calibration

            return Calibration(self.margins)
        return None

    @property
    def kind(self) -> DesignKind:
        """ "calibrated", "fpc" (stratified with the fpc, not calibrated) or "plain"."""
        if self.calibration_used is not None:
            return "calibrated"
        return "fpc" if self.has_fpc else "plain"

    @property
    def has_fpc(self) -> bool:
        """True when the strata carry their population sizes (finite population correction)."""
        return self.strata is not None and bool(self.stratum_population)

    def on_columns(self, columns: Sequence[str]) -> DesignInfo:
        """This design as it can be built on a frame with these columns: a calibration
        whose group columns are absent is left out (the report says so in its annex)."""
        cal = self.calibration_used
        if cal is None or set(cal.columns) <= set(columns):
            return self
        return DesignInfo(self.weights, self.strata, dict(self.stratum_population), self.singleton)

    def with_fpc(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with a `_fpc` column (its stratum's frame size) when the sizes are known."""
        if not self.has_fpc or self.strata is None:
            return frame
        return frame.with_columns(
            pl.col(self.strata)
            .cast(pl.String)
            .replace_strict(self.stratum_population, return_dtype=pl.Float64)
            .alias(FPC_COLUMN)
        )

    def design(self, frame: pl.DataFrame) -> Any:
        """The wave's calibrated design with its fpc: the one place the report builds it."""
        from barometre.stats import Design

        info = self.on_columns(frame.columns)
        frame = info.with_fpc(frame)
        design = Design(
            frame,
            weights=info.weights,
            strata=info.strata,
            fpc=FPC_COLUMN if info.has_fpc else None,
            singleton=info.singleton,
        )
        cal = info.calibration_used
        return design if cal is None else cal.apply(design)


def _share(est: Any, n: int, unweighted: float | None, min_base: int) -> Share:
    if n < min_base:
        return Share(None, None, None, None, n, None, suppressed=True)
    estimate, se = _finite(est.estimate), _finite(est.se)
    if estimate is None:
        return Share(None, None, None, None, n, unweighted, suppressed=True)
    return Share(estimate, se, _finite(est.ci_low), _finite(est.ci_high), n, unweighted)


def _finite(x: Any) -> float | None:
    # JSON has no NaN, and a NaN interval (R's rule at p = 0 or 1) is better shown as absent.
    v = float(x)
    return v if math.isfinite(v) else None


def _empty(n: int) -> Share:
    return Share(None, None, None, None, n, None, suppressed=True)


class ShareEstimator:
    """Estimates the indicators of one wave, overall and in the domains of breakdown variables.

    Each indicator becomes a 0/1 column, missing outside its base; `barometre.stats` leaves
    missing values out as R's `na.rm` does, which is domain estimation over the base.
    """

    def __init__(
        self,
        wave: pl.DataFrame,
        specs: Sequence[IndicatorSpec],
        design: DesignInfo,
        min_base: int,
    ) -> None:

        for col in (design.weights, design.strata):
            if col is not None and col not in wave.columns:
                raise WaveFormatError(f"the wave has no design column {col!r}")
        self.specs = tuple(specs)
        self.min_base = min_base
        values, bases = indicator_columns(wave, specs)
        frame = wave.with_columns(values + bases).with_columns(
            pl.when(pl.col(f"_d{i}")).then(pl.col(f"_y{i}")).otherwise(None).cast(pl.Float64)
            for i in range(len(self.specs))
        )
        self.frame = frame
        self.design = design.design(frame)

    def _estimate(
        self, indices: Sequence[int], by: Sequence[str | None]
    ) -> dict[tuple[int, str | None, str | None], Share]:
        """{(indicator index, by variable, domain): Share} for the given indicators."""
        counts = self._counts(indices, by)
        ones = {i for (i, _, _), (_, k) in counts.items() if k > 0}
        answered = {i for (i, _, _), (n, _) in counts.items() if n > 0}
        # A level must occur to be asked for: an indicator never chosen is 1 - share of level 0;
        # one nobody answered has no level at all and stays empty.
        asked = [(f"_y{i}", 1.0 if i in ones else 0.0) for i in indices if i in answered]
        rows = (
            self.design.estimate_many(proportions=asked, by=list(by), ci="logit") if asked else ()
        )
        out: dict[tuple[int, str | None, str | None], Share] = {}
        index = {f"_y{i}": i for i in indices}
        for row in rows:
            i = index[row.variable]
            domain = None if row.by is None else str(row.domain)
            n, k = counts.get((i, row.by, domain), (0, 0))
            est = row.value if i in ones else _complement(row.value)
            out[(i, row.by, domain)] = (
                _empty(n) if n < max(self.min_base, 1) else _share(est, n, k / n, self.min_base)
            )
        for key, (n, _) in counts.items():
            out.setdefault(key, _empty(n))
        return out

    def _counts(
        self, indices: Sequence[int], by: Sequence[str | None]
    ) -> dict[tuple[int, str | None, str | None], tuple[int, int]]:
        out: dict[tuple[int, str | None, str | None], tuple[int, int]] = {}
        aggs = [pl.col(f"_d{i}").sum().alias(f"n{i}") for i in indices] + [
            pl.col(f"_y{i}").sum().alias(f"k{i}") for i in indices
        ]
        for b in by:
            if b is None:
                table = self.frame.select(aggs).with_columns(pl.lit(None).alias("_domain"))
            else:
                table = (
                    self.frame.filter(pl.col(b).is_not_null())
                    .group_by(pl.col(b).cast(pl.Utf8).alias("_domain"))
                    .agg(aggs)
                )
            for r in table.iter_rows(named=True):
                domain = None if b is None else str(r["_domain"])
                for i in indices:
                    out[(i, b, domain)] = (int(r[f"n{i}"] or 0), int(r[f"k{i}"] or 0))
        return out

    def overall(self) -> dict[str, Share]:
        """Every indicator over its whole base: {indicator id: Share}."""
        est = self._estimate(range(len(self.specs)), [None])
        return {s.id: est[(i, None, None)] for i, s in enumerate(self.specs)}

    def by(
        self, variables: Sequence[str], indicator_ids: Sequence[str]
    ) -> dict[str, dict[tuple[str, str], Share]]:
        """The chosen indicators in each domain: {variable: {(indicator id, domain): Share}}."""
        for v in variables:
            if v not in self.frame.columns:
                raise WaveFormatError(f"the wave has no breakdown column {v!r}")
        wanted = set(indicator_ids)
        indices = [i for i, s in enumerate(self.specs) if s.id in wanted]
        out: dict[str, dict[tuple[str, str], Share]] = {v: {} for v in variables}
        if not indices or not variables:
            return out
        for (i, b, domain), share in self._estimate(indices, list(variables)).items():
            if b is not None and domain is not None and not self.specs[i].id.startswith(b + "."):
                out[b][(self.specs[i].id, domain)] = share
        return out


def _complement(est: Any) -> Any:
    # The logit interval is symmetric under p -> 1 - p, so the complement is exact.
    from barometre.stats import Estimate

    return Estimate(1 - est.estimate, est.se, 1 - est.ci_high, 1 - est.ci_low, est.df, est.n)
