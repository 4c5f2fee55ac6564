"""Pairs of replicated waves: false headline changes, and the SE of a change with overlap.

No-change pairs: two waves drawn from the same population (so nothing changed), the second
a fresh PRN sample; the headline "k of K key indicators changed" counts indicators whose
change is significant after the multiplicity adjustment. Overlapping pairs: the second
wave a panel or rotation of the first; the SE of each change (with the overlap covariance)
is compared with the SD of the changes over the replicates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.stats import norm

from barometre.auxiliaries import AUXILIARIES
from barometre.campaign.sampling import (
    Coordination,
    SampleDesign,
    coordinated_design,
    draw_sample,
)
from barometre.simulation.population import INDICATOR_IDS, SimulatedPopulation
from barometre.simulation.waves import WaveDraw, draw_wave, estimate_wave
from barometre.stats.change import Adjustment, adjust_p_values, overlap_covariance
from barometre.synth.response import NonResponse

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TrendStudy:
    """What the pairs gave: false headlines per adjustment, SE / SD of the changes."""

    pairs: int
    coordination: str
    nonresponse: str
    overlap: float  # mean share of the second wave's respondents who answered the first
    false_headline: dict[str, float]  # adjustment -> share of pairs with >= 1 change
    se_ratio: dict[str, float]  # indicator -> mean SE (with covariance) / SD of the changes
    se_ratio_independent: dict[str, float]  # the same, covariance ignored


def _respondents(wave: WaveDraw) -> pl.DataFrame:
    data: pl.DataFrame = wave.weighting.design.data
    return data.with_columns(pl.Series("weight", wave.weighting.design.weights))


def trend_study(
    pop: SimulatedPopulation,
    *,
    pairs: int = 100,
    sample_size: int = 30_000,
    coordination: Coordination = "fresh",
    rotation: float = 0.5,
    nonresponse: NonResponse = "registry",
    auxiliaries: Sequence[str] = AUXILIARIES,
    seed: int = 1,
    indicators: Sequence[str] = INDICATOR_IDS,
    adjustments: Sequence[Adjustment] = ("none", "holm", "bh"),
    second: SimulatedPopulation | None = None,
    progress: Progress | None = None,
) -> TrendStudy:
    """Replicate `pairs` pairs of waves with the chosen coordination and summarise them.

    `second` is the population at the second wave (default: `pop` itself, nothing changed
    at all; `population.next_wave` gives the same firms with fresh but correlated answers).
    """
    later = pop if second is None else second
    strata_n = dict(pop.counts.group_by("stratum").agg(pl.col("units").sum()).iter_rows())
    headline = {a: 0 for a in adjustments}
    diffs, ses, ses_ind, overlaps = [], [], [], []
    for r in range(pairs):
        s = seed * 1_000_003 + 2 * r
        first_sample = draw_sample(pop.units, SampleDesign(n=sample_size, seed=s, prn_seed=s))
        second_sample = draw_sample(
            later.units, coordinated_design(first_sample, coordination, rotation=rotation)
        )
        a = draw_wave(pop, first_sample.design, s, nonresponse=nonresponse,
                      auxiliaries=auxiliaries, sample=first_sample)  # fmt: skip
        b = draw_wave(later, second_sample.design, s + 1, nonresponse=nonresponse,
                      auxiliaries=auxiliaries, sample=second_sample)  # fmt: skip
        ea, eb = (
            estimate_wave(a.weighting.design, indicators),
            estimate_wave(b.weighting.design, indicators),
        )
        ra, rb = _respondents(a), _respondents(b)
        first_ids = set(ra["siren"].to_list())
        overlaps.append(sum(i in first_ids for i in rb["siren"].to_list()) / rb.height)
        d_row, se_row, ind_row, p_row = [], [], [], []
        for name in indicators:
            diff = eb[name][0] - ea[name][0]
            var_ind = ea[name][1] ** 2 + eb[name][1] ** 2
            cov = overlap_covariance(
                ra, rb, name, stratum_population=strata_n, cell="weighting_cell"
            )
            se = math.sqrt(max(var_ind - 2 * cov, 0.0))
            d_row.append(diff)
            se_row.append(se)
            ind_row.append(math.sqrt(var_ind))
            p_row.append(float(2 * norm.sf(abs(diff) / se)) if se > 0 else 1.0)
        for adj in adjustments:
            if any(p < 0.05 for p in adjust_p_values(p_row, adj)):
                headline[adj] += 1
        diffs.append(d_row)
        ses.append(se_row)
        ses_ind.append(ind_row)
        if progress is not None:
            progress(r + 1, pairs)
    d, se_a, se_i = np.asarray(diffs), np.asarray(ses), np.asarray(ses_ind)
    sd = d.std(axis=0, ddof=1)
    return TrendStudy(
        pairs=pairs,
        coordination=coordination if coordination != "rotation" else f"rotation {rotation:g}",
        nonresponse=nonresponse,
        overlap=float(np.mean(overlaps)),
        false_headline={a: headline[a] / pairs for a in adjustments},
        se_ratio={n: float(se_a[:, k].mean() / sd[k]) for k, n in enumerate(indicators)},
        se_ratio_independent={
            n: float(se_i[:, k].mean() / sd[k]) for k, n in enumerate(indicators)
        },
    )
