"""Sending is safe: dry runs send nothing, --now only plans, a killed run resumes exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session
from typer.testing import CliRunner

from barometre.campaign.storage import issue_wave_codes, write_codes
from barometre.cli import app
from barometre.store import open_store

from ._wave import Mailbox, sampled_wave, smtp_server

runner = CliRunner()
BASE = "https://barometre.example.fr"


def _wave_with_codes(tmp_path: Path, n: int = 12) -> tuple[str, Path]:
    db = f"sqlite:///{tmp_path / 'send.sqlite'}"
    with open_store(db) as store:
        wave_id = sampled_wave(store, n=n, frame_n=max(30, n))
        codes = tmp_path / "codes.csv"
        write_codes(codes, issue_wave_codes(store, wave_id))
    return db, codes


def _smtp(port: int) -> list[str]:
    return ["--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none",
            "--email-sender", "etudes@observatoire.example", "--rate", "1000"]  # fmt: skip


def test_dry_run_lists_recipients_and_sends_nothing(tmp_path: Path) -> None:
    """`send --dry-run` and `remind --dry-run` print who would get what; no mail, no record."""
    db, codes = _wave_with_codes(tmp_path)
    box = Mailbox()
    with smtp_server(box) as port:
        result = runner.invoke(app, [
            "campaign", "send", "--wave", "2026", "--url", db, "--codes", str(codes),
            "--base-url", BASE, "--dry-run", *_smtp(port),
        ])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "12 messages (invitation: 12); nothing sent" in result.output
        assert "@pme.example" in result.output
        assert box.envelopes == []
        with open_store(db) as store:
            wave = store.wave_by_name("2026")
            assert wave.status == "draft"
            assert all(i.sent_at is None for i in store.invitations(wave.id))


def test_remind_now_only_plans_unless_send_is_given(tmp_path: Path) -> None:
    """`remind --now` lists the reminders due then and sends none; `--send` sends them."""
    db, codes = _wave_with_codes(tmp_path)
    box = Mailbox()
    with smtp_server(box) as port:
        args = ["--wave", "2026", "--url", db, "--codes", str(codes), "--base-url", BASE]
        sent = runner.invoke(app, ["campaign", "send", *args, *_smtp(port)])
        assert sent.exit_code == 0 and "12 invitations sent" in sent.output
        later = (datetime.now(UTC) + timedelta(days=8)).isoformat()
        planned = runner.invoke(app, ["campaign", "remind", *args, "--now", later, *_smtp(port)])
        assert planned.exit_code == 0, planned.output
        assert "reminder_1: 12" in planned.output and "nothing sent" in planned.output
        assert len(box.envelopes) == 12
        really = runner.invoke(
            app, ["campaign", "remind", *args, "--now", later, "--send", *_smtp(port)]
        )
        assert really.exit_code == 0 and "reminder_1: 12 sent" in really.output
        assert len(box.envelopes) == 24


class StallingMailbox(Mailbox):
    """Accepts messages until the `stall_at`-th, then holds it unanswered (no 250)."""

    def __init__(self, stall_at: int) -> None:
        super().__init__()
        self.stall_at = stall_at
        self.seen = 0
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.seen += 1
        if self.seen == self.stall_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 connection lost"  # never delivered: the client was killed meanwhile
        return await super().handle_DATA(server, session, envelope)


def test_killed_sender_restarted_sends_each_address_exactly_once(tmp_path: Path) -> None:
    """SIGKILL mid-run, then a rerun: every address has received exactly one invitation."""
    db, codes = _wave_with_codes(tmp_path, n=20)
    box = StallingMailbox(stall_at=8)
    with smtp_server(box) as port:
        command = [
            sys.executable, "-c", "from barometre.cli import main; main()",
            "campaign", "send", "--wave", "2026", "--url", db, "--codes", str(codes),
            "--base-url", BASE, *_smtp(port),
        ]  # fmt: skip
        env = {**os.environ, "COLUMNS": "200"}
        first = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        assert box.stalled.wait(120), "the sender never reached the 8th message"
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        box.release.set()
        assert first.returncode == -signal.SIGKILL
        assert len(box.envelopes) == 7
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stdout + second.stderr
        assert "13 invitations sent" in second.stdout
    counts = box.per_address()
    assert len(counts) == 20 and set(counts.values()) == {1}
    with open_store(db) as store:
        wave = store.wave_by_name("2026")
        assert all(i.sent_at is not None for i in store.invitations(wave.id))
        assert len(store.campaign_log(wave.id, "message")) == 20
