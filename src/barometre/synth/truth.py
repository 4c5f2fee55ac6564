"""The population truth of every indicator, to check that a wave's estimates recover it.

Every code of every question gets its share among the firms the question was asked of
(`base` "all", or "present" for the questions skipped without an account), plus the
networks among present firms, the published groupings (active or très active, under
10 k€ ...) and the shares of the 2018 typology's four segments.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from barometre.questionnaire import vocabulary
from barometre.synth import mixes, model
from barometre.synth.population import MULTIPLE, SKIPPED_WHEN_ABSENT

YES_NO = ("yes", "no")
SINGLE: dict[str, tuple[str, ...]] = {
    "website": vocabulary.WEBSITE,
    **{f"net_{net}": YES_NO for net in model.NETWORKS},
    "activity": vocabulary.SCALE4,
    "tempo": vocabulary.TEMPO,
    "strategy": YES_NO,
    "spend": vocabulary.SPEND,
    "staff_trained": YES_NO,
    "marketing_team": YES_NO,
    "competitive_edge": YES_NO,
    "leader_activity": vocabulary.SCALE4,
    "size_band": mixes.SIZE_BANDS,
    "sector": mixes.SECTORS,
    "market": mixes.MARKETS,
    "region": mixes.REGIONS,
    "employee_age": vocabulary.EMPLOYEE_AGE,
    "leader_age": vocabulary.LEADER_AGE,
    "growth": vocabulary.GROWTH,
    "present": YES_NO,
}

TYPOLOGY_SEGMENTS: dict[str, tuple[bool, bool]] = {
    # segment: (feels late, active or très active)
    "masse_silencieuse": (True, False),
    "desinvoltes": (False, False),
    "combatives": (True, True),
    "pionnieres": (False, True),
}

_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("activity", "active_or_tres_active", ("active", "tres_active")),
    ("leader_activity", "inactive_or_peu_active", ("inactive", "peu_active")),
    ("spend", "under_10k", ("zero", "lt_5k", "5k_10k")),
    ("spend", "10k_or_more", ("10k_50k", "ge_50k")),
    ("tempo", "bon_tempo_or_en_avance", ("bon_tempo", "en_avance")),
)


@dataclass(frozen=True)
class IndicatorTruth:
    """The share of firms with `question` = `code` among the `base` firms."""

    question: str
    code: str
    base: str
    share: float
    count: int
    n_base: int


@dataclass(frozen=True)
class PopulationTruth:
    """Every indicator's population value for one synthetic population."""

    n_units: int
    indicators: tuple[IndicatorTruth, ...]

    def share(self, question: str, code: str, base: str = "all") -> float:
        """The population share of one code; KeyError when there is no such indicator."""
        for ind in self.indicators:
            if ind.question == question and ind.code == code and ind.base == base:
                return ind.share
        raise KeyError(f"no indicator {question}={code} on base {base!r}")

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {"n_units": self.n_units, "indicators": [asdict(i) for i in self.indicators]}

    def write_json(self, path: str | Path) -> Path:
        """Save as JSON (beside the wave, for recovery checks)."""
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read_json(cls, path: str | Path) -> PopulationTruth:
        """Read a truth saved by `write_json`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            n_units=int(data["n_units"]),
            indicators=tuple(IndicatorTruth(**i) for i in data["indicators"]),
        )


def _shares(
    frame: pl.DataFrame, column: str, codes: tuple[str, ...], base: str
) -> list[IndicatorTruth]:
    n_base = frame.height
    counts = dict(frame[column].value_counts().iter_rows())
    return [
        IndicatorTruth(
            column, code, base, counts.get(code, 0) / n_base, counts.get(code, 0), n_base
        )
        for code in codes
    ]


def population_truth(pop: pl.DataFrame) -> PopulationTruth:
    """The population value of every indicator of a population (`generate_population`)."""
    present = pop.filter(pl.col("present") == "yes")
    out: list[IndicatorTruth] = []
    for question, codes in SINGLE.items():
        out += _shares(pop, question, codes, "all")
    for net in model.NETWORKS:
        out += _shares(present, f"net_{net}", ("yes",), "present")
    for question, codes in MULTIPLE.items():
        frame, base = (present, "present") if question in SKIPPED_WHEN_ABSENT else (pop, "all")
        for code in codes:
            count = int(frame[f"{question}__{code}"].sum())
            out.append(
                IndicatorTruth(question, code, base, count / frame.height, count, frame.height)
            )
        if question in SKIPPED_WHEN_ABSENT:  # also on all firms (published: leader 35 %)
            for code in codes:
                count = int(present[f"{question}__{code}"].sum())
                out.append(
                    IndicatorTruth(question, code, "all", count / pop.height, count, pop.height)
                )
    for question, code, members in _GROUPS:
        count = int(pop[question].is_in(members).sum())
        out.append(IndicatorTruth(question, code, "all", count / pop.height, count, pop.height))
    late = pop["tempo"] == "en_retard"
    active = pop["activity"].is_in(["active", "tres_active"])
    for segment, (is_late, is_active) in TYPOLOGY_SEGMENTS.items():
        count = int(((late == is_late) & (active == is_active)).sum())
        out.append(
            IndicatorTruth("typology", segment, "all", count / pop.height, count, pop.height)
        )
    return PopulationTruth(n_units=pop.height, indicators=tuple(out))
