"""Benchmark report generation for a wave of 1,657 respondents (the 2018 study's size).

Run by hand from the project root:

    uv run python bench/report_bench.py              # 1,657 respondents, 3 runs
    uv run python bench/report_bench.py --n 5000 --runs 1

Each run builds everything `build_report` writes (results, HTML, PDF, results.json and the
exports) and prints the wall and CPU time of each step. The baseline, measured in the same
process, is computing the results alone (the statistics), so the ratio says what rendering
costs on top. Target: the whole report in under 20 s. Peak memory is the process' max RSS.
CPU times are printed beside wall times: on a shared, loaded machine the wall time mostly
measures the other processes, the CPU time what the report costs.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from barometre.questionnaire import load_builtin
from barometre.report import (
    compute_results,
    export_wave,
    render_html,
    write_pdf,
    write_results_json,
)
from barometre.report.testing import example_wave


def timed(label: str, times: dict[str, list[float]], fn: Callable[..., Any], *args: Any) -> Any:
    """Run fn(*args), record its wall time under label, print wall and CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    dw, dc = time.perf_counter() - wall, time.process_time() - cpu
    times.setdefault(label, []).append(dw)
    times.setdefault(f"{label} cpu", []).append(dc)
    print(f"  {label:<10} {dw:6.2f} s wall  {dc:6.2f} s cpu")
    return out


def main() -> None:
    """Time the report of a synthetic wave, step by step."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1657, help="respondents in the wave")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

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
