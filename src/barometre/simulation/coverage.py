"""Coverage of a wave's intervals, replicated on a synthetic population whose truth is known.

Each replicate draws the design's sample, lets the non-response model pick who answers,
weights the respondents (with the fallback ladder: a failure is counted, never raised) and
estimates the key indicators on the calibrated design with its fpc. Per indicator:
coverage of the 95 % intervals with its Monte-Carlo SE sqrt(c (1 - c) / R), relative bias
(mean estimate - truth) / truth, bias in SDs, and the SE ratio mean(SE) / SD(estimates).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from barometre.auxiliaries import AUXILIARIES
from barometre.campaign.sampling import SampleDesign
from barometre.simulation.population import INDICATOR_IDS, SimulatedPopulation
from barometre.simulation.waves import draw_wave, estimate_wave
from barometre.synth.response import NonResponse
from barometre.wave import WeightingError

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CoverageRow:
    """One indicator's behaviour over the replicates."""

    indicator: str
    truth: float
    coverage: float
    coverage_mc_se: float
    relative_bias: float
    bias_in_sd: float
    se_ratio: float


@dataclass(frozen=True)
class CoverageStudy:
    """What the replicates gave: per-indicator rows, weighting failures and fallback steps."""

    replicates: int
    nonresponse: str
    auxiliaries: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    failures: int
    steps: dict[str, int]  # fallback step kind -> waves that took it at least once
    waves_with_fallback: int
    mean_respondents: float


def coverage_study(
    pop: SimulatedPopulation,
    *,
    sample_size: int = 30_000,
    replicates: int = 100,
    nonresponse: NonResponse = "mixed",
    auxiliaries: Sequence[str] = AUXILIARIES,
    seed: int = 1,
    indicators: Sequence[str] = INDICATOR_IDS,
    progress: Progress | None = None,
) -> CoverageStudy:
    """Replicate the design `replicates` times (seeded) and summarise every key indicator."""
    if replicates < 2:
        raise ValueError("a coverage study needs at least 2 replicates")
    estimates: list[list[tuple[float, float, float, float]]] = []
    failures = 0
    steps: Counter[str] = Counter()
    with_fallback = 0
    respondents = 0
    for r in range(replicates):
        wave_seed = seed * 1_000_003 + r
        try:
            wave = draw_wave(
                pop,
                SampleDesign(n=sample_size, seed=wave_seed),
                wave_seed,
                nonresponse=nonresponse,
                auxiliaries=auxiliaries,
                indicators=indicators,
            )
        except WeightingError:
            failures += 1
        else:
            kinds = {s.kind for s in wave.weighting.steps}
            steps.update(kinds)
            with_fallback += bool(kinds)
            respondents += wave.respondents.height
            got = estimate_wave(wave.weighting.design, indicators)
            estimates.append([got[name] for name in indicators])
        if progress is not None:
            progress(r + 1, replicates)
    arr = np.asarray(estimates)  # replicate x indicator x (estimate, se, lo, hi)
    rows = []
    n_ok = arr.shape[0]
    for k, name in enumerate(indicators):
        truth = pop.truth[name]
        est, se, lo, hi = arr[:, k, 0], arr[:, k, 1], arr[:, k, 2], arr[:, k, 3]
        covered = float(np.mean((lo <= truth) & (truth <= hi)))
        sd = float(np.std(est, ddof=1)) if n_ok > 1 else math.nan
        bias = float(np.mean(est)) - truth
        rows.append(
            CoverageRow(
                indicator=name,
                truth=truth,
                coverage=covered,
                coverage_mc_se=math.sqrt(covered * (1 - covered) / n_ok),
                relative_bias=bias / truth if truth else math.nan,
                bias_in_sd=bias / sd if sd > 0 else math.nan,
                se_ratio=float(np.mean(se)) / sd if sd > 0 else math.nan,
            )
        )
    return CoverageStudy(
        replicates=replicates,
        nonresponse=nonresponse,
        auxiliaries=tuple(auxiliaries),
        rows=tuple(rows),
        failures=failures,
        steps=dict(steps),
        waves_with_fallback=with_fallback,
        mean_respondents=respondents / max(n_ok, 1),
    )


GOAL = 0.93


BIASED_SD = 0.3  # a bias above 0.3 SD is what pulls the coverage down, not the SE


def reader_note(study: CoverageStudy, lang: str = "en") -> str:
    """What the figures mean for a reader, in words (empty when every indicator meets the goal).

    An indicator short of the goal is blamed on non-response the registry cannot see when
    its estimates are biased (more than 0.3 SD off on average), else on margins of error
    a little too narrow.
    """
    short = [r for r in study.rows if r.coverage < GOAL]
    if not short:
        return ""
    biased = [r for r in short if abs(r.bias_in_sd) >= BIASED_SD]
    narrow = [r for r in short if abs(r.bias_in_sd) < BIASED_SD]
    fr = lang == "fr"
    parts = []
    if biased:
        worst = min(biased, key=lambda r: r.coverage)
        pct = f"{worst.coverage * 100:.0f}"
        names = ", ".join(r.indicator for r in biased)
        parts.append(
            f"Les intervalles de {names} couvrent la vraie valeur moins souvent qu'annoncé "
            f"(jusqu'à {pct}\u00a0% des fois au lieu de 95\u00a0%)\u00a0: une partie des "
            "entreprises répond davantage parce qu'elle est active sur les réseaux sociaux, ce "
            "que le répertoire ne dit pas\u00a0; la pondération ne peut pas le corriger et ces "
            "résultats sont un peu biaisés."
            if fr
            else f"The intervals of {names} cover the true value less often than announced "
            f"(down to {pct} % of the time instead of 95 %): some firms answer more because "
            "they are active on social networks, which the registry does not record; the "
            "weighting cannot correct it, and these results are somewhat biased."
        )
    if narrow:
        names = ", ".join(r.indicator for r in narrow)
        low = min(r.coverage for r in narrow) * 100
        parts.append(
            f"Pour {names}, les estimations sont sans biais mais les marges d'erreur un peu "
            f"trop étroites (couverture de {low:.0f}\u00a0% au plus bas)."
            if fr
            else f"For {names} the estimates are unbiased but the margins of error a little "
            f"too narrow (coverage down to {low:.0f} %)."
        )
    return " ".join(parts)
