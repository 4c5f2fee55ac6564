"""The built-in instrument's codes: the frame's classifications and the answers' choices.

One home for the size bands, sectors, markets and regions, and for the answer codes that the
campaign, the synthetic wave, the scoring, the report and the web app share
(docs/dev/vocabulary.md): they are read from the `bpi2018` data file, so a code cannot drift
between packages.
"""

from __future__ import annotations

from barometre.questionnaire._data import load_builtin


def _codes(question_id: str) -> tuple[str, ...]:
    return tuple(c.code for c in load_builtin("bpi2018").question(question_id).choices)


SIZE_BANDS: tuple[str, ...] = _codes("size_band")
SECTORS: tuple[str, ...] = _codes("sector")
MARKETS: tuple[str, ...] = _codes("market")
REGIONS: tuple[str, ...] = _codes("region")
SCALE4: tuple[str, ...] = _codes("activity")
WEBSITE: tuple[str, ...] = _codes("website")
TEMPO: tuple[str, ...] = _codes("tempo")
SPEND: tuple[str, ...] = _codes("spend")
MANAGED_BY: tuple[str, ...] = _codes("managed_by")
ACTIONS: tuple[str, ...] = _codes("actions")
OBJECTIVES: tuple[str, ...] = _codes("objectives")
OBSTACLES: tuple[str, ...] = _codes("obstacles")
EMPLOYEE_AGE: tuple[str, ...] = _codes("employee_age")
LEADER_AGE: tuple[str, ...] = _codes("leader_age")
GROWTH: tuple[str, ...] = _codes("growth")
