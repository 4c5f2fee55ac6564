"""Paper returns: each row accepted or rejected with its line, question and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.campaign.paper import PaperFileError, read_paper_returns
from barometre.questionnaire import Questionnaire, load_builtin

COMPLETE = {
    "website": "vitrine", "net_facebook": "yes", "net_linkedin": "no", "net_twitter": "no",
    "net_youtube": "no", "net_instagram": "no", "activity": "active", "tempo": "bon_tempo",
    "strategy": "no", "spend": "lt_5k", "managed_by": "leader;agency", "staff_trained": "no",
    "marketing_team": "no", "competitive_edge": "yes", "leader_activity": "peu_active",
    "size_band": "20-49", "sector": "services", "market": "b2b", "region": "84",
    "employee_age": "under_40", "leader_age": "50_59", "growth": "up", "headcount": "27",
}  # fmt: skip  # one record per line reads as a table


@pytest.fixture(scope="module")
def bpi2018() -> Questionnaire:
    """The built-in 2018 instrument."""
    return load_builtin("bpi2018")


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    lines = [",".join(header)] + [",".join(r.get(h, "") for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_valid_rows_are_accepted_and_bad_rows_explained(
    tmp_path: Path, bpi2018: Questionnaire
) -> None:
    """A complete row passes; a bad code, a skipped-question answer and a bad number are located."""
    rows = [
        {"case_id": "1-000001", **COMPLETE},
        {"case_id": "1-000002", **COMPLETE, "activity": "hyperactive"},
        {"case_id": "1-000003", **COMPLETE, "net_facebook": "no", "headcount": "douze"},
        {"case_id": "1-000004", **{k: v for k, v in COMPLETE.items() if k != "growth"}},
        {"case_id": "1-000001", **COMPLETE},
    ]
    result = read_paper_returns(_write(tmp_path / "paper.csv", rows), bpi2018)
    assert [(a.line, a.key, a.status) for a in result.accepted] == [
        (2, "1-000001", "complete"),
        (5, "1-000004", "partial"),
    ]
    assert result.accepted[0].answers["managed_by"] == ["leader", "agency"]
    assert result.accepted[0].answers["headcount"] == 27
    rejected = {r.line: r for r in result.rejected}
    assert sorted(rejected) == [3, 4, 6]
    assert [(p.question_id, p.code) for p in rejected[3].problems] == [
        ("activity", "unknown_choice")
    ]
    # managed_by is skipped once no network is used: kept apart, not a reason to reject.
    assert {(p.question_id, p.code) for p in rejected[4].problems} == {("headcount", "wrong_type")}
    assert "line 3 (1-000002): activity:" in rejected[3].describe()
    assert rejected[6].problems[0].code == "duplicate"


def test_multiple_choice_as_zero_one_columns(tmp_path: Path, bpi2018: Questionnaire) -> None:
    """``managed_by__leader`` style 0/1 columns give the list of ticked codes."""
    row = {k: v for k, v in COMPLETE.items() if k != "managed_by"}
    # Not reformatted (fmt: skip below): the three 0/1 columns read together.
    row |= {"short_code": "K7QF-3MZP-X", "managed_by__leader": "1", "managed_by__agency": "0",
            "managed_by__employee": "x"}  # fmt: skip
    result = read_paper_returns(_write(tmp_path / "p.csv", [row]), bpi2018)
    assert result.rejected == ()
    assert result.accepted[0].answers["managed_by"] == ["leader", "employee"]
    assert result.accepted[0].key_column == "short_code"


def test_unknown_columns_are_a_file_error(tmp_path: Path, bpi2018: Questionnaire) -> None:
    """A column that matches no question stops the import with its name."""
    with pytest.raises(PaperFileError, match="favourite_colour"):
        read_paper_returns(
            _write(tmp_path / "p.csv", [{"case_id": "1", "favourite_colour": "x"}]), bpi2018
        )
    with pytest.raises(PaperFileError, match="case_id or short_code"):
        read_paper_returns(_write(tmp_path / "q.csv", [{"website": "vitrine"}]), bpi2018)


def test_malformed_line_is_rejected_with_its_number(tmp_path: Path, bpi2018: Questionnaire) -> None:
    """A line with the wrong number of fields is rejected, the next ones still read."""
    path = tmp_path / "p.csv"
    path.write_text("case_id,website\n1-1,vitrine,extra\n1-2,aucun\n", encoding="utf-8")
    result = read_paper_returns(path, bpi2018)
    assert [r.line for r in result.rejected] == [2]
    assert [a.key for a in result.accepted] == ["1-2"]
    assert result.accepted[0].status == "partial"
