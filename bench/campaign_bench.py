"""Benchmark the campaign's frame import + filters + sample draw against a bare polars scan.

Run by hand from the project root:

    uv run python bench/campaign_bench.py                      # 5,000,000 legal units
    uv run python bench/campaign_bench.py --rows 1000000 --repeat 1

A SIRENE-format StockUniteLegale file is generated once with `barometre.synth.sirene`
(kept in --dir and reused when it has the right size). Each measurement runs in its own
Python process, so its peak memory (max RSS) is its own; the time is the wall time of the
work inside the process (imports excluded, the same ones in every process). Measured:

- bare scan, all columns: polars' streaming engine parses every field of every row
  (null counts per column): the floor for "reading the file";
- bare scan, used columns: the same, but only the columns the frame reads;
- import + filter + draw: `import_frame` with the default filters (active, PME/ETI, NAF
  exclusions), including the line-by-line structural check of the file, then a stratified
  sample of 30,000 (size band x sector, proportional, at least 20 per stratum);
- the same on a copy of the stock with 100 broken rows (bad checksum, unknown codes,
  broken quoting), which adds the writing of a cleaned copy of the file.

The target of issue 5: import + filter + draw within 2x of the bare scan.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from barometre.synth.sirene import UNITE_LEGALE_FILE, write_sirene_stock

USED_COLUMNS = [
    "siren",
    "etatAdministratifUniteLegale",
    "categorieEntreprise",
    "trancheEffectifsUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "nomUniteLegale",
    "prenomUsuelUniteLegale",
    "categorieJuridiqueUniteLegale",
    "statutDiffusionUniteLegale",
]

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import polars as pl
from barometre.campaign.frame import import_frame
from barometre.campaign.sampling import SampleDesign, draw_sample
task, path = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()
if task == "scan_all":
    lf = pl.scan_csv(path, infer_schema=False)
    out = lf.select(pl.all().null_count()).collect(engine="streaming")
    rows = None
elif task == "scan_used":
    cols = json.loads(sys.argv[3])
    lf = pl.scan_csv(path, infer_schema=False)
    out = lf.select(pl.col(cols).null_count()).collect(engine="streaming")
    rows = None
else:
    frame = import_frame(path)
    sample = draw_sample(frame.units, SampleDesign(n=30000, minimum_per_stratum=20))
    rows = {"read": frame.report.rows_read, "bad": frame.report.bad_rows,
            "kept": frame.report.kept, "sampled": sample.size}
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": rows}))
"""


def _measure(task: str, path: Path) -> dict[str, object]:
    cmd = [sys.executable, "-c", _CHILD, task, str(path), json.dumps(USED_COLUMNS)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _stock(directory: Path, rows: int, seed: int, bad_rows: int) -> Path:
    path = directory / UNITE_LEGALE_FILE
    marker = directory / "rows.txt"
    if path.exists() and marker.exists() and marker.read_text().strip() == str(rows):
        return path
    directory.mkdir(parents=True, exist_ok=True)
    print(f"generating {rows:,} legal units in {directory} ...", flush=True)
    start = time.perf_counter()
    write_sirene_stock(
        directory, rows, seed, bad_rows=bad_rows, with_establishments=False, with_financials=False
    )
    marker.write_text(str(rows))
    print(f"  generated in {time.perf_counter() - start:.0f} s", flush=True)
    return path


def main() -> None:
    """Generate (once) the stock file, measure, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/barometre-campaign-bench"))
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=2, help="runs per task; the best is kept")
    args = parser.parse_args()
    # Polars cannot scan a file with broken quoting at all, so the floor is measured on a
    # clean stock; the same stock with 100 broken rows measures the cleaning path.
    path = _stock(args.dir / "clean", args.rows, args.seed, bad_rows=0)
    broken = _stock(args.dir / "broken", args.rows, args.seed, bad_rows=100)
    size_mb = path.stat().st_size / 1e6
    print(f"file: {path} ({size_mb:,.0f} MB, {args.rows:,} rows)")
    best: dict[str, dict[str, object]] = {}
    for _ in range(args.repeat):
        for task in ("scan_all", "scan_used", "import", "import_broken"):
            result = _measure(task.removesuffix("_broken"), broken if "broken" in task else path)
            seconds = float(result["seconds"])  # type: ignore[arg-type]
            if task not in best or seconds < float(best[task]["seconds"]):  # type: ignore[arg-type]
                best[task] = result
    labels = {
        "scan_all": "bare scan, all columns",
        "scan_used": "bare scan, used columns",
        "import": "import + filter + draw",
        "import_broken": "same, 100 broken rows",
    }
    floor = float(best["scan_all"]["seconds"])  # type: ignore[arg-type]
    floor_used = float(best["scan_used"]["seconds"])  # type: ignore[arg-type]
    print(f"{'task':<26}{'seconds':>9}{'rows/s':>14}{'peak MB':>10}{'x all':>8}{'x used':>8}")
    for task, label in labels.items():
        seconds = float(best[task]["seconds"])  # type: ignore[arg-type]
        peak = float(best[task]["peak_mb"])  # type: ignore[arg-type]
        print(
            f"{label:<26}{seconds:>9.2f}{args.rows / seconds:>14,.0f}{peak:>10,.0f}"
            f"{seconds / floor:>8.2f}{seconds / floor_used:>8.2f}"
        )
    print("import counts:", best["import"]["rows"])
    print("with broken rows:", best["import_broken"]["rows"])


if __name__ == "__main__":
    main()
