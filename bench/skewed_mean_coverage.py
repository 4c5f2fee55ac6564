"""Coverage of the intervals for mean headcount: symmetric t against Hall's correction.

Run by hand (about a minute per 500 replicates and size on one core):

    OPENBLAS_NUM_THREADS=1 uv run --frozen python bench/skewed_mean_coverage.py [N_REPS] [SEED]

Draws N_REPS samples of 800, 1,650 and 4,000 firms from the demo's synthetic population
(150,000 firms, stratified by size band x sector, proportional allocation, every firm
answering) and prints, per size, the coverage of the 95 % intervals for mean headcount: the
symmetric t interval (design df, as the report's shares), the same on Satterthwaite's df,
Hall's skewness correction on the design df, and the corrected interval the report shows
(Hall on Satterthwaite's df, `barometre.report.skewed`), with Monte-Carlo SEs, where the
misses fall, and the corrected interval's mean width over the symmetric one's.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # 2 shared cores: BLAS threads only contend

import sys
import time

from barometre.simulation.population import simulated_population
from barometre.simulation.skewed_mean import skewed_mean_coverage


def main() -> None:
    """Run the replicates and print the coverage table."""
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    pop = simulated_population(150_000, seed=7)
    start = time.perf_counter()
    rows = skewed_mean_coverage(pop, replicates=reps, seed=seed)
    print(f"mean headcount, population mean {rows[0].truth:.2f}, {reps} replicates, seed {seed}")
    print("  firms | symmetric (MC SE) | symmetric, Satt. df | Hall, design df |"
          " Hall, Satt. df = corrected (MC SE) | misses below/above: symmetric; corrected |"
          " width corrected / symmetric")  # fmt: skip
    for r in rows:
        print(f"  {r.n_firms:5d} | {r.symmetric:6.1%} ({r.symmetric_mc_se:.1%})"
              f" | {r.symmetric_satterthwaite:6.1%} | {r.corrected_design_df:6.1%}"
              f" | {r.corrected:6.1%} ({r.corrected_mc_se:.1%})"
              f" | {r.symmetric_misses_below}/{r.symmetric_misses_above};"
              f" {r.corrected_misses_below}/{r.corrected_misses_above}"
              f" | {r.width_ratio:.2f}")  # fmt: skip
    print(f"elapsed {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
