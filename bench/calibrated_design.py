"""Standard errors of a stored wave under its calibrated design, and the cost of its replicates.

Run by hand from the project root, on a store holding a weighted wave (e.g. the demo's):

    uv run barometre demo --out /tmp/demo --no-pdf --no-serve
    uv run python bench/calibrated_design.py sqlite:////tmp/demo/barometre.sqlite

Prints the share of strategy = yes with its SE under the wave's calibrated design with fpc
(`barometre.wave.wave_design`), the stratified design with fpc only, the plain design the
report used before (final weights and strata) and an unstratified one; the recalibrated JKn
SE and the time its replicates take (the `--replicate-weights` export), with the floor of
one linearised SE in the same run; and the typology's segment SEs, plain and calibrated.
"""

from __future__ import annotations

import argparse
import time

from barometre.report.estimation import DesignInfo
from barometre.stats import Design
from barometre.store import open_store
from barometre.typology import DesignSpec, segment_shares
from barometre.wave import calibration_of, stored_spec, wave_design, wave_respondents


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="database URL of the store")
    parser.add_argument("--wave", help="wave name (default: the first)")
    args = parser.parse_args()
    store = open_store(args.url)
    wave = next(w for w in store.waves() if args.wave in (None, w.name))
    spec = stored_spec(store, wave.id)
    if spec is None:
        raise SystemExit(f"wave {wave.name!r} has no weighting spec: run `barometre wave weight`")
    r = wave_respondents(store, wave.id, spec)
    t0 = time.perf_counter()
    calibrated = wave_design(r, spec)
    floor = time.perf_counter() - t0
    designs = {
        "calibrated + fpc": calibrated,
        "fpc only": DesignInfo(stratum_population=dict(spec.stratum_population)).design(r),
        "plain (strata)": wave_design(r, None),
        "unstratified": Design(r, weights="weight"),
    }
    print(f"wave {wave.name}: {r.height} respondents, strategy = yes")
    for name, d in designs.items():
        e = d.proportion("strategy", "yes")
        print(f"  {name:17s} {e.estimate:.5f}  se {e.se:.5f}")
    t0 = time.perf_counter()
    jk = calibrated.jackknife(recalibrate=True)
    e = jk.proportion("strategy", "yes")
    took = time.perf_counter() - t0
    print(
        f"  JKn recalibrated  {e.estimate:.5f}  se {e.se:.5f}  ({jk.n_replicates} replicates, "
        f"{took:.1f} s; the calibrated design itself {floor:.2f} s, ratio {took / floor:.0f})"
    )
    plain = segment_shares(r, design=DesignSpec())
    cal = segment_shares(r, design=DesignSpec(fpc="fpc", calibration=calibration_of(spec)))
    for a, b in zip(plain.shares, cal.shares, strict=True):
        print(
            f"  segment {a.segment.id:18s} {a.estimate.estimate:.4f}  se plain "
            f"{a.estimate.se:.5f}  calibrated {b.estimate.se:.5f}"
        )


if __name__ == "__main__":
    main()
