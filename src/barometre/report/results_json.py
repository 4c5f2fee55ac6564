"""`results.json`: a wave's results, machine-readable, and read back for wave-over-wave trends.

The file is the `WaveResults` dataclass tree as JSON (shares as fractions, None as null), plus a
flat `indicators_table` list (id, label, estimate, CI, n, unweighted share, suppressed) for
readers who want one row per indicator without walking the tree.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from barometre.report.errors import ReportError
from barometre.report.results import SCHEMA_VERSION, WaveResults


def to_dict(results: WaveResults) -> dict[str, Any]:
    """The results as JSON-ready data."""
    data = dataclasses.asdict(results)
    data["schema_version"] = SCHEMA_VERSION
    data["indicators_table"] = [
        {
            "id": i.id,
            "question_id": i.question_id,
            "codes": list(i.codes),
            "base": i.base,
            "label_fr": i.label_fr,
            "label_en": i.label_en,
            "estimate": i.share.estimate,
            "ci_low": i.share.ci_low,
            "ci_high": i.share.ci_high,
            "se": i.share.se,
            "n": i.share.n,
            "unweighted_share": i.share.unweighted,
            "suppressed": i.share.suppressed,
        }
        for i in results.indicators
    ]
    return data


def write_results_json(results: WaveResults, path: Path) -> Path:
    """Write `results.json` and return its path."""
    path = Path(path)
    path.write_text(json.dumps(to_dict(results), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read_results_json(path: Path) -> WaveResults:
    """Read a `results.json` written by `write_results_json` back into `WaveResults`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as ex:
        raise ReportError(f"cannot read results file {path}: {ex}") from ex
    return results_from_mapping(data, source=str(path))


def results_from_mapping(data: Mapping[str, Any], source: str = "results") -> WaveResults:
    """`WaveResults` from a decoded results document (a file's or a published wave's)."""
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ReportError(
            f"{source}: results schema version {version!r}, expected {SCHEMA_VERSION}"
        )
    result = _decode(WaveResults, data)
    assert isinstance(result, WaveResults)
    return result


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner[0], value)
    if origin is tuple:
        (item, *_) = typing.get_args(tp)
        return tuple(_decode(item, v) for v in value)
    if origin is dict:
        _, item = typing.get_args(tp)
        return {k: _decode(item, v) for k, v in value.items()}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        kwargs = {
            f.name: _decode(hints[f.name], value[f.name])
            for f in dataclasses.fields(tp)
            if f.name in value
        }
        return tp(**kwargs)
    if tp is float and isinstance(value, int):
        return float(value)
    return value
