"""One calibrated design for a wave: what every estimate of a stored wave is computed on.

The weighting spec stored with the wave (`WeightingSpec`: margins, merged groups, method,
stratum population sizes) rebuilds the design: final weights, the sampling strata with
their frame sizes (the finite population correction) and the calibration to the margins.
Applied to the final weights, which already meet the margins, the calibration moves no
weight (g = 1) but its variance is R's `calibrate`'s: residuals of the g-weighted
regression on the margins' indicators. The report's shares, the typology, the drivers
(their complete cases a domain of it), the benchmark table and the replicate weights of
the exports all go through `wave_design` / `design_info`, so that no part of a wave
publishes standard errors that forget its weighting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from barometre.report.estimation import DesignInfo, DesignKind
from barometre.stats import Calibration, Design
from barometre.wave._errors import WeightingError
from barometre.wave._weighting import WeightingSpec, with_weighting_groups

if TYPE_CHECKING:
    from barometre.store import Store

UNIT = "siren"  # the firm's identifier, the same in every wave (trend covariances)
SPEC_SUFFIX = ".weighting.json"


def stored_spec(store: Store, wave_id: int) -> WeightingSpec | None:
    """The wave's stored weighting spec, or None before `barometre wave weight`."""
    text = store.weighting_spec(wave_id)
    return None if text is None else WeightingSpec.from_json(text)


def calibration_of(spec: WeightingSpec) -> Calibration:
    """The spec's calibration, to apply to the final weights (g = 1, so no bounds needed)."""
    return Calibration(
        {column: dict(totals) for column, totals in spec.margins.items()},
        method="poststratification" if spec.method == "poststratification" else "raking",
    )


def design_info(
    spec: WeightingSpec | None, *, weights: str = "weight", strata: str = "stratum"
) -> DesignInfo:
    """The report's `DesignInfo` for a wave weighted by `spec` (plain when None)."""
    if spec is None:
        return DesignInfo(weights=weights, strata=strata)
    return DesignInfo(
        weights=weights,
        strata=strata,
        stratum_population=dict(spec.stratum_population),
        calibration=calibration_of(spec),
    )


def design_kind(design: WeightingSpec | DesignInfo | None) -> DesignKind:
    """Which design the variances rest on: "calibrated", "fpc" (strata sizes only) or "plain"."""
    if design is None:
        return "plain"
    info = design if isinstance(design, DesignInfo) else design_info(design)
    return info.kind


def wave_respondents(
    store: Store,
    wave_id: int,
    spec: WeightingSpec | None = None,
    *,
    include_partial: bool = False,
    with_unit: bool = False,
) -> pl.DataFrame:
    """The wave dataset with its weighting group columns and `fpc` (from `spec`, by default
    the stored one), ready for `wave_design`; `with_unit` adds the firms' `siren` (kept in
    the building: the trend covariance pairs firms across waves with it)."""
    spec = spec if spec is not None else stored_spec(store, wave_id)
    data = store.wave_dataset(wave_id, include_partial=include_partial)
    if spec is not None:
        data = with_weighting_groups(data, spec)
    if with_unit:
        units = pl.DataFrame(
            {
                "case_id": [c.case_id for c in store.cases(wave_id)],
                UNIT: [c.siren for c in store.cases(wave_id)],
            },
            schema={"case_id": pl.String, UNIT: pl.String},
        )
        data = data.join(units, on="case_id", how="left")
    return data


def wave_design(
    respondents: pl.DataFrame,
    spec: WeightingSpec | None,
    *,
    weights: str = "weight",
    strata: str = "stratum",
) -> Design:
    """The wave's calibrated design with strata and fpc, rebuilt from its weighting spec.

    `respondents` is the wave dataset (its weighting group columns are added when absent);
    without a spec the design is plain (final weights and strata, with replacement).
    """
    for column in (weights, strata):
        if column not in respondents.columns:
            raise WeightingError(f"the wave dataset has no column {column!r}")
    data = respondents if spec is None else with_weighting_groups(respondents, spec)
    info = design_info(spec, weights=weights, strata=strata)
    if spec is not None:
        missing = [c for c in info.calibration_used.columns if c not in data.columns]
        if missing:
            raise WeightingError(f"the wave dataset cannot carry the weighting groups {missing}")
    design: Design = info.design(data)
    return design


def write_spec_file(spec: WeightingSpec, dataset: Path) -> Path:
    """Write `<dataset stem>.weighting.json` beside a dataset file; returns its path."""
    path = spec_path(dataset)
    path.write_text(spec.to_json(), encoding="utf-8")
    return path


def spec_path(dataset: Path) -> Path:
    """Where the weighting spec of a dataset file lives: `<stem>.weighting.json` beside it."""
    dataset = Path(dataset)
    return dataset.with_name(dataset.stem + SPEC_SUFFIX)


def read_spec_file(path: Path) -> WeightingSpec:
    """A weighting spec written by `write_spec_file` (or `wave dataset`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        json.loads(text)
    except (OSError, ValueError) as err:
        raise WeightingError(f"cannot read the weighting spec {path}: {err}") from err
    return WeightingSpec.from_json(text)
