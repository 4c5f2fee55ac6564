"""A wave's weighting and publication: the steps between the store's dataset and the web app.

`weight_wave` turns the respondents' design weights into final weights (one raking step to
the frame's margins); `publish` stores the wave's results with the benchmark table the
self-diagnostic reads, after checking both describe the same stored respondents;
`earlier_results` finds the wave a report compares with.
"""

from barometre.wave._publication import PublicationMismatch, earlier_results, publish
from barometre.wave._weighting import (
    CELL,
    DEFAULT_BOUNDS,
    DEFAULT_MIN_CELL,
    OTHER_REGIONS,
    REGION_GROUP,
    CellMerge,
    WaveWeighting,
    WeightingError,
    frame_counts,
    weight_wave,
)

__all__ = [
    "CELL",
    "DEFAULT_BOUNDS",
    "DEFAULT_MIN_CELL",
    "OTHER_REGIONS",
    "REGION_GROUP",
    "CellMerge",
    "PublicationMismatch",
    "WaveWeighting",
    "WeightingError",
    "earlier_results",
    "frame_counts",
    "publish",
    "weight_wave",
]
