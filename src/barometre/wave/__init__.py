"""A wave's weighting and publication: the steps between the store's dataset and the web app.

`weight_wave` turns the respondents' design weights into final weights (one raking step to
the frame's margins); `publish` stores the wave's results with the benchmark table the
self-diagnostic reads, after checking both describe the same stored respondents;
`earlier_results` finds the wave a report compares with.
"""

from barometre.wave._annex import FRAME_EVENT, frame_event_detail, methodology_from_store
from barometre.wave._design import (
    SPEC_SUFFIX,
    calibration_of,
    design_info,
    design_kind,
    read_spec_file,
    spec_path,
    stored_spec,
    wave_design,
    wave_respondents,
    write_spec_file,
)
from barometre.wave._errors import PublicationMismatch, WaveError, WeightingError
from barometre.wave._publication import earlier_results, earlier_wave_id, publish
from barometre.wave._weighting import (
    CELL,
    DEFAULT_BOUNDS,
    DEFAULT_MIN_CELL,
    LADDER,
    OTHER_REGIONS,
    REGION_GROUP,
    CellMerge,
    FallbackStep,
    WaveWeighting,
    WeightingSpec,
    calibrated_design,
    frame_counts,
    spec_of,
    weight_wave,
    weighting_report,
    with_weighting_groups,
)

__all__ = [
    "CELL",
    "DEFAULT_BOUNDS",
    "DEFAULT_MIN_CELL",
    "FRAME_EVENT",
    "LADDER",
    "OTHER_REGIONS",
    "REGION_GROUP",
    "SPEC_SUFFIX",
    "CellMerge",
    "FallbackStep",
    "PublicationMismatch",
    "WaveError",
    "WaveWeighting",
    "WeightingError",
    "WeightingSpec",
    "calibrated_design",
    "calibration_of",
    "design_info",
    "design_kind",
    "earlier_results",
    "earlier_wave_id",
    "frame_counts",
    "frame_event_detail",
    "methodology_from_store",
    "publish",
    "read_spec_file",
    "spec_of",
    "spec_path",
    "stored_spec",
    "wave_design",
    "wave_respondents",
    "weight_wave",
    "weighting_report",
    "with_weighting_groups",
    "write_spec_file",
]
