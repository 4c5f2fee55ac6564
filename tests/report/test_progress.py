"""`build_report(progress=...)`: one call per step, in order, ending at 100 %."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from barometre.report import build_report
from barometre.report.build import STEP_LABELS
from barometre.report.testing import example_wave

from .._terminal import on_a_terminal, plain


def test_progress_is_called_per_step_up_to_done(questionnaire: Any, tmp_path: Path) -> None:
    """Calls go up from 0 to total, one per step run, the last with done == total."""
    calls: list[tuple[str, int, int]] = []
    build_report(
        example_wave(300, seed=4),
        questionnaire,
        tmp_path,
        pdf=False,
        driver_replicates=0,
        progress=lambda label, done, total: calls.append((label, done, total)),
    )
    labels = [c[0] for c in calls]
    assert labels == [
        STEP_LABELS[k] for k in ("results", "results.json", "html", "exports", "done")
    ]
    done = [c[1] for c in calls]
    assert done == sorted(done) and done[0] == 0
    assert calls[-1][1] == calls[-1][2] and len({c[2] for c in calls}) == 1


def test_report_build_shows_its_steps_on_a_terminal(tmp_path: Path) -> None:
    """`barometre report build` on a terminal draws each step up to 100 %; stdout stays plain."""
    path = tmp_path / "wave.parquet"
    example_wave(300, seed=4).write_parquet(path)
    stdout, terminal = on_a_terminal(
        ["report", "build", str(path), "--out", str(tmp_path / "out"), "--no-pdf",
         "--replicates", "0"],
        {},
    )  # fmt: skip
    plain(stdout)
    assert "results:" in stdout
    assert STEP_LABELS["results"] in terminal and STEP_LABELS["html"] in terminal, terminal
    shares = [int(share) for share in re.findall(r"(\d+)%", terminal)]
    assert shares and shares == sorted(shares) and shares[-1] == 100, terminal
