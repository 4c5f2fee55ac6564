"""Weighting a wave: design weights adjusted for non-response and raked to the frame's margins.

One calibration step, as `barometre.stats` requires for honest variances: the respondents'
design weights are raked at once to the frame counts of the weighting cells (size band x
sector, the strata: this is the non-response adjustment within strata) and of the regions
(the France Num barometer's model: size x sector x region). Chaining a separate
non-response step and a raking step would leave the first out of the variance.

Thin cells are collapsed before raking, because a cell without respondents cannot be
calibrated and a cell of two respondents gives them huge weights: a size x sector cell with
fewer than `min_cell` respondents is merged with the other thin cells of its size band (then
with the whole size band if still thin); a region with fewer than `min_cell` respondents joins
an "other regions" group. Every merge is reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from barometre.errors import UserError
from barometre.stats import Design, WeightDiagnostics

CELL = "weighting_cell"
REGION_GROUP = "weighting_region"
OTHER_REGIONS = "other_regions"
DEFAULT_MIN_CELL = 5
# Bounds on g = final / design weight, relative to the overall non-response adjustment,
# applied inside the raking (trimming in one step, as the variance requires).
DEFAULT_BOUNDS = (0.25, 4.0)


class WeightingError(UserError, ValueError):
    """The wave cannot be weighted as asked (missing columns, no respondents, bad counts)."""


@dataclass(frozen=True)
class CellMerge:
    """A group of frame cells weighted together, and why."""

    variable: str
    merged: tuple[str, ...]
    into: str
    respondents: int


@dataclass(frozen=True)
class WaveWeighting:
    """The final weights of a wave, the calibrated design, and how they were obtained."""

    weights: pl.DataFrame  # case_id, weight
    design: Design
    margins: Mapping[str, Mapping[str, float]]
    merges: tuple[CellMerge, ...]
    diagnostics: WeightDiagnostics
    bounds: tuple[float, float] | None
    population: float


def frame_counts(
    frame: pl.DataFrame, variables: Sequence[str] = ("size_band", "sector", "region")
) -> pl.DataFrame:
    """Counts of frame units by the weighting variables (the population the wave represents)."""
    missing = [v for v in variables if v not in frame.columns]
    if missing:
        raise WeightingError(f"the frame has no column(s) {missing}")
    return frame.group_by(list(variables)).agg(pl.len().alias("units")).sort(list(variables))


def _collapse_cells(
    respondents: pl.DataFrame, counts: pl.DataFrame, min_cell: int
) -> tuple[dict[str, str], list[CellMerge]]:
    """Map every size x sector cell of the frame to the cell it is weighted in."""
    cells = counts.group_by("size_band", "sector").agg(pl.col("units").sum())
    resp = respondents.group_by("size_band", "sector").agg(pl.len().alias("r"))
    table = cells.join(resp, on=["size_band", "sector"], how="left").with_columns(
        pl.col("r").fill_null(0)
    )
    mapping: dict[str, str] = {}
    merges: list[CellMerge] = []
    for (size,), group in table.sort("size_band", "sector").group_by(
        ["size_band"], maintain_order=True
    ):
        if int(group["r"].sum()) < min_cell:
            raise WeightingError(
                f"size band {size} has {int(group['r'].sum())} respondent(s), fewer than "
                f"min_cell={min_cell}: too few to weight it; lower min_cell or merge size bands"
            )
        thin = group.filter(pl.col("r") < min_cell)
        for row in group.filter(pl.col("r") >= min_cell).iter_rows(named=True):
            mapping[f"{size}|{row['sector']}"] = f"{size}|{row['sector']}"
        if thin.height == 0:
            continue
        names = [f"{size}|{s}" for s in thin["sector"].to_list()]
        r = int(thin["r"].sum())
        if r >= min_cell or thin.height == group.height:
            into = f"{size}|other_sectors" if thin.height < group.height else f"{size}|all"
        else:
            # Still thin: the whole size band is weighted as one cell.
            into = f"{size}|all"
            names = [f"{size}|{s}" for s in group["sector"].to_list()]
            r = int(group["r"].sum())
        for name in names:
            mapping[name] = into
        merges.append(CellMerge("size_band x sector", tuple(names), into, r))
    return mapping, merges


def _collapse_regions(
    respondents: pl.DataFrame, counts: pl.DataFrame, min_cell: int
) -> tuple[dict[str, str], list[CellMerge]]:
    regions = counts.group_by("region").agg(pl.col("units").sum())
    resp = respondents.group_by("region").agg(pl.len().alias("r"))
    table = regions.join(resp, on="region", how="left").with_columns(pl.col("r").fill_null(0))
    mapping = {str(r): str(r) for r in table["region"].to_list()}
    thin = table.filter(pl.col("r") < min_cell)
    if thin.height == 0:
        return mapping, []
    group = [str(r) for r in thin["region"].to_list()]
    r = int(thin["r"].sum())
    # Still too thin together: add the smallest regions until the group can be calibrated.
    for region, count in (
        table.filter(pl.col("r") >= min_cell).sort("r", "region").select("region", "r").iter_rows()
    ):
        if r >= min_cell:
            break
        group.append(str(region))
        r += int(count)
    names = tuple(sorted(group))
    for name in names:
        mapping[name] = OTHER_REGIONS
    return mapping, [CellMerge("region", names, OTHER_REGIONS, r)]


def weight_wave(
    wave: pl.DataFrame,
    counts: pl.DataFrame,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    bounds: tuple[float, float] | None = DEFAULT_BOUNDS,
    use_region: bool = True,
) -> WaveWeighting:
    """Final weights of a wave dataset (docs/dev/vocabulary.md) from the frame counts.

    `counts` has `size_band`, `sector`, `region` and `units` (see `frame_counts`). The
    respondents' `design_weight` (1 / inclusion probability) is raked to the cells and
    regions; `bounds` keep every adjustment factor within (low, high).
    """
    needed = ["case_id", "design_weight", "stratum", "size_band", "sector"] + (
        ["region"] if use_region else []
    )
    missing = [c for c in needed if c not in wave.columns]
    if missing:
        raise WeightingError(f"the wave dataset has no column(s) {missing}")
    if wave.height == 0:
        raise WeightingError("the wave has no respondents to weight")
    nulls = [c for c in needed if wave[c].null_count()]
    if nulls:
        raise WeightingError(
            f"respondents without a value in {nulls}: every case needs its frame data"
        )
    cell_map, merges = _collapse_cells(wave, counts, min_cell)
    data = wave.with_columns(
        pl.concat_str("size_band", "sector", separator="|")
        .replace_strict(cell_map, default=None)
        .alias(CELL)
    )
    orphans = data.filter(pl.col(CELL).is_null())
    if orphans.height:
        example = orphans.select("case_id", "size_band", "sector").row(0)
        raise WeightingError(
            f"{orphans.height} respondent(s) in a size x sector cell absent from the frame, "
            f"e.g. case {example[0]} ({example[1]} x {example[2]})"
        )
    cell_totals = (
        counts.with_columns(
            pl.concat_str("size_band", "sector", separator="|")
            .replace_strict(cell_map, default=None)
            .alias(CELL)
        )
        .group_by(CELL)
        .agg(pl.col("units").sum())
    )
    margins: dict[str, dict[str, float]] = {
        CELL: {str(k): float(v) for k, v in cell_totals.iter_rows()}
    }
    if use_region:
        region_map, region_merges = _collapse_regions(wave, counts, min_cell)
        merges += region_merges
        data = data.with_columns(
            pl.col("region")
            .cast(pl.String)
            .replace_strict(region_map, default=None)
            .alias(REGION_GROUP)
        )
        if data[REGION_GROUP].null_count():
            raise WeightingError("a respondent's region is absent from the frame counts")
        region_totals = (
            counts.with_columns(
                pl.col("region").cast(pl.String).replace_strict(region_map).alias(REGION_GROUP)
            )
            .group_by(REGION_GROUP)
            .agg(pl.col("units").sum())
        )
        margins[REGION_GROUP] = {str(k): float(v) for k, v in region_totals.iter_rows()}
    # Scale the design weights by the overall adjustment (population / respondents' design
    # weights, about 1 / response rate) so that the bounds trim cell adjustments, not the
    # response rate. A constant factor changes neither raked weights nor their variance.
    overall = float(counts["units"].sum()) / float(data["design_weight"].sum())
    data = data.with_columns((pl.col("design_weight") * overall).alias("base_weight"))
    base = Design(data, weights="base_weight", strata="stratum", singleton="adjust")
    design = base.rake(margins, bounds=bounds)
    weights = pl.DataFrame({"case_id": data["case_id"], "weight": design.weights})
    return WaveWeighting(
        weights=weights,
        design=design,
        margins=margins,
        merges=tuple(merges),
        diagnostics=design.weight_diagnostics(),
        bounds=bounds,
        population=float(counts["units"].sum()),
    )
