"""Benchmark of the synthetic data: population with answers, and a streamed SIRENE stock.

Run by hand: `uv run python bench/synth_bench.py [--units 300000] [--stock 1000000]`.
Prints wall time of each step and the process's peak resident memory so far (the
stock is written last, to show that streaming keeps memory flat). The baseline is
drawing the registry attributes alone (`frame.draw_units`) for the same number of
firms, so the ratios say what the answer model and the CSV writing add to the draw.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from barometre.synth import generate_population, population_truth, write_sirene_stock
from barometre.synth.frame import draw_units, unit_blocks


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(label: str, job: Callable[[], object]) -> float:
    start = time.perf_counter()
    job()
    elapsed = time.perf_counter() - start
    print(f"{label:45s} {elapsed:8.2f} s   peak RSS so far {_rss_mib():8.1f} MiB")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=300_000)
    parser.add_argument("--stock", type=int, default=1_000_000)
    args = parser.parse_args()

    def bare(n: int) -> Callable[[], object]:
        return lambda: pl.concat(
            [draw_units(1, b, k, {"in_scope": 1.0}) for b, k in unit_blocks(n)]
        )

    base = _measure(f"baseline: draw {args.units:,} registry rows", bare(args.units))
    pop_time = _measure(
        f"generate_population({args.units:,})", lambda: generate_population(args.units, 1)
    )
    pop = generate_population(args.units, 1)
    _measure("population_truth", lambda: population_truth(pop))
    print(f"{'ratio population / baseline':45s} {pop_time / base:8.2f}")

    stock_base = _measure(f"baseline: draw {args.stock:,} registry rows", bare(args.stock))
    with tempfile.TemporaryDirectory() as tmp:
        stock_time = _measure(
            f"write_sirene_stock({args.stock:,})",
            lambda: write_sirene_stock(Path(tmp), args.stock, 1),
        )
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    print(f"{'ratio stock writing / baseline':45s} {stock_time / stock_base:8.2f}")
    print(f"{'stock files size':45s} {size / 2**20:8.1f} MiB")
    print(f"{'rows per second (legal units)':45s} {args.stock / stock_time:10,.0f}")
    print(f"{'peak resident memory of the process':45s} {_rss_mib():8.1f} MiB")


if __name__ == "__main__":
    main()
