"""The generative model of the answers: latent appetites, logistic and ordinal links.

One firm's answers follow a causal chain. The leader's personal appetite for social
networks (a latent normal `L`) drives the leader's own activity, the odds of trained
staff and, most of all, the company's latent digital appetite `A`:

    A = 1.2 L + 0.7 trained + 0.5 marketing team + 0.3 staff under 40
        + sector + market (B2C, both) + size band + noise

The company's activity is `A` cut at thresholds; presence on networks follows from
activity (a firm with no account is "inactive"); tempo, strategy, spend, networks, who
runs the accounts, actions, objectives, obstacles and the competitive edge all lean on
`A`. The leader's age is drawn independently of everything: it has no effect.

The structural effects are constants below; intercepts and thresholds are
`Parameters`, fitted by `calibration.calibrate` so that population margins hit the
targets. Every random draw happens in a fixed order from one generator, so a seed
gives the same firms and calibration can reuse the same draws (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from barometre.questionnaire import NETWORK_QUESTIONS
from barometre.questionnaire.vocabulary import (
    LEADER_AGE,
)
from barometre.synth import mixes

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

# The answer codes come from the questionnaire's vocabulary, so that they cannot drift; the
# order of each tuple is the order of the draws (and of the calibrated parameters).
NETWORKS = tuple(q.removeprefix("net_") for q in NETWORK_QUESTIONS)
LEADER_AGE_SHARES = (0.15, 0.30, 0.35, 0.20)

# --- structural effects (indexed by mixes.SIZE_BANDS, mixes.SECTORS, mixes.MARKETS) ---
# Size on the latent appetite: firms of 10-19 employees are the least active.
SIZE_ON_ACTIVITY = (0.05, -0.45, 0.0, 0.05, 0.15)
# Sector: services, commerce, tourism above industry, construction, agri-food.
# Order: industrie, agroalimentaire, construction, commerce, transport, tourisme, services.
SECTOR_ON_ACTIVITY = (-0.35, -0.30, -0.45, 0.30, -0.05, 0.55, 0.30)
MARKET_ON_ACTIVITY = (0.0, 0.45, 0.25)  # b2b, b2c, both
LEADER_ON_ACTIVITY = 1.2
TRAINED_ON_ACTIVITY = 0.7
MARKETING_ON_ACTIVITY = 0.5
UNDER40_ON_ACTIVITY = 0.3

MARKETING_BY_SIZE = (-2.3, -1.4, -0.6, 0.5, 2.0)  # a marketing team grows with size
MARKETING_SECTOR = (0.0, 0.2, -0.3, 0.3, -0.2, 0.3, 0.3)
UNDER40_BY_SECTOR = (-0.4, -0.3, -0.1, 0.1, -0.3, 0.6, 0.4)
TRAINED_BY_SIZE = (-0.2, -0.2, 0.0, 0.2, 0.5)
SPEND_BY_SIZE = (-0.3, -0.2, 0.0, 0.4, 1.0)
PRESENT_WHEN_INACTIVE = 0.02  # an account exists but nobody posts
# P(feels late) and P(ahead | not late) by activity level: the 2x2 typology of 2018.
LATE_BY_ACTIVITY = (0.78, 0.62, 0.28, 0.09)
AHEAD_BY_ACTIVITY = (0.0, 0.01, 0.03, 0.18)
HEADCOUNT_ANSWERED = 0.7
# Return propensity relative to the size band's base rate: a little higher in industry,
# lower in tourism; higher for firms active on social networks (the subject interests
# them). Index: mixes.SECTORS order; activity SCALE4 order.
RESPONSE_BY_SECTOR = (1.10, 1.05, 0.95, 0.95, 0.95, 0.85, 1.0)
RESPONSE_BY_ACTIVITY = (0.95, 1.0, 1.05, 1.10)
LEADER_NOISE = 0.35  # the leader's stated activity is a noisy read of the appetite


@dataclass(frozen=True)
class Parameters:
    """Intercepts and thresholds fitted to the targets (see `calibration`)."""

    leader_thresholds: tuple[float, float, float]
    under40: float
    trained: float
    activity_thresholds: tuple[float, float, float]
    strategy: float
    spend_thresholds: tuple[float, float, float, float]
    website: tuple[float, float]  # marchand, aucun (vitrine is the reference)
    networks: tuple[float, float, float, float, float]
    managed_by: tuple[float, float, float]  # leader, employee, agency
    actions: tuple[float, ...]
    objectives: tuple[float, ...]
    obstacles: tuple[float, ...]
    competitive_edge: float
    growth_thresholds: tuple[float, float]
    response_by_size: tuple[float, float, float, float, float] = (0.0,) * 5


@dataclass(frozen=True)
class FrameCodes:
    """The frame attributes the model needs, as integer codes."""

    size: Ints  # index into mixes.SIZE_BANDS
    sector: Ints  # index into mixes.SECTORS
    market: Ints  # index into mixes.MARKETS
    employees: Ints


@dataclass(frozen=True)
class Simulated:
    """Answers as codes and flags, plus the latent variables (for calibration)."""

    leader_latent: Floats
    activity_latent: Floats
    spend_latent: Floats
    growth_latent: Floats
    leader_activity: Ints
    activity: Ints
    present: Bools
    marketing_team: Bools
    under40: Bools
    trained: Bools
    leader_age: Ints
    tempo: Ints
    strategy: Bools
    spend: Ints
    website: Ints
    networks: Bools  # (n, 5)
    network_probability: Floats  # (n, 5)
    managed_by: Bools  # (n, 5)
    actions: Bools  # (n, 8)
    objectives: Bools  # (n, 8)
    obstacles: Bools  # (n, 6)
    competitive_edge: Bools
    growth: Ints
    headcount_answered: Bools


def sigmoid(x: Floats) -> Floats:
    """The logistic function."""
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


def _cut(latent: Floats, thresholds: tuple[float, ...]) -> Ints:
    return np.searchsorted(np.asarray(thresholds), latent).astype(np.int64)


def _pick(table: tuple[float, ...], index: Ints) -> Floats:
    return np.asarray(table, dtype=float)[index]


def simulate(frame: FrameCodes, params: Parameters, seed: int) -> Simulated:
    """Draw every firm's answers. Draws are made in a fixed order, whatever the values."""
    rng = np.random.default_rng([seed, 2018])
    n = int(frame.size.shape[0])
    size, sector, market = frame.size, frame.sector, frame.market
    b2b, b2c, both = market == 0, market == 1, market == 2
    size_idx = size.astype(float)

    leader = rng.standard_normal((n,))
    leader_activity = _cut(
        leader + LEADER_NOISE * rng.standard_normal((n,)), params.leader_thresholds
    )
    leader_age = rng.choice(len(LEADER_AGE), size=(n,), p=LEADER_AGE_SHARES)

    marketing = rng.random((n,)) < sigmoid(
        _pick(MARKETING_BY_SIZE, size) + _pick(MARKETING_SECTOR, sector) + 0.25 * leader
    )
    under40 = rng.random((n,)) < sigmoid(
        params.under40 + _pick(UNDER40_BY_SECTOR, sector) - 0.1 * size_idx
    )
    trained = rng.random((n,)) < sigmoid(
        params.trained
        + 0.9 * leader
        + 0.9 * marketing
        + 0.3 * under40
        + _pick(TRAINED_BY_SIZE, size)
    )

    appetite = (
        LEADER_ON_ACTIVITY * leader
        + TRAINED_ON_ACTIVITY * trained
        + MARKETING_ON_ACTIVITY * marketing
        + UNDER40_ON_ACTIVITY * under40
        + _pick(SECTOR_ON_ACTIVITY, sector)
        + _pick(MARKET_ON_ACTIVITY, market)
        + _pick(SIZE_ON_ACTIVITY, size)
        + rng.standard_normal((n,))
    )
    activity = _cut(appetite, params.activity_thresholds)
    present = (activity > 0) | (rng.random((n,)) < PRESENT_WHEN_INACTIVE)

    late = rng.random((n,)) < _pick(LATE_BY_ACTIVITY, activity)
    ahead = rng.random((n,)) < _pick(AHEAD_BY_ACTIVITY, activity)
    tempo = np.where(late, 0, np.where(ahead, 2, 1)).astype(np.int64)

    strategy = present & (
        rng.random((n,)) < sigmoid(params.strategy + 0.8 * appetite + 0.6 * marketing)
    )

    spend_latent = (
        0.8 * appetite + 0.5 * marketing + _pick(SPEND_BY_SIZE, size) + rng.standard_normal((n,))
    )
    spend = np.where(present, _cut(spend_latent, params.spend_thresholds), 0).astype(np.int64)

    web_draw = rng.random((n,))
    merchant = np.exp(
        params.website[0] + 1.0 * b2c + 0.5 * both + 0.7 * np.isin(sector, (3, 5)) + 0.2 * appetite
    )
    no_site = np.exp(params.website[1] - 0.6 * appetite - 0.2 * size_idx)
    total = 1.0 + merchant + no_site
    website = np.where(
        web_draw < 1.0 / total, 0, np.where(web_draw < (1.0 + merchant) / total, 1, 2)
    ).astype(np.int64)

    net_logits = np.stack(
        [
            params.networks[0]
            + 1.0 * b2c
            + 0.6 * both
            + 0.6 * (sector == 5)
            + 0.3 * (sector == 3)
            + 0.3 * appetite,
            params.networks[1]
            + 0.8 * b2b
            + 0.4 * both
            + 0.35 * size_idx
            + 0.5 * (sector == 6)
            + 0.3 * appetite,
            params.networks[2] + 0.25 * size_idx + 0.6 * appetite,
            params.networks[3] + 0.2 * size_idx + 0.3 * (sector <= 1) + 0.5 * appetite,
            params.networks[4] + 1.0 * b2c + 0.4 * both + 0.6 * (sector == 5) + 0.8 * appetite,
        ],
        axis=1,
    )
    net_probability = sigmoid(net_logits)
    networks = (rng.random((n, 5)) < net_probability) & present[:, None]
    # A present firm has at least one account: give it its likeliest network.
    missing = present & ~networks.any(axis=1)
    networks[missing, np.argmax(net_probability[missing], axis=1)] = True

    big = (size >= 3).astype(float)
    managed = np.zeros((n, 5), dtype=bool)
    managed_draw = rng.random((n, 4))
    managed[:, 0] = managed_draw[:, 0] < sigmoid(params.managed_by[0] + 0.9 * leader - 0.6 * big)
    managed[:, 1] = marketing & (managed_draw[:, 1] < 0.85)
    managed[:, 2] = managed_draw[:, 2] < sigmoid(
        params.managed_by[1] + 0.2 * appetite + 0.3 * (size >= 2)
    )
    managed[:, 3] = managed_draw[:, 3] < sigmoid(
        params.managed_by[2] + 0.5 * (spend >= 3) + 0.3 * size_idx
    )
    managed[:, 4] = ~managed[:, :4].any(axis=1)
    managed &= present[:, None]

    big_spend = (spend >= 3).astype(float)
    action_extra = np.stack(
        [
            np.zeros(n),
            0.2 * b2b,
            np.zeros(n),
            0.4 * (b2c | both),
            0.3 * size_idx,
            0.5 * b2b,
            0.6 * b2c,
            0.8 * big_spend,
        ],
        axis=1,
    )
    actions = present[:, None] & (
        rng.random((n, 8))
        < sigmoid(np.asarray(params.actions)[None, :] + 0.5 * appetite[:, None] + action_extra)
    )
    objective_extra = np.stack(
        [
            np.zeros(n),
            0.2 * b2c,
            0.3 * b2b,
            0.4 * b2c,
            0.25 * size_idx,
            0.25 * size_idx,
            0.3 * b2b,
            0.5 * b2c,
        ],
        axis=1,
    )
    objectives = present[:, None] & (
        rng.random((n, 8))
        < sigmoid(
            np.asarray(params.objectives)[None, :] + 0.3 * appetite[:, None] + objective_extra
        )
    )
    obstacle_logits = np.stack(
        [
            -0.1 * appetite,
            -0.6 * appetite,
            -0.3 * appetite - 0.8 * trained,
            -0.5 * appetite + 0.5 * b2b,
            -0.2 * appetite + 0.3 * (size <= 1),
            np.zeros(n),
        ],
        axis=1,
    )
    obstacles = rng.random((n, 6)) < sigmoid(
        np.asarray(params.obstacles)[None, :] + obstacle_logits
    )
    competitive_edge = rng.random((n,)) < sigmoid(
        params.competitive_edge + 0.6 * appetite + 0.3 * leader
    )
    growth_latent = 0.15 * appetite + rng.standard_normal((n,))
    growth = _cut(growth_latent, params.growth_thresholds)
    headcount_answered = rng.random((n,)) < HEADCOUNT_ANSWERED

    return Simulated(
        leader_latent=leader,
        activity_latent=appetite,
        spend_latent=spend_latent,
        growth_latent=growth_latent,
        leader_activity=leader_activity,
        activity=activity,
        present=present,
        marketing_team=marketing,
        under40=under40,
        trained=trained,
        leader_age=leader_age.astype(np.int64),
        tempo=tempo,
        strategy=strategy,
        spend=spend,
        website=website,
        networks=networks,
        network_probability=net_probability,
        managed_by=managed,
        actions=actions,
        objectives=objectives,
        obstacles=obstacles,
        competitive_edge=competitive_edge,
        growth=growth,
        headcount_answered=headcount_answered,
    )


