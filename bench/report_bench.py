"""Benchmark report generation for a wave of 1,657 respondents (the 2018 study's size).

Run by hand from the project root:

    uv run python bench/report_bench.py              # 1,657 respondents, 3 runs
    uv run python bench/report_bench.py --n 5000 --runs 1
    uv run python bench/report_bench.py --store sqlite:///demo-output/barometre.sqlite \
        --wave demo-2018 --runs 2               # a stored wave, as `barometre wave report`

Each run builds everything `build_report` writes (results, HTML, PDF, results.json and the
exports) and prints the wall and CPU time of each step. The baseline, measured in the same
process, is computing the results alone (the statistics), so the ratio says what rendering
costs on top. Target: the whole report in under 20 s. Peak memory is the process' max RSS.
CPU times are printed beside wall times: on a shared, loaded machine the wall time mostly
measures the other processes, the CPU time what the report costs.

With `--store URL --wave NAME` it times a stored wave as `barometre wave report` builds it:
the start-up imports of the command (a fresh interpreter), reading the wave, the results, the
methodology annex from the store, HTML, PDF and exports one after the other, then the whole
command in a fresh process (where the exports overlap the PDF). Target: under 15 s. To
compare before and after, run it twice with PYTHONPATH pointing at each checkout's `src`.
The stages run with one OpenBLAS thread, as `barometre` runs its commands.
"""

from __future__ import annotations

import os

# As the `barometre` entry point does, before numpy loads (the imports below load it). The
# fresh processes timed get the caller's environment, so an older checkout runs as it would.
_CALLER_ENV = dict(os.environ)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from barometre.questionnaire import load_builtin  # noqa: E402
from barometre.report import (  # noqa: E402
    compute_results,
    export_wave,
    render_html,
    write_pdf,
    write_results_json,
)
from barometre.report.testing import example_wave  # noqa: E402


def timed(label: str, times: dict[str, list[float]], fn: Callable[..., Any], *args: Any) -> Any:
    """Run fn(*args), record its wall time under label, print wall and CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    dw, dc = time.perf_counter() - wall, time.process_time() - cpu
    times.setdefault(label, []).append(dw)
    times.setdefault(f"{label} cpu", []).append(dc)
    print(f"  {label:<10} {dw:6.2f} s wall  {dc:6.2f} s cpu")
    return out


def _child(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU time (user + system) of a fresh process running argv."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=_CALLER_ENV)
    dw = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    dc = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dw, dc


def _record(label: str, times: dict[str, list[float]], wall: float, cpu: float) -> None:
    times.setdefault(label, []).append(wall)
    times.setdefault(f"{label} cpu", []).append(cpu)
    print(f"  {label:<10} {wall:6.2f} s wall  {cpu:6.2f} s cpu")


def _load(store: Any, wave_id: int) -> dict[str, Any]:
    """What `wave report` reads first: the earlier wave's results and respondents, the
    wave's respondents with their weighting columns and its calibrated design."""
    from barometre.wave import (
        design_info,
        earlier_results,
        earlier_wave_id,
        stored_spec,
        wave_respondents,
    )

    previous = earlier_results(store, wave_id)
    earlier = earlier_wave_id(store, wave_id) if previous is not None else None
    previous_data = None if earlier is None else wave_respondents(store, earlier, with_unit=True)
    spec = stored_spec(store, wave_id)
    return {
        "data": wave_respondents(store, wave_id, spec, with_unit=previous_data is not None),
        "questionnaire": store.questionnaire_of(wave_id),
        "design": design_info(spec),
        "previous": previous,
        "previous_data": previous_data,
    }


