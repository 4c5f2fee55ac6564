"""Coverage of the intervals for mean headcount, a heavily right-skewed variable.

Each replicate draws the demo's stratified design (size band x sector, proportional
allocation, SRSWOR) of `n` firms from the synthetic population, every firm answering, and
estimates the mean headcount (`employees`, the registry's count: known for every firm, so
the truth is exact) on the design with its fpc. Per sample size: how often the symmetric
t interval (design df) covers the population mean, how often Hall's skewness-corrected
interval (`report.skewed`, Satterthwaite df) does, and, to tell the df's share of the gain
from the skewness correction's, the symmetric interval on the Satterthwaite df and Hall's
on the design df; the first two with their Monte-Carlo SE sqrt(c (1 - c) / R), and on
which side the misses fall.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats as st

from barometre.campaign.sampling import SampleDesign, draw_sample
from barometre.report.skewed import hall_interval, skewed_mean
from barometre.simulation.population import SimulatedPopulation
from barometre.stats import Design

SIZES: tuple[int, ...] = (800, 1_650, 4_000)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SkewedCoverage:
    """One sample size's coverage of the 95 % intervals for mean headcount."""

    n_firms: int
    replicates: int
    truth: float
    symmetric: float
    symmetric_mc_se: float
    symmetric_satterthwaite: float
    corrected: float
    corrected_mc_se: float
    corrected_design_df: float  # Hall's correction on the design df (the df's share apart)
    symmetric_misses_below: int  # the truth below the interval
    symmetric_misses_above: int  # the truth above it (the skewed variable's usual miss)
    corrected_misses_below: int
    corrected_misses_above: int
    width_ratio: float  # mean width corrected / symmetric


def _mc_se(c: float, r: int) -> float:
    return math.sqrt(c * (1 - c) / r)


def skewed_mean_coverage(
    pop: SimulatedPopulation,
    *,
    sizes: Sequence[int] = SIZES,
    replicates: int = 500,
    seed: int = 1,
    column: str = "employees",
    progress: Progress | None = None,
) -> tuple[SkewedCoverage, ...]:
    """Replicate the design `replicates` times at each size (seeded) and count coverage."""
    if replicates < 2:
        raise ValueError("a coverage study needs at least 2 replicates")
    units = pop.units.with_columns(pl.col(column).cast(pl.Float64))
    truth = float(units[column].mean())  # type: ignore[arg-type]
    out = []
    done, total = 0, replicates * len(sizes)
    for n in sizes:
        rows = []
        for r in range(replicates):
            drawn = draw_sample(units, SampleDesign(n=n, seed=seed * 1_000_003 + n * 7_919 + r))
            population = {a.stratum: float(a.population) for a in drawn.allocation}
            data = drawn.units.with_columns(
                pl.col("stratum").replace_strict(population, return_dtype=pl.Float64).alias("_N")
            )
            design = Design(
                data, "design_weight", strata="stratum", fpc="_N", singleton="certainty"
            )
            m = skewed_mean(design, column)
            q = float(st.t.ppf(0.975, m.satterthwaite_df))
            hall = hall_interval(m.estimate, m.se, m.skewness, m.df)
            rows.append(
                (m.ci_low, m.ci_high, m.skewed_ci_low, m.skewed_ci_high,
                 m.estimate - q * m.se, m.estimate + q * m.se, *hall)
            )  # fmt: skip
            done += 1
            if progress is not None:
                progress(done, total)
        a = np.asarray(rows)
        sym = (a[:, 0] <= truth) & (truth <= a[:, 1])
        cor = (a[:, 2] <= truth) & (truth <= a[:, 3])
        sat = (a[:, 4] <= truth) & (truth <= a[:, 5])
        hall_df = (a[:, 6] <= truth) & (truth <= a[:, 7])
        c_sym, c_cor = float(sym.mean()), float(cor.mean())
        out.append(
            SkewedCoverage(
                n_firms=n,
                replicates=replicates,
                truth=truth,
                symmetric=c_sym,
                symmetric_mc_se=_mc_se(c_sym, replicates),
                symmetric_satterthwaite=float(sat.mean()),
                corrected=c_cor,
                corrected_mc_se=_mc_se(c_cor, replicates),
                corrected_design_df=float(hall_df.mean()),
                symmetric_misses_below=int(np.sum(truth < a[:, 0])),
                symmetric_misses_above=int(np.sum(truth > a[:, 1])),
                corrected_misses_below=int(np.sum(truth < a[:, 2])),
                corrected_misses_above=int(np.sum(truth > a[:, 3])),
                width_ratio=float(np.mean((a[:, 3] - a[:, 2]) / (a[:, 1] - a[:, 0]))),
            )
        )
    return tuple(out)