def code_index(values: npt.ArrayLike | pl.Series, codes: tuple[str, ...]) -> Ints:
    """Position of each value in `codes`, -1 for a value outside them (or missing)."""
    series = values if isinstance(values, pl.Series) else pl.Series(np.asarray(values))
    mapping = {code: i for i, code in enumerate(codes)}
    return (
        series.cast(pl.Utf8)
        .replace_strict(mapping, default=-1, return_dtype=pl.Int64)
        .fill_null(-1)
        .to_numpy()
    )


def frame_codes(
    size_band: npt.ArrayLike | pl.Series,
    sector: npt.ArrayLike | pl.Series,
    market: npt.ArrayLike | pl.Series,
    employees: npt.ArrayLike | pl.Series,
) -> FrameCodes:
    """Integer codes of frame attributes given as vocabulary codes."""

    def index(values: npt.ArrayLike | pl.Series, codes: tuple[str, ...], name: str) -> Ints:
        out = code_index(values, codes)
        if (out < 0).any():
            raise ValueError(f"unknown or missing {name} codes; expected one of {codes}")
        return out

    return FrameCodes(
        size=index(size_band, mixes.SIZE_BANDS, "size_band"),
        sector=index(sector, mixes.SECTORS, "sector"),
        market=index(market, mixes.MARKETS, "market"),
        employees=np.asarray(employees, dtype=np.int64),
    )


def response_multiplier(sector: Ints | None, activity: Ints | None, n: int) -> Floats:
    """A firm's return propensity relative to its size band's base rate.

    A missing sector or activity (index -1, or None for the whole column) counts as 1.
    """
    out = np.ones(n)
    if sector is not None:
        out *= np.where(sector >= 0, _pick(RESPONSE_BY_SECTOR, np.maximum(sector, 0)), 1.0)
    if activity is not None:
        out *= np.where(activity >= 0, _pick(RESPONSE_BY_ACTIVITY, np.maximum(activity, 0)), 1.0)
    return out
