"""Weighting a wave: design weights adjusted for non-response and raked to the frame's margins.

One calibration step, as `barometre.stats` requires for honest variances: the respondents'
design weights are raked at once to the frame counts of the weighting cells (size band x
sector, the strata: this is the non-response adjustment within strata), of the regions (the
France Num barometer's model: size x sector x region) and, when asked, of registry
auxiliaries (company age, legal category group, employer status, establishments; see
`barometre.auxiliaries`). Chaining a separate non-response step and a raking step would
leave the first out of the variance.

Thin cells are collapsed before raking, because a cell without respondents cannot be
calibrated and a cell of two respondents gives them huge weights: the thinnest size x sector
cell with fewer than `min_cell` respondents is merged with its nearest neighbour *inside its
size band* (the cell whose non-response adjustment, frame count / respondents' design
weights, is closest), and so on until every cell has `min_cell`; one thin cell never takes
the whole band with it. A region with fewer than `min_cell` respondents joins an "other
regions" group; a thin level of an auxiliary joins its nearest level.

When the bounds cannot be met (a linear program would find no g in them: a cell of five
respondents may need g > 4), the fallback ladder (`LADDER`) is climbed, one rung at a time,
until the calibration succeeds: (1) collapse the thinnest cell with its nearest neighbour
in its size band, up to `MAX_COLLAPSES` times; (2) widen the bounds step by step
(`RELAX_FACTORS`); (3) drop the auxiliary margins, then the regions; (4) rake without
bounds; (5) post-stratify on the cells alone, which always succeeds once every cell has a
respondent. Every step taken is returned in `WaveWeighting.steps` for the weighting report
and the annex.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from barometre.errors import UserError
from barometre.stats import Design, MarginError, StatsError, WeightDiagnostics

CELL = "weighting_cell"
REGION_GROUP = "weighting_region"
OTHER_REGIONS = "other_regions"
DEFAULT_MIN_CELL = 5
# Bounds on g = final / design weight, relative to the overall non-response adjustment,
# applied inside the raking (trimming in one step, as the variance requires).
DEFAULT_BOUNDS = (0.25, 4.0)
MAX_COLLAPSES = 3
# Newton's method meets feasible bounds in a few dozen steps; an attempt still short of the
# margins after this many is taken as infeasible and the ladder goes on.
RAKING_MAX_ITER = 200
# Each relaxation divides the lower bound and multiplies the upper one by the factor
# (from the bounds asked): (0.25, 4) -> (0.2, 5) -> (0.1, 10) -> (0.05, 20).
RELAX_FACTORS = (1.25, 2.5, 5.0)
StepKind = Literal["collapse", "relax_bounds", "drop_margin", "unbounded", "poststratify"]
LADDER: tuple[StepKind, ...] = (
    "collapse",
    "relax_bounds",
    "drop_margin",
    "unbounded",
    "poststratify",
)


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
class FallbackStep:
    """One rung of the fallback ladder, taken because the calibration before it failed."""

    kind: StepKind
    detail: str  # what was done, in English (logs, the weighting report)
    bounds: tuple[float, float] | None  # the bounds in force after the step
    reason: str  # why the previous attempt failed

    def describe(self, lang: str = "en") -> str:
        """The step in a reader's words (the methodology annex)."""
        b = (
            ""
            if self.bounds is None
            else f"[{_num(self.bounds[0], lang)} ; {_num(self.bounds[1], lang)}]"
        )
        if lang == "fr":
            return {
                "collapse": f"cellules regroupées ({self.detail})",
                "relax_bounds": f"bornes élargies à {b}",
                "drop_margin": f"marge abandonnée ({self.detail})",
                "unbounded": "calage sans bornes",
                "poststratify": "post-stratification sur les seules cellules taille x secteur",
            }[self.kind]
        b = b.replace(" ;", ",")
        return {
            "collapse": f"cells merged ({self.detail})",
            "relax_bounds": f"bounds widened to {b}",
            "drop_margin": f"margin dropped ({self.detail})",
            "unbounded": "raking without bounds",
            "poststratify": "post-stratification on the size x sector cells alone",
        }[self.kind]


