"""Long campaign commands show a progress bar on a terminal's stderr, and keep stdout plain."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from barometre.campaign.synthetic_registry import write_synthetic_registry
from barometre.cli import app

from ._wave import Mailbox, smtp_server

LAUNCH = "import sys; from barometre.cli import main; sys.argv[0] = 'barometre'; main()"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """Run `barometre args` with stderr on a pseudo-terminal of 80 columns, stdout on a pipe.

    Returns (stdout, what the terminal showed, escape sequences removed).
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    shown = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's last writer has gone
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    process = subprocess.run(
        [sys.executable, "-c", LAUNCH, *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
        env={**os.environ, **env, "TERM": "xterm", "COLUMNS": "80"}, check=False,
    )  # fmt: skip
    os.close(slave)
    reader.join(timeout=30)
    os.close(master)
    stdout = process.stdout.decode()
    terminal = ANSI.sub("", shown.decode(errors="replace")).replace("\r", "\n")
    assert process.returncode == 0, (stdout, terminal)
    return stdout, terminal


def _counts(terminal: str, label: str) -> list[tuple[int, int]]:
    """Every `label ... done/total` the bar drew, in order."""
    pattern = re.compile(re.escape(label) + r"\s.*?(\d+)/(\d+)")
    return [(int(m[1]), int(m[2])) for m in pattern.finditer(terminal)]


def _advances_to_the_end(counts: list[tuple[int, int]]) -> bool:
    done = [d for d, _ in counts]
    return bool(counts) and done == sorted(done) and counts[-1][0] == counts[-1][1] > 0


def _plain(stdout: str) -> None:
    """Machine-readable stdout: no escape sequence, no bar (count and elapsed time)."""
    assert "\x1b" not in stdout, stdout
    assert not re.search(r"\d+/(\d+|\?) \d+:\d\d:\d\d", stdout), stdout


def test_frame_sample_letters_send_report_progress_on_a_terminal(tmp_path: Path) -> None:
    """Each long command draws its bar with advancing counts on stderr; stdout stays plain."""
    registry = write_synthetic_registry(tmp_path / "registry", 500, 3).files
    env = {"BAROMETRE_DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite'}"}
    frame_file = tmp_path / "frame.parquet"
    stdout, terminal = _on_a_terminal(
        ["campaign", "frame", str(registry.unites_legales),
         "--establishments", str(registry.etablissements), "--out", str(frame_file),
         "--turnover-min", "0"],
        env,
    )  # fmt: skip
    _plain(stdout)
    assert "frame written to" in stdout
    assert "legal units" in terminal
    read = _counts(terminal, "frame")
    assert _advances_to_the_end(read) and read[-1][1] == registry.n_units, terminal

    units = pl.read_parquet(frame_file)
    contacts = tmp_path / "contacts.csv"
    units.select("siren", email=pl.format("d{}@pme.example", "siren")).write_csv(contacts)
    stdout, terminal = _on_a_terminal(
        ["campaign", "sample", str(frame_file), "--n", "40", "--wave", "2026",
         "--contacts", str(contacts), "--strata", "size_band"],
        env,
    )  # fmt: skip
    _plain(stdout)
    assert "40 cases stored" in stdout
    steps = _counts(terminal, "frame units") + _counts(terminal, "sample")
    steps += _counts(terminal, "stored")
    assert _advances_to_the_end(steps) and steps[-1][1] == units.height + 40, terminal

    codes = tmp_path / "codes.csv"
    result = CliRunner().invoke(
        app, ["campaign", "codes", "--wave", "2026", "--out", str(codes)], env=env
    )
    assert result.exit_code == 0, result.output
    common = ["--wave", "2026", "--codes", str(codes), "--base-url", "https://b.example"]
    stdout, terminal = _on_a_terminal(
        ["campaign", "letters", *common, "--out", str(tmp_path / "l.pdf")], env
    )
    _plain(stdout)
    assert "letters written" in stdout
    assert _advances_to_the_end(_counts(terminal, "letters")), terminal

    box = Mailbox()
    with smtp_server(box) as port:
        stdout, terminal = _on_a_terminal(
            ["campaign", "send", *common, "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
             "--smtp-security", "none", "--rate", "1000",
             "--email-sender", "etudes@observatoire.example"],
            env,
        )  # fmt: skip
    _plain(stdout)
    assert "40 invitations sent" in stdout and len(box.envelopes) == 40
    sent = _counts(terminal, "invitations")
    assert _advances_to_the_end(sent) and sent[-1] == (40, 40), terminal


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    """Piped (scripts, logs, CI), a long command prints its report and no bar at all."""
    registry = write_synthetic_registry(tmp_path / "registry", 200, 5).files
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH, "campaign", "frame", str(registry.unites_legales),
         "--out", str(tmp_path / "frame.parquet")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "frame written to" in result.stdout
    assert result.stderr == ""
    _plain(result.stdout)
