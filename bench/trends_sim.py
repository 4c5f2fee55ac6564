"""Trend simulations: false headline changes in no-change pairs, SE / SD with overlap.

Run once by hand (each scenario a few minutes on one core):

    uv run --frozen python bench/trends_sim.py nochange 200    # fresh PRN pairs, same population
    uv run --frozen python bench/trends_sim.py panel 100       # same firms, full response
    uv run --frozen python bench/trends_sim.py rotation 100    # half rotated, full response

"nochange": both waves from one population, the second a fresh PRN sample with no firm in
common, synthetic non-response through registry variables; prints the share of pairs whose
headline reports at least one changed key indicator, without adjustment, with Holm and with
Benjamini-Hochberg. "panel"/"rotation": the second wave's population is the same firms with
answers kept at 70 % (`simulation.population.next_wave`), every sampled firm answers (so
the overlap is the sample's); prints per indicator the mean SE of the change with the
overlap covariance, and without it, over the SD of the changes.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # 2 shared cores: BLAS threads only contend

import math
import sys
import time

from barometre.simulation.population import next_wave, simulated_population
from barometre.simulation.trends import trend_study


def main() -> None:
    """Run one scenario and print its figures."""
    scenario = sys.argv[1] if len(sys.argv) > 1 else "nochange"
    pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    pop = simulated_population(150_000, seed=7)
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done % 25 == 0:
            print(f"{done}/{total} pairs, {time.perf_counter() - start:.0f} s", file=sys.stderr)

    if scenario == "nochange":
        study = trend_study(pop, pairs=pairs, coordination="fresh", nonresponse="registry",
                            progress=progress)  # fmt: skip
    else:
        later = next_wave(pop, seed=99, persistence=0.7)
        study = trend_study(pop, pairs=pairs, coordination=scenario, rotation=0.5,  # type: ignore[arg-type]
                            nonresponse="none", second=later, progress=progress)  # fmt: skip
    print(f"{study.pairs} pairs, {study.coordination}, non-response {study.nonresponse!r}, "
          f"respondents in both waves: {study.overlap:.1%}")  # fmt: skip
    for adj, share in study.false_headline.items():
        mc = math.sqrt(share * (1 - share) / study.pairs)
        print(f"  pairs with >= 1 reported change ({adj}): {share:.1%} (MC SE {mc:.1%})")
    mc_ratio = 1 / math.sqrt(2 * (study.pairs - 1))
    print(f"  SE / SD of the change (MC SE of a ratio about {mc_ratio:.2f}):")
    for name, ratio in study.se_ratio.items():
        print(f"    {name:14s} with covariance {ratio:.2f}   ignoring it "
              f"{study.se_ratio_independent[name]:.2f}")  # fmt: skip
    print(f"elapsed {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
