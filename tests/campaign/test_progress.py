"""Long campaign commands show a progress bar on a terminal's stderr, and keep stdout plain."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from barometre.campaign.synthetic_registry import write_synthetic_registry
from barometre.cli import app

from .._terminal import LAUNCH, advances_to_the_end, counts, on_a_terminal, plain
from ._wave import Mailbox, smtp_server


def test_frame_sample_letters_send_report_progresson_a_terminal(tmp_path: Path) -> None:
    """Each long command draws its bar with advancing counts on stderr; stdout stays plain."""
    registry = write_synthetic_registry(tmp_path / "registry", 500, 3).files
    env = {"BAROMETRE_DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite'}"}
    frame_file = tmp_path / "frame.parquet"
    stdout, terminal = on_a_terminal(
        ["campaign", "frame", str(registry.unites_legales),
         "--establishments", str(registry.etablissements), "--out", str(frame_file),
         "--turnover-min", "0"],
        env,
    )  # fmt: skip
    plain(stdout)
    assert "frame written to" in stdout
    assert "legal units" in terminal
    read = counts(terminal, "frame")
    assert advances_to_the_end(read) and read[-1][1] == registry.n_units, terminal

    units = pl.read_parquet(frame_file)
    contacts = tmp_path / "contacts.csv"
    units.select("siren", email=pl.format("d{}@pme.example", "siren")).write_csv(contacts)
    stdout, terminal = on_a_terminal(
        ["campaign", "sample", str(frame_file), "--n", "40", "--wave", "2026",
         "--contacts", str(contacts), "--strata", "size_band"],
        env,
    )  # fmt: skip
    plain(stdout)
    assert "40 cases stored" in stdout
    steps = counts(terminal, "frame units") + counts(terminal, "sample")
    steps += counts(terminal, "stored")
    assert advances_to_the_end(steps) and steps[-1][1] == units.height + 40, terminal

    codes = tmp_path / "codes.csv"
    result = CliRunner().invoke(
        app, ["campaign", "codes", "--wave", "2026", "--out", str(codes)], env=env
    )
    assert result.exit_code == 0, result.output
    common = ["--wave", "2026", "--codes", str(codes), "--base-url", "https://b.example"]
    stdout, terminal = on_a_terminal(
        ["campaign", "letters", *common, "--out", str(tmp_path / "l.pdf")], env
    )
    plain(stdout)
    assert "letters written" in stdout
    assert advances_to_the_end(counts(terminal, "letters")), terminal

    box = Mailbox()
    with smtp_server(box) as port:
        stdout, terminal = on_a_terminal(
            ["campaign", "send", *common, "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
             "--smtp-security", "none", "--rate", "1000",
             "--email-sender", "etudes@observatoire.example"],
            env,
        )  # fmt: skip
    plain(stdout)
    assert "40 invitations sent" in stdout and len(box.envelopes) == 40
    sent = counts(terminal, "invitations")
    assert advances_to_the_end(sent) and sent[-1] == (40, 40), terminal


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
    plain(result.stdout)
