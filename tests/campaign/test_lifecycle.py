"""A wave's life, draft -> open -> closed -> published -> archived, and its refusals by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.campaign.lifecycle import (
    LifecycleError,
    archive_wave,
    check_publishable,
    close_wave,
    open_wave,
)
from barometre.campaign.storage import issue_wave_codes
from barometre.cli import app
from barometre.store import WaveStatusError, open_store

from ._wave import sampled_wave

runner = CliRunner()


def test_each_step_checks_its_preconditions_and_names_the_wave(database_url: str) -> None:
    """Open needs a sample and codes, publish a closed weighted wave; refusals name '2026'."""
    with open_store(database_url) as store:
        empty = store.create_wave("2026", "bpi2018").id
        with pytest.raises(LifecycleError, match=r"wave '2026' cannot be opened: .*no sample"):
            open_wave(store, empty)
        wave_id = sampled_wave(store, "printemps 2027")
        with pytest.raises(LifecycleError, match=r"no personal codes.*campaign codes"):
            open_wave(store, wave_id)
        with pytest.raises(LifecycleError, match="cannot be closed: it is a draft"):
            close_wave(store, wave_id)
        issue_wave_codes(store, wave_id)
        assert open_wave(store, wave_id).status == "open"
        with pytest.raises(LifecycleError, match="still open; close it first") as refused:
            check_publishable(store, wave_id)
        assert "printemps 2027" in str(refused.value)
        with pytest.raises(WaveStatusError, match="'printemps 2027' is open") as purge:
            store.purge_contacts(wave_id, requested_by="dpo")
        assert not re.search(r"wave \d", str(purge.value))
        with pytest.raises(LifecycleError, match="only a published wave is archived"):
            archive_wave(store, wave_id)
        assert close_wave(store, wave_id).status == "closed"
        with pytest.raises(LifecycleError, match=r"no weights yet.*wave weight"):
            check_publishable(store, wave_id)
        assert store.purge_contacts(wave_id, requested_by="dpo").contacts_removed > 0
        assert open_wave(store, wave_id).status == "open"  # reopened from closed


def test_archived_wave_leaves_the_benchmark_and_stays_final(database_url: str) -> None:
    """An archived wave is no longer the latest published one, and nothing moves it again."""
    with open_store(database_url) as store:
        wave_id = sampled_wave(store, "2025")
        for status in ("open", "closed", "published"):
            store.set_wave_status(wave_id, status)  # type: ignore[arg-type]
        assert store.latest_published_wave() is not None
        archived = archive_wave(store, wave_id)
        assert archived.status == "archived" and archived.archived_at is not None
        assert store.wave(wave_id).status == "archived"
        assert store.latest_published_wave() is None
        with pytest.raises(WaveStatusError, match="wave '2025' is archived: it cannot be opened"):
            store.set_wave_status(wave_id, "open")


def test_cli_steps_and_clean_refusals(tmp_path: Path) -> None:
    """`barometre wave open|close|archive|publish` move the wave or refuse without a traceback."""
    db = f"sqlite:///{tmp_path}/life.sqlite"
    with open_store(db) as store:
        wave_id = sampled_wave(store, "2026")
        issue_wave_codes(store, wave_id)

    def wave(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["wave", *args, "--wave", "2026", "--url", db])
        return result.exit_code, result.output

    code, out = wave("open")
    assert code == 0 and "draft -> open" in out
    results = tmp_path / "results.json"
    results.write_text("{}", encoding="utf-8")
    published = runner.invoke(
        app, ["wave", "publish", "--wave", "2026", "--url", db, "--results", str(results)]
    )
    out = published.output
    assert published.exit_code == 1 and "wave '2026' cannot be published" in " ".join(out.split())
    assert "Traceback" not in out and "wave 1" not in out
    code, out = wave("close")
    assert code == 0 and "open -> closed" in out
    code, out = wave("close")
    assert code == 0 and "already closed" in out
    code, out = wave("archive")
    assert code == 1 and "only a published wave is archived" in " ".join(out.split())
    purge = runner.invoke(app, ["gdpr", "purge", "2026", "--by", "dpo", "--url", db])
    assert purge.exit_code == 0 and "wave '2026': 30 contacts purged" in purge.output
