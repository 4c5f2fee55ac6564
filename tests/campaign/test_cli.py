"""The campaign end to end through the CLI: frame, sample, codes, letters, e-mail, paper, rates."""

from __future__ import annotations

import json
import re
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from PIL import Image
from typer.testing import CliRunner

from barometre.campaign.sampling import SampleDesign, draw_sample
from barometre.campaign.storage import wave_rates
from barometre.cli import app
from barometre.store import open_store
from barometre.synth.sirene import write_sirene_stock

from .test_paper import COMPLETE

runner = CliRunner()


class Mailbox:
    """Keeps every message the campaign sends."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    """A local SMTP server and its port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def _run(*args: str) -> str:
    result = runner.invoke(app, ["campaign", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_campaign_from_registry_to_rates(tmp_path: Path, mailbox: tuple[Mailbox, int]) -> None:
    """Stratum counts equal the allocation, letters print, mail goes out, rates match by hand."""
    box, port = mailbox
    files = write_sirene_stock(tmp_path / "sirene", 3000, seed=11, bad_rows=3)
    assert files.etablissements is not None and files.financials is not None
    db = f"sqlite:///{tmp_path / 'campaign.sqlite'}"
    frame_file = tmp_path / "frame.parquet"
    out = _run(
        "frame", str(files.unites_legales), "--establishments", str(files.etablissements),
        "--financials", str(files.financials), "--out", str(frame_file),
    )  # fmt: skip  # an option and its value stay on one line
    assert "set aside as bad rows: 3" in out
    for bad in files.bad_rows:
        assert str(bad.line) in out
    units = pl.read_parquet(frame_file)
    contacts = tmp_path / "contacts.csv"
    units.select("siren", email=pl.format("dirigeant@{}.example", "siren")).write_csv(contacts)

    _run(
        "sample", str(frame_file), "--n", "200", "--wave", "w2026", "--url", db,
        "--take-all", "size_band=250+", "--minimum", "2", "--seed", "5",
        "--contacts", str(contacts),
    )  # fmt: skip  # an option and its value stay on one line
    expected = draw_sample(
        units, SampleDesign(n=200, take_all=("size_band=250+",), minimum_per_stratum=2, seed=5)
    )
    with open_store(db) as store:
        wave_id = store.wave_by_name("w2026").id
        stored = store.sample_table(wave_id)
        # The registry file the frame came from is logged on the wave, for the annex.
        origin = json.loads(store.campaign_log(wave_id, "frame")[-1].detail)
    assert origin["source"] == files.unites_legales.name and origin["units"] == units.height
    assert origin["extracted"] and origin["filters"]
    counts = dict(stored.group_by("stratum").len().iter_rows())
    assert counts == {a.stratum: a.sample for a in expected.allocation if a.sample}
    assert sorted(stored["siren"]) == sorted(expected.units["siren"])

    codes = tmp_path / "codes.csv"
    _run("codes", "--wave", "w2026", "--url", db, "--out", str(codes))
    secrets = pl.read_csv(codes)
    assert secrets.height == 200

    pdf = tmp_path / "letters.pdf"
    _run(
        "letters", "--wave", "w2026", "--url", db, "--codes", str(codes),
        "--base-url", "https://barometre.example.fr", "--out", str(pdf),
    )  # fmt: skip  # an option and its value stay on one line
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert len([p for p in text.split("\f") if p.strip()]) == 200
    assert all(code in text for code in secrets["short_code"])
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
         str(tmp_path / "p1")], check=True,
    )  # fmt: skip  # an option and its value stay on one line
    page = Image.open(tmp_path / "p1.png").convert("L")
    assert page.getextrema() == (0, 255)  # ink on white

    smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none"]
    no_sender = runner.invoke(app, [
        "campaign", "send", "--wave", "w2026", "--url", db, "--codes", str(codes),
        "--base-url", "https://barometre.example.fr", *smtp,
    ])  # fmt: skip
    assert no_sender.exit_code == 1 and "no sender address" in no_sender.output
    assert box.envelopes == []
    smtp += ["--email-sender", "etudes@observatoire.example"]
    out = _run(
        "send", "--wave", "w2026", "--url", db, "--codes", str(codes),
        "--base-url", "https://barometre.example.fr", "--rate", "1000", *smtp,
    )  # fmt: skip  # an option and its value stay on one line
    assert "200 invitations sent" in out
    assert len(box.envelopes) == 200
    assert all(len(e.rcpt_tos) == 1 for e in box.envelopes)
    tokens = set(secrets["token"])
    assert all(sum(tok in bytes(e.content).decode() for tok in tokens) == 1 for e in box.envelopes)

    # Fieldwork: 3 paper completes (plus a bad row), 2 refusals, 1 closed, 1 bounce.
    cases = secrets["case_id"].to_list()
    paper = tmp_path / "paper.csv"
    rows = [{"case_id": c, **COMPLETE} for c in cases[:3]]
    rows.append({"case_id": cases[3], **COMPLETE, "spend": "a lot"})
    header = list(rows[0])
    paper.write_text(
        "\n".join([",".join(header)] + [",".join(r[h] for h in header) for r in rows]) + "\n"
    )
    result = runner.invoke(app, ["campaign", "paper", str(paper), "--wave", "w2026", "--url", db])
    assert result.exit_code == 2
    assert "line 5" in result.output and "spend" in result.output
    assert "3 new paper questionnaires stored, 0 already stored (unchanged), 1 rejected" in (
        result.output
    )
    with open_store(db) as store:
        store.record_disposition(wave_id, cases[4], "2.11")
        store.record_disposition(wave_id, cases[5], "2.111")
        store.record_disposition(wave_id, cases[6], "4.50")
        store.record_disposition(wave_id, cases[7], "3.32")
        rates = wave_rates(store, wave_id)
    # I = 3, R = 2, NE = 1, UH = 200 - 6 = 194 -> e = 5/6
    c = rates.overall.counts
    assert (c.complete, c.refusal, c.not_eligible, c.unknown_household) == (3, 2, 1, 194)
    assert rates.overall.rr1 == pytest.approx(3 / 199)
    assert rates.overall.rr3 == pytest.approx(3 / (5 + 5 / 6 * 194))
    assert rates.overall.coop1 == pytest.approx(3 / 5)
    out = _status("--wave", "w2026", "--url", db)
    assert _figure(out, "Taux de réponse, complets seuls (RR1)") == "1,5\u00a0%"  # 3/199
    assert _figure(out, "Lettres imprimées") == "200"
    assert _figure(out, "Invitations envoyées par courriel") == "200"
    assert _figure(out, "Courriels rejetés (bounces)") == "1"
    assert _figure(out, "Désinscriptions") == "1"
    assert _figure(out, "Questionnaires complets") == "3 web 0, papier 3"
    assert _figure(out, "Relances envoyées par courriel") == "0"
    assert "par strate" not in out.split("Par strate :")[0]  # the table only on request
    by_stratum = _status("--wave", "w2026", "--url", db, "--strata")
    assert "Taux de réponse par strate" in by_stratum
    stratum = stored["stratum"][0]
    assert any(line.split()[:1] == [stratum] for line in by_stratum.splitlines())

    later = (datetime.now(UTC) + timedelta(days=8)).isoformat()
    out = _run(
        "remind", "--wave", "w2026", "--url", db, "--codes", str(codes),
        "--base-url", "https://barometre.example.fr", "--rate", "1000", "--now", later, "--send",
        *smtp,
    )  # fmt: skip  # an option and its value stay on one line
    # everyone but the 3 completes, 2 refusals, 1 closed and 1 bounce
    assert "reminder_1: 193 sent" in out
    assert len(box.envelopes) == 200 + 193
    out = _status("--wave", "w2026", "--url", db)
    assert _figure(out, "Relances envoyées par courriel") == "193 à 193 entreprises"


def _status(*args: str) -> str:
    """`campaign status` at 80 columns; fails if a line is longer or a label is cut."""
    result = runner.invoke(app, ["campaign", "status", *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80, result.output
    assert "…" not in result.output
    return result.output


def _figure(out: str, label: str) -> str:
    """What `campaign status` prints after `label`, plain spaces collapsed (not the NBSPs)."""
    line = next(line for line in out.splitlines() if line.strip().startswith(label))
    return re.sub(" +", " ", line.strip(" ")[len(label) :]).strip(" ")
