"""The one sort key for a variable's levels and strata: the questionnaire's order of choices.

Size bands sorted as text put "250+" before "50-249"; every table, export and command that
lists levels sorts them here (the report, the exports, the campaign's commands), by their rank
among the question's choices, and falls back to a natural order (numbers compared as numbers)
for codes the questionnaire does not list. It lives with the questionnaire, which every layer
may import; `barometre.report.order` re-exports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

_CHUNKS = re.compile(r"(\d+)")
STRATUM_SEPARATOR = "|"
# The variables a stratum code is made of, in order ("0-9|agroalimentaire").
STRATUM_VARIABLES = ("size_band", "sector")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """ "50-249" after "20-49" and before "250+": digits compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _CHUNKS.split(str(text)) if part
    )


def _choices(questionnaire: Any, variable: str) -> tuple[Any, ...]:
    try:
        return tuple(questionnaire.question(variable).choices or ())
    except (KeyError, LookupError, AttributeError):
        return ()


def level_key(questionnaire: Any, variable: str) -> Callable[[str], tuple[Any, ...]]:
    """The sort key of `variable`'s codes: questionnaire order first, then natural order."""
    rank = {c.code: i for i, c in enumerate(_choices(questionnaire, variable))}

    def key(code: str) -> tuple[Any, ...]:
        code = str(code)
        return (rank.get(code, len(rank)), natural_key(code))

    return key


def stratum_key(
    questionnaire: Any, variables: Sequence[str] = STRATUM_VARIABLES
) -> Callable[[str], tuple[Any, ...]]:
    """The sort key of stratum codes "size|sector": size bands in order, then sectors.

    `variables` are the ones the codes are made of, in order (a sample stratified by other
    variables); `questionnaire` may be None, which leaves the natural order of codes.
    """
    keys = [level_key(questionnaire, v) for v in variables]

    def key(stratum: str) -> tuple[Any, ...]:
        parts = str(stratum).split(STRATUM_SEPARATOR)
        return tuple(
            keys[i](p) if i < len(keys) else (0, natural_key(p)) for i, p in enumerate(parts)
        )

    return key


# Cells the weighting makes by merging thin strata ("0-9|other_sectors", "0-9|all").
MERGED_CELLS = {
    "other_sectors": ("autres secteurs", "other sectors"),
    "all": ("tous secteurs", "all sectors"),
}


def level_label(questionnaire: Any, variable: str, code: str, lang: str) -> str:
    """The questionnaire's label of one code of `variable`, the code itself when unknown."""
    for c in _choices(questionnaire, variable):
        if c.code == code:
            return str(c.label_en if lang == "en" else c.label_fr)
    if code in MERGED_CELLS:
        return MERGED_CELLS[code][1 if lang == "en" else 0]
    return code


def stratum_label(questionnaire: Any, stratum: str, lang: str) -> str:
    """ "Moins de 10 salariés · Industrie agroalimentaire" for the stratum "0-9|agroalimentaire"."""
    parts = str(stratum).split(STRATUM_SEPARATOR)
    return " · ".join(
        level_label(questionnaire, STRATUM_VARIABLES[i], p, lang)
        if i < len(STRATUM_VARIABLES)
        else p
        for i, p in enumerate(parts)
    )
