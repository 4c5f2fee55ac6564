"""Benchmark: weighted MCA + HCPC at 10^4 (against FactoMineR, same data, same run), 10^5, 10^6.

Run by hand from the project root:

    uv run python bench/typology_bench.py            # all sizes
    uv run python bench/typology_bench.py --sizes 10000 100000

Each measurement runs in its own process so that its peak memory (max RSS, from
``wait4``) is its own. Data: survey-like answers to 15 categorical questions
(2 to 5 choices) drawn from 4 latent behaviours, seeded. At 10^4 the same
file is given to ``FactoMineR::MCA`` + ``HCPC`` (defaults: ncp=5,
consolidation, inertia-gain rule) when ``Rscript`` and FactoMineR are present;
the script prints the speed ratio, the largest eigenvalue gap and whether the
partitions are identical. 10^6 uses the pre-clustering mode (1000 weighted
k-means centres before Ward, FactoMineR's ``kk``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

N_QUESTIONS = 15
R_SCRIPT = r"""
suppressPackageStartupMessages(library(FactoMineR))
args <- commandArgs(trailingOnly = TRUE)
x <- read.csv(args[1], colClasses = "factor")
t0 <- proc.time()[["elapsed"]]
res <- MCA(x, ncp = 5, graph = FALSE)
h <- HCPC(res, nb.clust = -1, graph = FALSE)
elapsed <- proc.time()[["elapsed"]] - t0
write.csv(data.frame(eig = sprintf("%.17g", res$eig[, 1])), args[2], row.names = FALSE)
clust <- as.integer(as.character(h$data.clust$clust))
write.csv(data.frame(clust = clust), args[3], row.names = FALSE)
cat(sprintf("%.6f\n", elapsed))
"""


def survey(n: int, seed: int = 2018) -> pl.DataFrame:
    """n answers to 15 categorical questions from 4 latent behaviours, with survey weights."""
    rng = np.random.default_rng(seed)
    latent = rng.choice(4, size=n, p=[0.44, 0.19, 0.09, 0.28])
    columns: dict[str, object] = {}
    for q in range(N_QUESTIONS):
        n_levels = 2 + q % 4
        profiles = rng.dirichlet(np.full(n_levels, 0.8), size=4)
        u = rng.random(n)
        codes = (u[:, None] > np.cumsum(profiles[latent], axis=1)).sum(axis=1)
        codes = np.minimum(codes, n_levels - 1)
        columns[f"q{q + 1:02d}"] = np.array([chr(97 + c) for c in range(n_levels)])[codes]
    columns["weight"] = rng.uniform(5, 80, n).round(3)
    return pl.DataFrame(columns)


def measure_python(n: int, pre_clusters: int | None, out: str | None) -> dict[str, float]:
    """Time MCA + HCPC in this process (run as a child by ``main``)."""
    from barometre.typology import hcpc, mca

    frame = survey(n)
    cols = [c for c in frame.columns if c.startswith("q")]
    weights = None if out else "weight"  # the FactoMineR comparison is unweighted
    t0 = time.perf_counter()
    result = mca(frame, cols, weights=weights, n_components=5)
    t1 = time.perf_counter()
    clusters = hcpc(result, pre_clusters=pre_clusters)
    t2 = time.perf_counter()
    if out:
        np.save(out + "_eig.npy", result.eigenvalues)
        np.save(out + "_labels.npy", clusters.labels)
    return {"mca_s": t1 - t0, "hcpc_s": t2 - t1, "total_s": t2 - t0, "k": clusters.n_clusters}


def show(s: dict[str, float]) -> None:
    """One result line for our own run."""
    times = f"{s['total_s']:8.2f} s  (MCA {s['mca_s']:.2f} s, HCPC {s['hcpc_s']:.2f} s)"
    print(f"  barometre : {times}  peak {s['peak_mib']:7.0f} MiB  k={s['k']}")


def child(cmd: list[str]) -> tuple[str, float]:
    """Run a command; return its stdout and its own peak RSS in MiB."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{cmd[0]} failed with exit code {proc.returncode}")
    return output, usage.ru_maxrss / 1024


def python_run(n: int, pre_clusters: int | None, out: str | None = None) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", str(n)]
    if pre_clusters:
        cmd += ["--pre-clusters", str(pre_clusters)]
    if out:
        cmd += ["--out", out]
    text, rss = child(cmd)
    stats = json.loads(text.strip().splitlines()[-1])
    stats["peak_mib"] = rss
    return stats


def r_available() -> bool:
    if not shutil.which("Rscript"):
        return False
    probe = subprocess.run(
        ["Rscript", "-e", "library(FactoMineR)"], capture_output=True, text=True, check=False
    )
    return probe.returncode == 0


def compare_with_factominer(n: int, tmp: Path) -> None:
    data = tmp / "survey.csv"
    frame = survey(n)
    frame.select([c for c in frame.columns if c.startswith("q")]).write_csv(data)
    script = tmp / "bench.R"
    script.write_text(R_SCRIPT)
    ours = python_run(n, None, out=str(tmp / "py"))
    show(ours)
    if not r_available():
        print("  FactoMineR: Rscript or FactoMineR not installed, comparison skipped")
        return
    outputs = [str(tmp / "r_eig.csv"), str(tmp / "r_clust.csv")]
    text, rss = child(["Rscript", str(script), str(data), *outputs])
    r_time = float(text.strip().splitlines()[-1])
    r_eig = pl.read_csv(tmp / "r_eig.csv")["eig"].cast(pl.Float64).to_numpy()
    r_clust = pl.read_csv(tmp / "r_clust.csv")["clust"].to_numpy()
    eig = np.load(tmp / "py_eig.npy")
    labels = np.load(tmp / "py_labels.npy")
    print(
        f"  FactoMineR: {r_time:8.2f} s (MCA + HCPC in R)  peak {rss:7.0f} MiB  k={r_clust.max()}"
    )
    gap = float(np.abs(eig - r_eig).max()) if eig.size == r_eig.size else float("nan")
    print(f"  speed ratio FactoMineR / barometre: {r_time / ours['total_s']:.1f}x")
    print(f"  eigenvalues: {eig.size} vs {r_eig.size}, largest gap {gap:.2e}")
    same = labels.size == r_clust.size and bool(np.array_equal(labels, r_clust))
    differing = int((labels != r_clust).sum()) if labels.size == r_clust.size else -1
    print(f"  partition identical (labels too): {same}; rows differing: {differing}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pre-clusters", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_python(args.child, args.pre_clusters, args.out)))
        return
    print(
        f"typology benchmark: MCA (5 axes) + HCPC, {N_QUESTIONS} categorical questions, "
        f"{os.cpu_count()} CPUs"
    )
    for n in args.sizes:
        if n <= 20_000:
            print(f"n = {n:,} (unweighted, exact HCPC with consolidation, against FactoMineR)")
            with tempfile.TemporaryDirectory() as tmp:
                compare_with_factominer(n, Path(tmp))
        elif n <= 200_000:
            print(f"n = {n:,} (weighted, exact HCPC with consolidation)")
            show(python_run(n, None))
        else:
            print(f"n = {n:,} (weighted, pre-clustering to 1000 centres, then Ward)")
            show(python_run(n, 1000))


if __name__ == "__main__":
    main()