def stored_wave(url: str, wave: str, runs: int) -> None:
    """Time `barometre wave report` on a stored wave, stage by stage, then as one command."""
    from barometre.report import Methodology
    from barometre.store import open_store
    from barometre.wave import methodology_from_store

    times: dict[str, list[float]] = {}
    imports = "import barometre.cli.wave, barometre.report, barometre.wave"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for run in range(runs):
            print(f"run {run + 1}: wave {wave!r} of {url}")
            _record("start-up", times, *_child([sys.executable, "-c", imports]))
            store = open_store(url)
            wave_id = store.wave_by_name(wave).id
            read = timed("load", times, _load, store, wave_id)
            data, q, design = read["data"], read["questionnaire"], read["design"]
            compute = partial(
                compute_results,
                wave=wave,
                previous=read["previous"],
                previous_data=read["previous_data"],
            )
            # As the command computes them: on the wave's calibrated design with its fpc.
            results = timed("results", times, compute, data, q, design)
            methodology: Methodology = timed(
                "annex", times, methodology_from_store, store, wave_id, "fr", None
            )
            timed("json", times, write_results_json, results, out / "results.json")
            html = timed("html", times, render_html, results, "fr", methodology)
            timed("pdf", times, write_pdf, html, out / "report.pdf")
            timed("exports", times, partial(export_wave, design=design), data, q, out / "exports")
            store.close()
            argv = ["barometre", "wave", "report", "--wave", wave, "--url", url,
                    "--out", str(out / "command")]  # fmt: skip
            command = [
                sys.executable,
                "-c",
                f"import sys; from barometre.cli import main; sys.argv = {argv!r}; main()",
            ]
            _record("command", times, *_child(command))
    print(f"\nbest of {runs} (wall, cpu):")
    for label in ("start-up", "load", "results", "annex", "json", "html", "pdf", "exports"):
        print(f"  {label:<10} {min(times[label]):6.2f} s  {min(times[label + ' cpu']):6.2f} s")
    best, best_cpu = min(times["command"]), min(times["command cpu"])
    print(f"  {'command':<10} {best:6.2f} s  {best_cpu:6.2f} s  (barometre wave report)")
    print(f"  load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  target < 15 s wall: {'met' if best < 15 else 'NOT met'}")


def main() -> None:
    """Time the report of a synthetic wave (or of a stored one), step by step."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1657, help="respondents in the wave")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", help="database URL of a stored wave (with --wave)")
    parser.add_argument("--wave", help="name of the stored wave")
    args = parser.parse_args()
    if args.store:
        if not args.wave:
            parser.error("--store needs --wave")
        stored_wave(args.store, args.wave, args.runs)
        return

    q = load_builtin("bpi2018")
    wave = example_wave(args.n, seed=2018)
    previous = compute_results(example_wave(args.n, seed=2017), q, wave="previous")
    # Warm-up: first imports (matplotlib, WeasyPrint, pandas, fonts) are a one-off cost.
    render_html(compute_results(example_wave(300, seed=1), q))
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for run in range(args.runs):
            print(f"run {run + 1}: {args.n} respondents")
            start = time.perf_counter()
            compute = partial(compute_results, previous=previous)
            results = timed("results", times, compute, wave, q)
            timed("json", times, write_results_json, results, out / "results.json")
            html = timed("html", times, render_html, results, "fr")
            timed("pdf", times, write_pdf, html, out / "report.pdf")
            timed("exports", times, export_wave, wave, q, out / "exports")
            times.setdefault("total", []).append(time.perf_counter() - start)
            steps = ("results", "json", "html", "pdf", "exports")
            cpu_total = sum(times[f"{k} cpu"][-1] for k in steps)
            times.setdefault("total cpu", []).append(cpu_total)
            print(f"  {'total':<10} {times['total'][-1]:6.2f} s wall  {cpu_total:6.2f} s cpu")
    best = {k: min(v) for k, v in times.items()}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nbest of {args.runs} for {args.n} respondents:")
    for k, v in best.items():
        print(f"  {k:<10} {v:6.2f} s")
    print(
        f"  total / results-only baseline: {best['total'] / best['results']:.1f}x wall, "
        f"{best['total cpu'] / best['results cpu']:.1f}x cpu"
    )
    print(f"  peak memory (max RSS): {peak:.0f} MB")
    print(f"  target < 20 s: {'met' if best['total'] < 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
