"""Stratified simple random sampling without replacement, with its allocation and design weights.

The allocation is computed on real numbers first (proportional, Neyman or equal, clipped to
[minimum, N_h] by a single scale factor found by bisection), then rounded to integers by the
largest-remainder rule so that the stratum sizes sum exactly to n. Units are ordered by
SIREN within each stratum before the seeded draw, so a seed gives the same sample whatever
the order of the frame file.

Sample coordination across waves uses permanent random numbers (PRN): with `prn_seed` set,
every firm gets a number u in [0, 1) that depends only on its SIREN and the seed, and
stratum h takes the n_h firms that come first from its starting point, ordered by
(u - start_h) mod 1 (sequential SRSWOR, Ohlsson 1995: still an SRSWOR in each stratum).
Moving the start between waves chooses the overlap: the same start repeats the sample (a
panel, maximal overlap), a start moved by the previous sampling fraction gives a fresh
sample with no firm in common (minimal overlap), a start moved by a share r of the
fraction rotates r of the sample out (`coordinated_design`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import polars as pl

from barometre.campaign.errors import CampaignError
from barometre.questionnaire.order import stratum_key

STRATUM = "stratum"
DEFAULT_STRATA = ("size_band", "sector")


class Allocation(StrEnum):
    """How the sample size is shared among strata."""

    PROPORTIONAL = "proportional"
    NEYMAN = "neyman"
    EQUAL = "equal"


class SamplingError(CampaignError, ValueError):
    """The sample cannot be drawn as asked (n too large or too small, unknown variable...)."""


@dataclass(frozen=True, slots=True)
class SampleDesign:
    """What to draw. Take-all conditions are ``variable=value`` on stratum variables."""

    n: int
    strata: tuple[str, ...] = DEFAULT_STRATA
    allocation: Allocation = Allocation.PROPORTIONAL
    minimum_per_stratum: int = 0
    take_all: tuple[str, ...] = ()
    expected_proportion: float | Mapping[str, float] | None = None
    """Neyman: p_h per stratum (or one p for all), giving S_h = sqrt(p_h (1 - p_h))."""
    standard_deviation: Mapping[str, float] | None = None
    """Neyman: S_h per stratum, used instead of `expected_proportion`."""
    seed: int = 20180301
    key: str = "siren"
    """The unit identifier, used to order units before drawing."""
    prn_seed: int | None = None
    """Draw by permanent random numbers of this seed (see the module docstring)."""
    prn_start: float | Mapping[str, float] = 0.0
    """PRN starting point, one for all strata or per stratum label (missing ones: 0)."""


@dataclass(frozen=True, slots=True)
class StratumAllocation:
    """One stratum of the design: population N, sample n, sampling fraction."""

    stratum: str
    population: int
    sample: int
    take_all: bool

    @property
    def fraction(self) -> float:
        """n / N, the inclusion probability of every unit of the stratum."""
        return self.sample / self.population if self.population else 0.0


@dataclass(frozen=True)
class Sample:
    """The drawn units with ``stratum``, ``inclusion_probability`` and ``design_weight``."""

    units: pl.DataFrame
    allocation: tuple[StratumAllocation, ...]
    design: SampleDesign

    @property
    def size(self) -> int:
        """Number of sampled units."""
        return self.units.height


def stratum_labels(frame: pl.DataFrame, strata: Sequence[str]) -> pl.Expr:
    """The stratum label of each unit, values joined by ``|`` (e.g. ``20-49|services``)."""
    missing = [v for v in strata if v not in frame.columns]
    if missing:
        raise SamplingError(f"stratum variable(s) not in the frame: {', '.join(missing)}")
    return pl.concat_str(
        [pl.col(v).cast(pl.String).fill_null("NA") for v in strata], separator="|"
    ).alias(STRATUM)


def _take_all_strata(
    labels: Sequence[str], strata: Sequence[str], conditions: Sequence[str]
) -> set[str]:
    chosen: set[str] = set()
    for condition in conditions:
        variable, sep, value = condition.partition("=")
        if not sep or variable not in strata:
            raise SamplingError(
                f"take-all condition {condition!r} must read variable=value with a stratum "
                f"variable ({', '.join(strata)})"
            )
        position = list(strata).index(variable)
        chosen |= {label for label in labels if label.split("|")[position] == value}
    return chosen


def _neyman_sd(labels: Sequence[str], design: SampleDesign) -> list[float]:
    if design.standard_deviation is not None:
        sd = design.standard_deviation
        missing = [h for h in labels if h not in sd]
        if missing:
            raise SamplingError(f"no standard deviation given for stratum {missing[0]!r}")
        return [float(sd[h]) for h in labels]
    p = design.expected_proportion
    if p is None:
        raise SamplingError("Neyman allocation needs expected proportions or standard deviations")
    if not isinstance(p, Mapping):
        return [math.sqrt(float(p) * (1 - float(p)))] * len(labels)
    missing = [h for h in labels if h not in p]
    if missing:
        raise SamplingError(f"no expected proportion given for stratum {missing[0]!r}")
    for h in labels:
        if not 0 <= p[h] <= 1:
            raise SamplingError(f"expected proportion of stratum {h!r} is not in [0, 1]")
    return [math.sqrt(p[h] * (1 - p[h])) for h in labels]


def allocate(
    population: Sequence[int],
    n: int,
    weights: Sequence[float],
    minimum: int = 0,
    take_all: Sequence[bool] | None = None,
) -> list[int]:
    """Integer stratum sizes summing exactly to `n`, proportional to `weights`.

    Each n_h lies in [min(minimum, N_h), N_h]; take-all strata get N_h. Shares beyond a
    stratum's bounds are redistributed to the others (one scale factor for all free strata).
    """
    big_n = np.asarray(population, dtype=np.int64)
    w = np.asarray(weights, dtype=float)
    full = np.asarray(take_all if take_all is not None else [False] * len(big_n), dtype=bool)
    if n > int(big_n.sum()):
        raise SamplingError(f"sample size {n:,} exceeds the frame ({int(big_n.sum()):,} units)")
    sizes = np.where(full, big_n, 0)
    rest = n - int(sizes.sum())
    if rest < 0:
        raise SamplingError(
            f"take-all strata alone need {int(sizes.sum()):,} units, more than n = {n:,}"
        )
    free = ~full
    lo = np.minimum(minimum, big_n).astype(float)
    hi = big_n.astype(float)
    if lo[free].sum() > rest:
        raise SamplingError(
            f"the minimum of {minimum} per stratum needs {int(lo[free].sum()):,} units, "
            f"more than the {rest:,} left"
        )
    # Find the scale t with sum(clip(t * w, lo, hi)) = rest; the sum is monotone in t.
    w_free = np.where(free, w, 0.0)

    def total(t: float) -> float:
        return float(np.clip(t * w_free, lo, hi)[free].sum())

    low, high = 0.0, 1.0
    while total(high) < rest and high < 1e300:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if total(mid) < rest:
            low = mid
        else:
            high = mid
    exact = np.where(free, np.clip(high * w_free, lo, hi), 0.0)
    floors = np.floor(exact + 1e-9).astype(np.int64)
    floors = np.minimum(floors, big_n)
    left = rest - int(floors[free].sum())
    # Largest remainders first; ties go to the stratum listed first, for reproducibility.
    remainders = exact - floors
    order = sorted(
        (i for i in range(len(big_n)) if free[i] and floors[i] < big_n[i]),
        key=lambda i: (-remainders[i], i),
    )
    for i in order[:left]:
        floors[i] += 1
    sizes = np.where(free, floors, sizes)
    if int(sizes.sum()) != n:  # pragma: no cover - guards the arithmetic above
        raise SamplingError(f"allocation sums to {int(sizes.sum())}, not {n}")
    return [int(v) for v in sizes]


def draw_sample(frame: pl.DataFrame, design: SampleDesign) -> Sample:
    """Draw a stratified SRSWOR sample from `frame` as `design` says."""
    if design.n <= 0:
        raise SamplingError("the sample size must be positive")
    if design.key not in frame.columns:
        raise SamplingError(f"the frame has no {design.key!r} column to order units by")
    # Order units by (stratum, key) with integer sorts: a string sort of a frame of a few
    # million units would cost more than the whole draw.
    strata = frame.select(stratum_labels(frame, design.strata)).to_series()
    labels = sorted(strata.unique().to_list())
    code_of = {label: i for i, label in enumerate(labels)}
    codes = strata.replace_strict(code_of, return_dtype=pl.Int32).to_numpy()
    key = frame[design.key]
    numeric = key.cast(pl.Int64, strict=False) if key.dtype == pl.String else key
    if numeric.null_count() == 0 and numeric.dtype.is_integer():
        values = numeric.to_numpy().astype(np.int64)
        small = values.size == 0 or (values.min() >= 0 and values.max() < 1_000_000_000)
        # SIRENs: ranking as integers beats a string sort
        key_rank = values if small else values.argsort(kind="stable").argsort()
    elif key.is_sorted():
        key_rank = np.arange(frame.height)
    else:
        key_rank = key.arg_sort().to_numpy().argsort(kind="stable")
    # One int64 sort key (stratum code, then key rank below 10^9) sorts faster than lexsort.
    order = np.argsort(codes.astype(np.int64) * 1_000_000_000 + key_rank, kind="stable")
    population = np.bincount(codes, minlength=len(labels)).tolist()
    full_set = _take_all_strata(labels, design.strata, design.take_all)
    full = [h in full_set for h in labels]
    if design.allocation is Allocation.PROPORTIONAL:
        weights = [float(v) for v in population]
    elif design.allocation is Allocation.EQUAL:
        weights = [1.0] * len(labels)
    else:
        weights = [nh * sh for nh, sh in zip(population, _neyman_sd(labels, design), strict=True)]
    sizes = allocate(population, design.n, weights, design.minimum_per_stratum, full)

    rng = np.random.Generator(np.random.PCG64(design.seed))
    prn = None if design.prn_seed is None else permanent_random_numbers(key, design.prn_seed)
    chosen: list[np.ndarray] = []
    start = 0
    for label, big_n, small_n in zip(labels, population, sizes, strict=True):
        if small_n >= big_n:
            picked = np.arange(big_n)
        elif prn is not None:
            u = prn[order[start : start + big_n]]
            origin = _start_of(design.prn_start, label)
            picked = np.argsort((u - origin) % 1.0, kind="stable")[:small_n]
        else:
            picked = rng.choice(big_n, size=small_n, replace=False)
        chosen.append(start + np.sort(picked))
        start += big_n
    positions = np.concatenate(chosen) if chosen else np.array([], dtype=np.int64)
    rows = order[positions]
    probability = np.asarray(sizes, dtype=float) / np.maximum(np.asarray(population), 1)
    picked_codes = codes[rows]
    units = frame[rows].with_columns(
        pl.Series(STRATUM, [labels[c] for c in picked_codes], dtype=pl.String),
        pl.Series("inclusion_probability", probability[picked_codes]),
        pl.Series("design_weight", 1 / probability[picked_codes]),
    )
    allocation = tuple(
        StratumAllocation(h, p, s, f)
        for h, p, s, f in zip(labels, population, sizes, full, strict=True)
    )
    return Sample(units=units, allocation=allocation, design=design)


def wave_seed(wave: str) -> int:
    """A draw seed of its own for every wave name (SHA-256 of the name), stable across runs."""
    import hashlib

    return int.from_bytes(hashlib.sha256(wave.encode("utf-8")).digest()[:4], "big")


def _start_of(start: float | Mapping[str, float], label: str) -> float:
    value = start.get(label, 0.0) if isinstance(start, Mapping) else start
    if not 0.0 <= float(value) < 1.0:
        raise SamplingError(f"PRN start {value!r} of stratum {label!r} must be in [0, 1)")
    return float(value)


def permanent_random_numbers(key: pl.Series, seed: int) -> np.ndarray:
    """A number in [0, 1) per unit, a fixed function of its key and the seed (splitmix64).

    The same firm gets the same number in every wave and every frame file, which is what
    lets overlapping or disjoint samples be chosen on purpose.
    """
    hashed = key.cast(pl.String).hash(seed=seed % (1 << 63)).to_numpy().astype(np.uint64)
    with np.errstate(over="ignore"):
        z = hashed + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


Coordination = Literal["fresh", "panel", "rotation"]
COORDINATIONS: tuple[str, ...] = ("fresh", "panel", "rotation")


def coordinated_design(
    previous: Sample,
    coordination: Coordination = "fresh",
    *,
    rotation: float = 0.25,
    n: int | None = None,
) -> SampleDesign:
    """The next wave's design, coordinated with `previous` (drawn by PRN) as asked.

    "fresh": no firm in common (the start moves past the previous selection, as long as the
    two fractions sum to at most 1); "panel": the same firms (same start and sizes);
    "rotation": a share `rotation` of each stratum's firms replaced by new ones.
    """
    design = previous.design
    if design.prn_seed is None:
        raise SamplingError("the previous sample was not drawn by permanent random numbers")
    if coordination not in COORDINATIONS:
        raise SamplingError(f"coordination must be one of {COORDINATIONS}, got {coordination!r}")
    if not 0.0 <= rotation <= 1.0:
        raise SamplingError(f"the rotation share must be in [0, 1], got {rotation}")
    share = {"fresh": 1.0, "panel": 0.0, "rotation": rotation}[coordination]
    units = previous.units
    u = permanent_random_numbers(units[design.key], design.prn_seed)
    starts: dict[str, float] = {}
    for a in previous.allocation:
        origin = _start_of(design.prn_start, a.stratum)
        mask = (units[STRATUM] == a.stratum).to_numpy()
        # The firms of the stratum in their PRN order from the start: skipping the first k
        # of them (k = share x n_h) rotates exactly k firms out.
        offsets = np.sort((u[mask] - origin) % 1.0)
        k = min(round(share * offsets.shape[0]), offsets.shape[0])
        if k == 0 or a.take_all:
            starts[a.stratum] = origin
            continue
        # Just past the k-th firm: halfway to the next one (or to the end of the interval).
        after = offsets[k] if k < offsets.shape[0] else 1.0
        starts[a.stratum] = (origin + (offsets[k - 1] + after) / 2) % 1.0
    return replace(design, n=design.n if n is None else n, prn_start=starts)


def allocation_table(sample: Sample, questionnaire: Any = None) -> pl.DataFrame:
    """Per stratum: N, n, sampling fraction, take-all flag (the CLI's summary table).

    Strata in their natural order (size bands 0-9, 10-19, ..., 250+, then the questionnaire's
    order of sectors when it is given), not as text; the draw keeps its own order.
    """
    key = stratum_key(questionnaire, sample.design.strata)
    rows = sorted(sample.allocation, key=lambda a: key(a.stratum))
    return pl.DataFrame(
        {
            STRATUM: [a.stratum for a in rows],
            "N": [a.population for a in rows],
            "n": [a.sample for a in rows],
            "fraction": [a.fraction for a in rows],
            "take_all": [a.take_all for a in rows],
        }
    )
