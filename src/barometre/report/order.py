"""The one sort key for a variable's levels and strata, from `barometre.questionnaire.order`.

Kept under this name for the report's modules; the key itself lives with the questionnaire so
that the campaign's commands sort size bands with it too.
"""

from barometre.questionnaire.order import (
    MERGED_CELLS,
    STRATUM_SEPARATOR,
    STRATUM_VARIABLES,
    level_key,
    level_label,
    natural_key,
    stratum_key,
    stratum_label,
)

__all__ = [
    "MERGED_CELLS",
    "STRATUM_SEPARATOR",
    "STRATUM_VARIABLES",
    "level_key",
    "level_label",
    "natural_key",
    "stratum_key",
    "stratum_label",
]