def _num(x: float, lang: str) -> str:
    text = f"{x:g}"
    return text.replace(".", ",") if lang == "fr" else text


@dataclass(frozen=True)
class WeightingSpec:
    """Everything needed to rebuild a wave's calibrated design, stored with the wave.

    `cell_map` / `region_map` / `level_maps` send every frame value to the group it was
    weighted in; `margins` are the calibration totals of those groups; `method` is
    "raking" (bounded when `bounds` is set) or "poststratification"; `stratum_population`
    (stratum -> frame units) gives the finite population correction.
    """

    margins: Mapping[str, Mapping[str, float]]
    cell_map: Mapping[str, str]
    region_map: Mapping[str, str]
    level_maps: Mapping[str, Mapping[str, str]]
    bounds: tuple[float, float] | None
    method: Literal["raking", "poststratification"]
    stratum_population: Mapping[str, float]
    population: float
    steps: tuple[FallbackStep, ...] = ()

    def to_json(self) -> str:
        """The spec as JSON text (what the store keeps)."""
        return json.dumps(
            {
                "margins": self.margins,
                "cell_map": self.cell_map,
                "region_map": self.region_map,
                "level_maps": self.level_maps,
                "bounds": None if self.bounds is None else list(self.bounds),
                "method": self.method,
                "stratum_population": self.stratum_population,
                "population": self.population,
                "steps": [
                    {
                        "kind": s.kind,
                        "detail": s.detail,
                        "bounds": None if s.bounds is None else list(s.bounds),
                        "reason": s.reason,
                    }
                    for s in self.steps
                ],
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> WeightingSpec:
        """Read a spec written by `to_json`; a damaged text raises WeightingError."""
        try:
            raw = json.loads(text)
            bounds = raw["bounds"]
            return cls(
                margins={
                    k: {str(a): float(b) for a, b in v.items()} for k, v in raw["margins"].items()
                },
                cell_map={str(k): str(v) for k, v in raw["cell_map"].items()},
                region_map={str(k): str(v) for k, v in raw["region_map"].items()},
                level_maps={
                    k: {str(a): str(b) for a, b in v.items()} for k, v in raw["level_maps"].items()
                },
                bounds=None if bounds is None else (float(bounds[0]), float(bounds[1])),
                method=raw["method"],
                stratum_population={str(k): float(v) for k, v in raw["stratum_population"].items()},
                population=float(raw["population"]),
                steps=tuple(
                    FallbackStep(
                        s["kind"],
                        s["detail"],
                        None
                        if s["bounds"] is None
                        else (float(s["bounds"][0]), float(s["bounds"][1])),
                        s["reason"],
                    )
                    for s in raw.get("steps", [])
                ),
            )
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise WeightingError(f"the stored weighting spec cannot be read: {err}") from err


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
    steps: tuple[FallbackStep, ...] = ()
    spec: WeightingSpec | None = field(default=None)


def frame_counts(
    frame: pl.DataFrame,
    variables: Sequence[str] = ("size_band", "sector", "region"),
    *,
    strata: Sequence[str] = ("size_band", "sector"),
) -> pl.DataFrame:
    """Counts of frame units by the weighting variables (the population the wave represents).

    Pass auxiliaries after the three defaults, e.g. `(*DEFAULT, "company_age")`, to weight
    on them too; a `stratum` column (the sampling strata, `size_band|sector`) is added so
    that the fpc can be read from the counts.
    """
    missing = [v for v in variables if v not in frame.columns]
    if missing:
        raise WeightingError(f"the frame has no column(s) {missing}")
    counts = frame.group_by(list(variables)).agg(pl.len().alias("units")).sort(list(variables))
    if all(s in counts.columns for s in strata):
        counts = counts.with_columns(pl.concat_str(list(strata), separator="|").alias("stratum"))
    return counts


@dataclass
class _Group:
    """A group of frame cells of one size band (or more, as a last resort) weighted together."""

    cells: list[str]  # "size|sector" names
    bands: list[str]
    respondents: int
    units: float
    design_weight: float

    def log_adjustment(self) -> float:
        # The non-response adjustment frame units / respondents' design weights; a group
        # without respondents has an infinite one (it is closest to the worst responding).
        if self.design_weight <= 0:
            return math.inf
        return math.log(self.units / self.design_weight)


def _group_name(group: _Group, band_sectors: Mapping[str, list[str]]) -> str:
    if len(group.cells) == 1:
        return group.cells[0]
    if len(group.bands) == 1:
        band = group.bands[0]
        sectors = sorted(c.split("|", 1)[1] for c in group.cells)
        if len(sectors) == len(band_sectors[band]):
            return f"{band}|all"
        return f"{band}|" + "+".join(sectors)
    return "+".join(sorted(group.cells))


def _nearest(target: _Group, others: Sequence[_Group]) -> _Group:
    a = target.log_adjustment()

    def distance(g: _Group) -> tuple[float, int]:
        b = g.log_adjustment()
        if math.isinf(a) or math.isinf(b):
            d = 0.0 if math.isinf(a) and math.isinf(b) else (math.inf if math.isinf(b) else -b)
        else:
            d = abs(a - b)
        return (d, g.respondents)

    return min(others, key=distance)


class _Cells:
    """The size x sector cells of the frame and how they are grouped for weighting."""

    def __init__(self, respondents: pl.DataFrame, counts: pl.DataFrame) -> None:
        cells = counts.group_by("size_band", "sector").agg(pl.col("units").sum())
        resp = respondents.group_by("size_band", "sector").agg(
            pl.len().alias("r"), pl.col("design_weight").sum().alias("d")
        )
        table = (
            cells.join(resp, on=["size_band", "sector"], how="left")
            .with_columns(pl.col("r").fill_null(0), pl.col("d").fill_null(0.0))
            .sort("size_band", "sector")
        )
        self.band_order: list[str] = []
        self.band_sectors: dict[str, list[str]] = {}
        self.groups: list[_Group] = []
        for row in table.iter_rows(named=True):
            band, sector = str(row["size_band"]), str(row["sector"])
            if band not in self.band_sectors:
                self.band_order.append(band)
                self.band_sectors[band] = []
            self.band_sectors[band].append(sector)
            self.groups.append(
                _Group(
                    [f"{band}|{sector}"],
                    [band],
                    int(row["r"]),
                    float(row["units"]),
                    float(row["d"]),
                )
            )
        self.merges: list[CellMerge] = []

    def _merge(self, a: _Group, b: _Group) -> CellMerge:
        self.groups.remove(b)
        a.cells = sorted(a.cells + b.cells)
        a.bands = [x for x in self.band_order if x in set(a.bands) | set(b.bands)]
        a.respondents += b.respondents
        a.units += b.units
        a.design_weight += b.design_weight
        merge = CellMerge(
            "size_band x sector", tuple(a.cells), _group_name(a, self.band_sectors), a.respondents
        )
        # A later merge of the same group replaces the earlier record of it.
        self.merges = [m for m in self.merges if not set(m.merged) <= set(a.cells)]
        self.merges.append(merge)
        return merge

    def collapse_thinnest(
        self, below: int | None, among: set[str] | None = None
    ) -> CellMerge | None:
        """Merge the thinnest group (under `below` respondents, if given; among the groups
        named in `among`, if given) with its nearest neighbour in its size band; a band that
        is thin as a whole joins an adjacent band."""
        names = self.mapping()
        candidates = [
            g
            for g in self.groups
            if (below is None or g.respondents < below)
            and (among is None or names[g.cells[0]] in among)
        ]
        for g in sorted(candidates, key=lambda g: (g.respondents, -g.log_adjustment())):
            same_band = [h for h in self.groups if h is not g and h.bands == g.bands]
            if same_band:
                return self._merge(g, _nearest(g, same_band))
            if below is None:
                continue  # a whole band: the ladder goes on to its next rung instead
            positions = [self.band_order.index(b) for b in g.bands]
            near = {
                self.band_order[p]
                for p in (min(positions) - 1, max(positions) + 1)
                if 0 <= p < len(self.band_order)
            }
            adjacent = [h for h in self.groups if h is not g and set(h.bands) & near]
            if adjacent:
                return self._merge(g, _nearest(g, adjacent))
        return None

    def mapping(self) -> dict[str, str]:
        return {c: _group_name(g, self.band_sectors) for g in self.groups for c in g.cells}


def _collapse_cells(
    respondents: pl.DataFrame, counts: pl.DataFrame, min_cell: int
) -> tuple[_Cells, list[CellMerge]]:
    """Group the size x sector cells until each has `min_cell` respondents."""
    cells = _Cells(respondents, counts)
    if sum(g.respondents for g in cells.groups) < min_cell:
        raise WeightingError(
            f"the wave has fewer than min_cell={min_cell} respondents in the frame's cells"
        )
    while cells.collapse_thinnest(min_cell) is not None:
        pass
    return cells, list(cells.merges)


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


def _collapse_levels(
    variable: str, respondents: pl.DataFrame, counts: pl.DataFrame, min_cell: int
) -> tuple[dict[str, str], list[CellMerge]]:
    """An auxiliary's levels grouped so that each has `min_cell` respondents: a thin level
    joins the level whose non-response adjustment is closest."""
    units = counts.group_by(variable).agg(pl.col("units").sum())
    resp = respondents.group_by(variable).agg(
        pl.len().alias("r"), pl.col("design_weight").sum().alias("d")
    )
    table = (
        units.join(resp, on=variable, how="left")
        .with_columns(pl.col("r").fill_null(0), pl.col("d").fill_null(0.0))
        .sort(variable)
    )
    groups = [
        _Group([str(row[variable])], ["*"], int(row["r"]), float(row["units"]), float(row["d"]))
        for row in table.iter_rows(named=True)
    ]
    merges: list[CellMerge] = []
    while len(groups) > 1:
        thin = sorted((g for g in groups if g.respondents < min_cell), key=lambda g: g.respondents)
        if not thin:
            break
        g = thin[0]
        h = _nearest(g, [x for x in groups if x is not g])
        groups.remove(g)
        h.cells = sorted(h.cells + g.cells)
        h.respondents += g.respondents
        h.units += g.units
        h.design_weight += g.design_weight
        merges = [m for m in merges if not set(m.merged) <= set(h.cells)]
        merges.append(CellMerge(variable, tuple(h.cells), "+".join(h.cells), h.respondents))
    mapping = {c: "+".join(g.cells) for g in groups for c in g.cells}
    return mapping, merges


def _apply(
    data: pl.DataFrame, source: pl.Expr, mapping: Mapping[str, str], name: str
) -> pl.DataFrame:
    return data.with_columns(
        source.cast(pl.String).replace_strict(dict(mapping), default=None).alias(name)
    )


def _totals(counts: pl.DataFrame, column: str) -> dict[str, float]:
    return {
        str(k): float(v) for k, v in counts.group_by(column).agg(pl.col("units").sum()).iter_rows()
    }


def _group_column(variable: str) -> str:
    return f"weighting_{variable}"


def weight_wave(
    wave: pl.DataFrame,
    counts: pl.DataFrame,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    bounds: tuple[float, float] | None = DEFAULT_BOUNDS,
    use_region: bool = True,
    auxiliaries: Sequence[str] = (),
) -> WaveWeighting:
    """Final weights of a wave dataset (docs/dev/vocabulary.md) from the frame counts.

    `counts` has `size_band`, `sector`, `region`, any `auxiliaries` and `units` (see
    `frame_counts`). The respondents' `design_weight` (1 / inclusion probability) is raked
    to the cells, regions and auxiliaries; `bounds` keep every adjustment factor within
    (low, high) unless the fallback ladder had to widen them (see the module docstring).
    """
    needed = (
        ["case_id", "design_weight", "stratum", "size_band", "sector"]
        + (["region"] if use_region else [])
        + list(auxiliaries)
    )
    missing = [c for c in needed if c not in wave.columns]
    if missing:
        raise WeightingError(f"the wave dataset has no column(s) {missing}")
    absent = [c for c in auxiliaries if c not in counts.columns]
    if absent:
        raise WeightingError(f"the frame counts have no column(s) {absent} to weight on")
    if wave.height == 0:
        raise WeightingError("the wave has no respondents to weight")
    nulls = [c for c in needed if wave[c].null_count()]
    if nulls:
        raise WeightingError(
            f"respondents without a value in {nulls}: every case needs its frame data"
        )
    cells, merges = _collapse_cells(wave, counts, min_cell)
    cell_key = pl.concat_str("size_band", "sector", separator="|")
    data = _apply(wave, cell_key, cells.mapping(), CELL)
    orphans = data.filter(pl.col(CELL).is_null())
    if orphans.height:
        example = orphans.select("case_id", "size_band", "sector").row(0)
        raise WeightingError(
            f"{orphans.height} respondent(s) in a size x sector cell absent from the frame, "
            f"e.g. case {example[0]} ({example[1]} x {example[2]})"
        )
    region_map: dict[str, str] = {}
    extra: list[str] = []  # margins beyond the cells, in the order they are dropped last-first
    level_maps: dict[str, dict[str, str]] = {}
    grouped = counts
    if use_region:
        region_map, region_merges = _collapse_regions(wave, counts, min_cell)
        merges += region_merges
        data = _apply(data, pl.col("region"), region_map, REGION_GROUP)
        if data[REGION_GROUP].null_count():
            raise WeightingError("a respondent's region is absent from the frame counts")
        grouped = _apply(grouped, pl.col("region"), region_map, REGION_GROUP)
        extra.append(REGION_GROUP)
    for variable in auxiliaries:
        level_map, level_merges = _collapse_levels(variable, wave, counts, min_cell)
        merges += level_merges
        column = _group_column(variable)
        data = _apply(data, pl.col(variable), level_map, column)
        if data[column].null_count():
            raise WeightingError(f"a respondent's {variable} is absent from the frame counts")
        grouped = _apply(grouped, pl.col(variable), level_map, column)
        level_maps[variable] = level_map
        extra.append(column)
    # Scale the design weights by the overall adjustment (population / respondents' design
    # weights, about 1 / response rate) so that the bounds trim cell adjustments, not the
    # response rate. A constant factor changes neither raked weights nor their variance.
    population = float(counts["units"].sum())
    overall = population / float(data["design_weight"].sum())
    data = data.with_columns((pl.col("design_weight") * overall).alias("base_weight"))
    stratum_population = _totals(counts, "stratum") if "stratum" in counts.columns else {}
    fpc: str | None = None
    if stratum_population and set(data["stratum"].unique().to_list()) <= set(stratum_population):
        # The sampling strata's frame sizes: the calibrated design carries its fpc.
        data = _fpc_column(data, stratum_population)
        fpc = "_fpc"
    else:
        stratum_population = {}

    steps: list[FallbackStep] = []
    current = bounds
    relaxations = 0
    collapses = 0
    method: Literal["raking", "poststratification"] = "raking"
    while True:
        cell_map = cells.mapping()
        data = _apply(data, cell_key, cell_map, CELL)
        margins: dict[str, dict[str, float]] = {
            CELL: _totals(_apply(grouped, cell_key, cell_map, CELL), CELL)
        }
        for column in extra:
            margins[column] = _totals(grouped, column)
        try:
            if method == "poststratification":
                design = Design(
                    data, weights="base_weight", strata="stratum", fpc=fpc, singleton="adjust"
                ).poststratify(CELL, margins[CELL])
                margins = {CELL: margins[CELL]}
            else:
                design = Design(
                    data, weights="base_weight", strata="stratum", fpc=fpc, singleton="adjust"
                ).rake(margins, bounds=current, max_iter=RAKING_MAX_ITER)
            break
        except (MarginError, StatsError) as err:
            if method == "poststratification":
                raise WeightingError(
                    f"the wave cannot be weighted even by post-stratification: {err}"
                ) from err
            reason = str(err)
        # The next rung of the ladder.
        step: FallbackStep | None = None
        if current is not None and collapses < MAX_COLLAPSES:
            outside = _cells_outside(data, margins, current)
            merge = cells.collapse_thinnest(None, outside) if outside else None
            if merge is not None:
                collapses += 1
                step = FallbackStep(
                    "collapse", f"{', '.join(merge.merged)} → {merge.into}", current, reason
                )
        if (
            step is None
            and current is not None
            and bounds is not None
            and relaxations < len(RELAX_FACTORS)
        ):
            f = RELAX_FACTORS[relaxations]
            relaxations += 1
            current = (bounds[0] / f, bounds[1] * f)
            step = FallbackStep(
                "relax_bounds", f"g in [{current[0]:g}, {current[1]:g}]", current, reason
            )
        if step is None and extra:
            dropped = extra.pop()
            step = FallbackStep("drop_margin", dropped.removeprefix("weighting_"), current, reason)
        if step is None and current is not None:
            current = None
            step = FallbackStep("unbounded", "raking without bounds", None, reason)
        if step is None:
            method = "poststratification"
            step = FallbackStep("poststratify", "post-stratification on the cells", None, reason)
        steps.append(step)
    merges = [m for m in merges if m.variable != "size_band x sector"] + list(cells.merges)
    weights = pl.DataFrame({"case_id": data["case_id"], "weight": design.weights})
    spec = WeightingSpec(
        margins=margins,
        cell_map=cells.mapping(),
        region_map=region_map if REGION_GROUP in margins else {},
        level_maps={v: m for v, m in level_maps.items() if _group_column(v) in margins},
        bounds=current,
        method=method,
        stratum_population=stratum_population,
        population=population,
        steps=tuple(steps),
    )
    return WaveWeighting(
        weights=weights,
        design=design,
        margins=margins,
        merges=tuple(merges),
        diagnostics=design.weight_diagnostics(),
        bounds=current,
        population=population,
        steps=tuple(steps),
        spec=spec,
    )


def _cells_outside(
    data: pl.DataFrame, margins: Mapping[str, Mapping[str, float]], bounds: tuple[float, float]
) -> set[str]:
    """The weighting cells whose unbounded raking factors leave the bounds: where to collapse.

    Empty when even unbounded raking fails or every cell is inside (the infeasibility then
    lies in the other margins, and collapsing cells would not help).
    """
    try:
        raked = Design(data, weights="base_weight").rake(margins, max_iter=RAKING_MAX_ITER)
    except StatsError:
        return set()
    g = raked.weights / data["base_weight"].to_numpy()
    out = data.select(CELL).with_columns(g=pl.Series(g))
    far = out.filter((pl.col("g") < bounds[0]) | (pl.col("g") > bounds[1]))
    return set(far[CELL].unique().to_list())


def _fpc_column(data: pl.DataFrame, population: Mapping[str, float]) -> pl.DataFrame:
    missing = sorted(set(data["stratum"].unique().to_list()) - set(population))
    if missing:
        raise WeightingError(f"strata {missing[:5]} have no population size in the weighting spec")
    return data.with_columns(
        pl.col("stratum").replace_strict(dict(population), return_dtype=pl.Float64).alias("_fpc")
    )


def calibrated_design(
    wave: pl.DataFrame, spec: WeightingSpec, *, weights: str = "weight"
) -> Design:
    """The wave's calibrated design with its fpc, rebuilt from the stored weighting spec.

    With the `design_weight` column the calibration is redone exactly as at weighting time
    (same groups, totals, bounds, method); the final weights then agree with `weights` to
    rounding. Without it, the final weights are recalibrated to the same totals (g = 1),
    which registers the calibration in the variance. Either way the strata carry the frame's
    population sizes, so the finite population correction is in every standard error.
    """
    needed = (
        ["stratum", "size_band", "sector"]
        + (["region"] if spec.region_map else [])
        + list(spec.level_maps)
    )
    missing = [c for c in needed if c not in wave.columns]
    if missing:
        raise WeightingError(f"the wave dataset has no column(s) {missing} to rebuild its design")
    data = _apply(wave, pl.concat_str("size_band", "sector", separator="|"), spec.cell_map, CELL)
    if spec.region_map:
        data = _apply(data, pl.col("region"), spec.region_map, REGION_GROUP)
    for variable, mapping in spec.level_maps.items():
        data = _apply(data, pl.col(variable), mapping, _group_column(variable))
    for column in spec.margins:
        if data[column].null_count():
            raise WeightingError(
                f"{data[column].null_count()} respondent(s) fall outside the groups of {column!r}"
            )
    fpc = None
    if spec.stratum_population:
        data = _fpc_column(data, spec.stratum_population)
        fpc = "_fpc"
    if "design_weight" in data.columns:
        overall = spec.population / float(data["design_weight"].sum())
        data = data.with_columns((pl.col("design_weight") * overall).alias("base_weight"))
        base = Design(data, weights="base_weight", strata="stratum", fpc=fpc, singleton="adjust")
        bounds = spec.bounds
    else:
        if weights not in data.columns:
            raise WeightingError(f"the wave dataset has neither design_weight nor {weights!r}")
        base = Design(data, weights=weights, strata="stratum", fpc=fpc, singleton="adjust")
        bounds = None
    if spec.method == "poststratification":
        return base.poststratify(CELL, spec.margins[CELL])
    return base.rake(spec.margins, bounds=bounds)


def weighting_report(weighting: WaveWeighting, lang: str = "en") -> str:
    """A few lines for the weighting report and the annex: merges and fallback steps."""
    fr = lang == "fr"
    cells = list(weighting.merges)
    lines = []
    merged = "; ".join(f"{', '.join(m.merged)} → {m.into}" for m in cells)
    lines.append(
        f"Cellules regroupées : {merged or 'aucune'}."
        if fr
        else f"Merged cells: {merged or 'none'}."
    )
    if weighting.steps:
        taken = (
            " ; ".join(s.describe(lang) for s in weighting.steps)
            if fr
            else "; ".join(s.describe(lang) for s in weighting.steps)
        )
        lines.append(
            f"Les bornes demandées ne pouvaient être respectées ; étapes de repli : {taken}."
            if fr
            else f"The requested bounds could not be met; fallback steps: {taken}."
        )
    return "\n".join(lines)


def spec_of(weighting: WaveWeighting) -> WeightingSpec:
    """The weighting's spec (always set by `weight_wave`)."""
    if weighting.spec is None:
        raise WeightingError("this weighting carries no spec")
    return weighting.spec


__all__ = [
    "CELL",
    "DEFAULT_BOUNDS",
    "DEFAULT_MIN_CELL",
    "LADDER",
    "OTHER_REGIONS",
    "REGION_GROUP",
    "CellMerge",
    "FallbackStep",
    "WaveWeighting",
    "WeightingError",
    "WeightingSpec",
    "calibrated_design",
    "frame_counts",
    "spec_of",
    "weight_wave",
    "weighting_report",
]
