"""results.json: machine-readable, complete, and read back identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from barometre.report import ReportError, WaveResults, read_results_json, write_results_json


def test_round_trip(results: WaveResults, tmp_path: Path) -> None:
    """Writing then reading results.json gives equal WaveResults."""
    path = write_results_json(results, tmp_path / "results.json")
    assert read_results_json(path) == results


def test_every_indicator_has_estimate_ci_n_and_raw_share(
    results: WaveResults, tmp_path: Path
) -> None:
    """The flat table lists every indicator with estimate, CI, n and unweighted share; no NaN."""
    path = write_results_json(results, tmp_path / "results.json")
    text = path.read_text(encoding="utf-8")
    assert "NaN" not in text
    data = json.loads(text)
    table = {row["id"]: row for row in data["indicators_table"]}
    assert set(table) == {i.id for i in results.indicators}
    row = table["presence_any"]
    assert {"estimate", "ci_low", "ci_high", "n", "unweighted_share", "suppressed"} <= set(row)
    assert row["ci_low"] <= row["estimate"] <= row["ci_high"]


def test_unknown_schema_is_refused(tmp_path: Path) -> None:
    """A file of another schema version raises ReportError naming the version."""
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"schema_version": 99}), encoding="utf-8")
    with pytest.raises(ReportError, match="99"):
        read_results_json(path)
