"""docs/guide.md is a test: its sh blocks run in order, in an empty folder, and must all succeed."""

from __future__ import annotations

import csv
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
MARKER = re.compile(r"<!-- guide-test: ([a-z ]+) -->")


class Mailbox:
    """An aiosmtpd handler counting the messages each address receives."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.update(str(a) for a in envelope.rcpt_tos)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def guide_steps(text: str) -> list[tuple[str, str]]:
    """The guide's sh blocks and guide-test markers, in their order in the page."""
    found = [(m.start(), "sh", m.group(1)) for m in BLOCK.finditer(text)]
    found += [(m.start(), "marker", m.group(1)) for m in MARKER.finditer(text)]
    return [(kind, body) for _, kind, body in sorted(found)]


def _latest_codes(folder: Path) -> list[dict[str, str]]:
    latest = max(folder.glob("codes-*.csv"), key=lambda p: p.stat().st_mtime)
    with latest.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _wait_for(url: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the web app never answered at {url}")


def _respondents_answer(folder: Path, base_url: str, rng: random.Random) -> int:
    """A quarter of the sampled companies answer on the web with their personal link."""
    from barometre.questionnaire import load_builtin
    from barometre.web.testing import complete_questionnaire, random_answers

    _wait_for(base_url + "/")
    questionnaire = load_builtin("bpi2018")
    codes = _latest_codes(folder)
    answered = 0
    for row in codes[: len(codes) // 4]:
        with httpx.Client(base_url=base_url, follow_redirects=True, timeout=30) as client:
            first = client.get(f"/r/{row['token']}")
            assert first.status_code == 200, first.text
            done = complete_questionnaire(client, first, random_answers(questionnaire, rng))
            assert "/merci" in done.url.path, done.url
            answered += 1
    return answered


def _paper_returns(folder: Path, rng: random.Random) -> int:
    """The team keys 30 paper forms of companies that did not answer on the web."""
    from barometre.questionnaire import load_builtin
    from barometre.web.testing import random_answers

    questionnaire = load_builtin("bpi2018")
    codes = _latest_codes(folder)
    rows = []
    for row in codes[len(codes) // 4 : len(codes) // 4 + 30]:
        answers = random_answers(questionnaire, rng)
        keyed = {k: ";".join(v) if isinstance(v, list) else v for k, v in answers.items()}
        rows.append({"short_code": row["short_code"], **keyed})
    columns = ["short_code"] + [q.id for q in questionnaire.questions]
    with (folder / "returns-2026.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    """A running SMTP server on 127.0.0.1 and its port."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


@pytest.mark.slow
def test_the_guide_runs_a_whole_wave_and_a_second_one(
    tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    """Every sh block of docs/guide.md succeeds; e-mails, annex and trends are as the guide says."""
    box, smtp_port = mailbox
    web_port = _free_port()
    base_url = f"http://127.0.0.1:{web_port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BAROMETRE_")},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "80",
        "BAROMETRE_BASE_URL": base_url,
        "BAROMETRE_PORT": str(web_port),
        "BAROMETRE_SMTP_HOST": "127.0.0.1",
        "BAROMETRE_SMTP_PORT": str(smtp_port),
        "BAROMETRE_SMTP_SECURITY": "none",
        "BAROMETRE_SMTP_RATE": "1000",
    }
    assert shutil.which("barometre", path=env["PATH"]), "barometre is not on the venv's PATH"
    rng = random.Random(11)
    timings: dict[str, float] = {}
    web_answers = paper = 0
    steps = guide_steps(GUIDE.read_text(encoding="utf-8"))
    assert sum(kind == "sh" for kind, _ in steps) >= 8, "the guide lost its shell blocks"
    try:
        for kind, body in steps:
            if kind == "marker" and body == "respondents answer":
                web_answers += _respondents_answer(tmp_path, base_url, rng)
                continue
            if kind == "marker" and body == "paper returns keyed":
                paper += _paper_returns(tmp_path, rng)
                continue
            assert kind == "sh", f"unknown guide-test marker {body!r}"
            for command in re.split(r"\n(?=\S)", body.strip()):  # one command per step
                started = time.perf_counter()
                done = subprocess.run(
                    ["bash", "-e", "-c", command],
                    cwd=tmp_path,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                timings[" ".join(command.split()[:3])] = time.perf_counter() - started
                assert done.returncode == 0, (
                    f"guide command failed ({done.returncode}):\n{command}\n"
                    f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
                )
    finally:
        pid_file = tmp_path / "serve.pid"
        if pid_file.exists():  # a failed step must not leave the web app running
            subprocess.run(["kill", pid_file.read_text().strip()], check=False)
    print("\n".join(f"{t:7.1f} s  {c}" for c, t in timings.items()))  # the figures of the report

    assert web_answers > 0 and paper == 30
    assert box.received, "no e-mail reached the SMTP server"
    # At most an invitation and a reminder per wave the firm was drawn in. The take-all
    # stratum (250+) is in both waves' samples, so its firms get a third message (the 2027
    # invitation); every other firm is in one sample only (fresh, coordinated samples).
    from barometre.store import open_store

    with open_store(f"sqlite:///{tmp_path / 'barometre.sqlite'}") as store:
        drawn = [
            set(store.sample_table(store.wave_by_name(name).id)["siren"].to_list())
            for name in ("2026", "2027")
        ]
    in_both = drawn[0] & drawn[1]
    for address, n in box.received.items():
        siren = re.sub(r"\D", "", address.split("@")[0])
        assert n <= (3 if siren in in_both else 2), (address, n)
    assert any(n == 2 for n in box.received.values()), "no reminder was sent"
    report_2026 = "".join(p.read_text() for p in (tmp_path / "report-2026").glob("*.html"))
    assert "Annexe" in report_2026 or "annexe" in report_2026
    assert "non renseigné" not in report_2026, "the annex has facts missing"
    assert "StockUniteLegale_utf8.csv" in report_2026, "the annex does not name the registry file"
    results_2027: dict[str, Any] = json.loads((tmp_path / "report-2027/results.json").read_text())
    assert results_2027["previous_wave"] == "2026" and results_2027["changes"]
    assert "diagnostic" in (tmp_path / "diagnostic.html").read_text().lower()
