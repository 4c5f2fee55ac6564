"""The frame's classification codes, as the built-in instrument's profile questions define them.

One home for the size bands, sectors, markets and regions that the campaign, the synthetic
wave, the report and the web app share (docs/dev/vocabulary.md): they are read from the
`bpi2018` data file, so a code cannot drift between packages.
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
