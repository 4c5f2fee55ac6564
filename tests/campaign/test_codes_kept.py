"""Codes are never lost: a rerun issues only missing codes into a new file; reissue is explicit."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.campaign.codes import issue_codes
from barometre.campaign.storage import CampaignStateError, read_codes, write_codes
from barometre.cli import app
from barometre.store import NewInvitation, open_store

from ._wave import sampled_wave

runner = CliRunner()


def _codes(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["campaign", "codes", "--wave", "2026", "--url", db, *args])
    return result.exit_code, " ".join(result.output.split())


def test_rerun_keeps_the_codes_file_and_issues_only_missing_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run writes nothing over codes.csv; new cases get codes in codes-2.csv."""
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'codes.sqlite'}"
    with open_store(db) as store:
        wave_id = sampled_wave(store)
        cases = [c.case_id for c in store.cases(wave_id)]
        # Half the cases got their codes earlier (a first run), in codes.csv.
        first = issue_codes(cases[:6], frozenset())
        store.issue_invitations(
            wave_id, [NewInvitation(c.case_id, c.token, c.short_code) for c in first]
        )
    write_codes(tmp_path / "codes.csv", first)
    before = (tmp_path / "codes.csv").read_bytes()

    code, out = _codes(db)
    assert code == 0 and "6 codes issued" in out and "codes-2.csv" in out
    assert (tmp_path / "codes.csv").read_bytes() == before
    second = read_codes(tmp_path / "codes-2.csv")
    assert sorted(second) == sorted(cases[6:])

    code, out = _codes(db)
    assert code == 0 and "already has a code" in out and "nothing written" in out
    assert not (tmp_path / "codes-3.csv").exists()
    assert (tmp_path / "codes.csv").read_bytes() == before


def test_an_existing_out_file_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    """`--out` naming an existing file fails before any code is stored; the file is intact."""
    db = f"sqlite:///{tmp_path / 'codes.sqlite'}"
    with open_store(db) as store:
        wave_id = sampled_wave(store)
    target = tmp_path / "codes.csv"
    target.write_text("case_id,short_code,token\nc1,AAAA-BBBB-C,secret-token-of-earlier-run\n")
    before = target.read_bytes()
    code, out = _codes(db, "--out", str(target))
    assert code == 1 and "already exists" in out
    assert target.read_bytes() == before
    with open_store(db) as store:
        assert store.invitations(wave_id) == ()
    with pytest.raises(CampaignStateError, match="already exists"):
        write_codes(target, [])
    assert target.read_bytes() == before


def test_reissue_replaces_chosen_codes_logs_it_and_old_codes_stop_working(tmp_path: Path) -> None:
    """`--reissue SIREN` gives new codes to those companies only; old link and code are dead."""
    db = f"sqlite:///{tmp_path / 'codes.sqlite'}"
    with open_store(db) as store:
        wave_id = sampled_wave(store)
    code, _ = _codes(db, "--out", str(tmp_path / "codes.csv"))
    assert code == 0
    old = read_codes(tmp_path / "codes.csv")
    with open_store(db) as store:
        chosen = store.cases(wave_id)[0]
    code, out = _codes(
        db, "--reissue", chosen.siren, "--out", str(tmp_path / "reissued.csv"),
        "--by", "alice", "--reason", "letter lost in the post",
    )  # fmt: skip
    assert code == 0 and "1 codes reissued" in out
    new = read_codes(tmp_path / "reissued.csv")
    assert list(new) == [chosen.case_id]
    with open_store(db) as store:
        assert store.find_invitation_by_token(old[chosen.case_id].token) is None
        assert store.find_invitation_by_short_code(old[chosen.case_id].short_code) is None
        found = store.find_invitation_by_token(new[chosen.case_id].token)
        assert found is not None and found.case_id == chosen.case_id
        others = [c for c in old if c != chosen.case_id]
        assert all(store.find_invitation_by_token(old[c].token) is not None for c in others)
        log = store.campaign_log(wave_id, "code_reissued")
        assert [(e.case_id, e.recorded_by, e.detail) for e in log] == [
            (chosen.case_id, "alice", "letter lost in the post")
        ]
    code, out = _codes(db, "--reissue", "123456782")
    assert code == 1 and "123456782" in out
