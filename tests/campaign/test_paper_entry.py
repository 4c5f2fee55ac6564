"""Paper returns keep off-route answers flagged, refuse web-answered cases, count re-imports."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from barometre.campaign.paper import check_paper_answers
from barometre.campaign.storage import issue_wave_codes
from barometre.cli import app
from barometre.questionnaire import load_builtin
from barometre.store import open_store

from ._wave import sampled_wave
from .test_paper import COMPLETE

runner = CliRunner()
# No network used: who manages them is skipped, yet "managed_by" is answered (as on paper).
OFF_ROUTE = {**COMPLETE, "net_facebook": "no"}


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    lines = [",".join(header)] + [",".join(r.get(h, "") for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_off_route_answers_are_taken_apart_not_rejected() -> None:
    """An answer the routing skips leaves the response, is kept apart; the form stays valid."""
    q = load_builtin("bpi2018")
    checked = check_paper_answers(q, {k: v for k, v in OFF_ROUTE.items() if k != "managed_by"}
                                  | {"managed_by": ["leader"], "headcount": 27})  # fmt: skip
    assert checked.blocking == ()
    assert checked.off_route == {"managed_by": ["leader"]}
    assert "managed_by" not in checked.answers and checked.answers["website"] == "vitrine"
    assert checked.status == "complete"


def test_paper_import_flags_refuses_web_cases_and_counts_reimports(tmp_path: Path) -> None:
    """Off-route answers logged; a web-completed case refused by name; a re-import says so."""
    db = f"sqlite:///{tmp_path / 'paper.sqlite'}"
    with open_store(db) as store:
        wave_id = sampled_wave(store, n=6)
        issue_wave_codes(store, wave_id)
        store.set_wave_status(wave_id, "open")
        cases = [c.case_id for c in store.cases(wave_id)]
        web_answers = {k: v for k, v in COMPLETE.items() if k != "managed_by"}
        store.save_response(
            wave_id, cases[2], {**web_answers, "managed_by": ["leader", "agency"],
                                "headcount": 27}, status="complete", source="web",
        )  # fmt: skip
    returns = _write(tmp_path / "returns.csv", [
        {"case_id": cases[0], **COMPLETE},
        {"case_id": cases[1], **OFF_ROUTE},
        {"case_id": cases[2], **COMPLETE},
    ])  # fmt: skip

    def paper() -> tuple[int, str]:
        result = runner.invoke(
            app, ["campaign", "paper", str(returns), "--wave", "2026", "--url", db]
        )
        return result.exit_code, " ".join(result.output.split())

    code, out = paper()
    assert code == 2
    assert "2 new paper questionnaires stored, 0 already stored (unchanged), 1 rejected" in out
    assert f"line 4 ({cases[2]})" in out and "already answered on the web" in out
    assert f"line 3 (case {cases[1]}): managed_by" in out and "flagged" in out
    with open_store(db) as store:
        flagged = store.campaign_log(wave_id, "paper_off_route")
        assert [e.case_id for e in flagged] == [cases[1]]
        assert json.loads(flagged[0].detail) == {"managed_by": ["leader", "agency"]}
        kept = store.response(wave_id, cases[1])
        assert kept is not None and kept.status == "complete" and "managed_by" not in kept.answers
        web = store.response(wave_id, cases[2])
        assert web is not None and web.source == "web"

    code, out = paper()
    assert "0 new paper questionnaires stored, 2 already stored (unchanged), 1 rejected" in out
    with open_store(db) as store:
        assert len(store.campaign_log(wave_id, "paper_off_route")) == 1
