"""What the methodology annex needs beyond the wave itself: frame, allocation, dates, AAPOR rates.

The campaign knows these facts (the wave dataset holds only respondents); the study team or the
demo passes them as a `Methodology`. Anything left out is shown as "not given"; what the wave
itself tells (respondents and weighted totals by stratum, design effect, effective n) is always
computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from barometre.report.errors import ReportError


@dataclass(frozen=True)
class StratumAllocation:
    """The frame size and the number of firms sampled in one stratum."""

    stratum: str
    population: int
    sampled: int


@dataclass(frozen=True)
class ResponseRate:
    """One AAPOR outcome rate (e.g. RR1, RR3, COOP1, REF1, CON1) as a fraction."""

    name: str
    value: float


@dataclass(frozen=True)
class Methodology:
    """How the wave was drawn, collected and weighted (free texts in the report's language)."""

    frame: str = ""
    frame_size: int | None = None
    sample_design: str = ""
    sample_size: int | None = None
    allocation: tuple[StratumAllocation, ...] = ()
    fieldwork_start: str | None = None
    fieldwork_end: str | None = None
    modes: str = ""
    response_rates: tuple[ResponseRate, ...] = ()
    weighting: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Methodology:
        """Build from a mapping (e.g. a YAML file); `allocation` rows and `response_rates` map."""
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ReportError(
                f"methodology: unknown field(s) {sorted(unknown)}; known: {sorted(known)}"
            )
        values = dict(data)
        try:
            values["allocation"] = tuple(
                StratumAllocation(str(a["stratum"]), int(a["population"]), int(a["sampled"]))
                for a in data.get("allocation", ())
            )
            values["response_rates"] = tuple(
                ResponseRate(str(k), float(v))
                for k, v in dict(data.get("response_rates", {})).items()
            )
        except (KeyError, TypeError, ValueError) as ex:
            raise ReportError(f"methodology: bad allocation or response_rates entry: {ex}") from ex
        for key in ("fieldwork_start", "fieldwork_end"):
            if values.get(key) is not None:
                values[key] = str(values[key])
        return cls(**values)

    @classmethod
    def from_yaml(cls, path: Path) -> Methodology:
        """Read a methodology YAML file."""
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as ex:
            raise ReportError(f"cannot read methodology file {path}: {ex}") from ex
        if not isinstance(data, dict):
            raise ReportError(f"{path}: a methodology file is a mapping of fields")
        return cls.from_mapping(data)
