"""`barometre db upgrade` and `barometre db info` on a real database."""

from __future__ import annotations

from typer.testing import CliRunner

from barometre.cli import app
from barometre.store.migrate import head_revision

from .conftest import COMPLETE_ANSWERS, OpenWave


def test_db_upgrade_then_info(database_url: str) -> None:
    """`db upgrade` migrates an empty database; `db info` then shows it up to date."""
    runner = CliRunner()
    before = runner.invoke(app, ["db", "info", "--url", database_url])
    assert before.exit_code == 0, before.output
    assert "empty" in before.output
    upgraded = runner.invoke(app, ["db", "upgrade", "--url", database_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert head_revision() in upgraded.output
    after = runner.invoke(app, ["db", "info", "--url", database_url])
    assert after.exit_code == 0, after.output
    assert "up to date" in after.output
    assert "responses" in after.output


def test_db_refuses_unsupported_url() -> None:
    """An unsupported database URL is a clean user error (exit code 1) naming the problem."""
    result = CliRunner().invoke(app, ["db", "info", "--url", "mysql://host/db"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "unsupported database" in result.output


def test_db_info_summarises_waves(open_wave: OpenWave) -> None:
    """`db info` lists each wave with its frame, sample and response counts."""
    open_wave.store.save_response(
        open_wave.wave_id, open_wave.case_ids[0], COMPLETE_ANSWERS, "complete"
    )
    url = open_wave.store.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["db", "info", "--url", url])
    assert result.exit_code == 0, result.output
    assert "wave 1 '2026': open, bpi2018 2018.1; frame 3, sample 3" in result.output
    assert "responses 1 complete + 0 partial" in result.output
