"""400 simulated waves of the demo design: weighting failures and fallback steps taken.

The demo's design: a synthetic frame of 150,000 firms, a proportional stratified sample of
30,000 (size band x sector), about 1,650 returns, `weight_wave` with its default bounds
(0.25, 4). Run once by hand (about 5 minutes on one core):

    OPENBLAS_NUM_THREADS=1 uv run --frozen python bench/weighting_fallback.py [waves] [mode] [aux]

mode is the synthetic non-response ("mixed", "registry", "activity"); aux "yes" adds the
registry auxiliaries as margins. Prints the number of failures (weight_wave raising) and,
per fallback step kind, how many waves took it at least once.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # 2 shared cores: BLAS threads only contend

import sys
import time
from collections import Counter

from barometre.auxiliaries import AUXILIARIES
from barometre.campaign.sampling import SampleDesign
from barometre.simulation.population import simulated_population
from barometre.simulation.waves import draw_wave
from barometre.weighting import LADDER, WeightingError


def main() -> None:
    """Run the waves and print the counts."""
    waves = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    mode = sys.argv[2] if len(sys.argv) > 2 else "mixed"
    aux = AUXILIARIES if len(sys.argv) > 3 and sys.argv[3] == "yes" else ()
    pop = simulated_population(150_000, seed=7)
    failures = 0
    with_fallback = 0
    took: Counter[str] = Counter()
    steps_total: Counter[str] = Counter()
    start = time.perf_counter()
    for r in range(waves):
        seed = 20_000 + r
        try:
            wave = draw_wave(
                pop,
                SampleDesign(n=30_000, seed=seed),
                seed,
                nonresponse=mode,  # type: ignore[arg-type]
                auxiliaries=aux,
            )
        except WeightingError as err:
            failures += 1
            print(f"wave {r}: FAILED {err}", file=sys.stderr)
            continue
        kinds = [s.kind for s in wave.weighting.steps]
        with_fallback += bool(kinds)
        took.update(set(kinds))
        steps_total.update(kinds)
        if (r + 1) % 50 == 0:
            print(f"{r + 1}/{waves} waves, {time.perf_counter() - start:.0f} s", file=sys.stderr)
    print(f"{waves} waves (non-response {mode!r}, auxiliaries {list(aux)}): {failures} failures")
    print(f"waves weighted without any fallback: {waves - failures - with_fallback}")
    for kind in LADDER:
        print(f"  {kind:13s} taken by {took[kind]:4d} waves ({steps_total[kind]} steps in all)")
    print(f"elapsed {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
