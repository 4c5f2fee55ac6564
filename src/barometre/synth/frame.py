"""Draw the registry attributes of synthetic companies: a pure function of a seed.

A block of units is drawn from its own random generator, seeded by (seed, block), so a
stock of any length is reproducible and can be written block by block without ever
holding it whole. Unit number i always gets the same SIREN (see `identifiers`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy.special import ndtr, ndtri

from barometre.synth import mixes
from barometre.synth.identifiers import sirens_for

BLOCK_SIZE = 65_536
"""Units per generation block; fixed so that a seed gives the same units whatever
the caller's chunking."""

STOCK_YEAR = 2024
"""The synthetic stock is dated early 2025, with headcounts and categories of 2022
and accounts of 2023, as INSEE's lags would have them."""

StrArray = npt.NDArray[np.str_]

SCOPES: tuple[str, ...] = tuple(mixes.SCOPE_MIX)


def _choice(
    rng: np.random.Generator, items: Sequence[str], weights: Sequence[float], n: int
) -> StrArray:
    p = np.asarray(weights, dtype=float)
    idx = rng.choice(len(items), size=n, p=p / p.sum())
    return np.asarray(items)[idx]


def _pairs(table: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [code for code, _ in table], [w for _, w in table]


def _by_group(
    rng: np.random.Generator,
    groups: StrArray,
    table: Mapping[str, Sequence[float]],
    items: Sequence[str],
) -> StrArray:
    """Draw one of `items` per unit with weights depending on the unit's group."""
    out = np.empty(groups.shape[0], dtype=object)
    for group, weights in table.items():
        mask = groups == group
        n = int(mask.sum())
        if n:
            out[mask] = _choice(rng, items, weights, n)
    return out.astype(str)


def _tranches(rng: np.random.Generator, bands: StrArray) -> StrArray:
    out = np.empty(bands.shape[0], dtype=object)
    for band, table in mixes.TRANCHES_BY_BAND.items():
        mask = bands == band
        n = int(mask.sum())
        if n:
            codes, weights = _pairs(table)
            out[mask] = _choice(rng, codes, weights, n)
    return out.astype(str)


def _headcounts(rng: np.random.Generator, tranches: StrArray) -> npt.NDArray[np.int64]:
    low = np.zeros(tranches.shape[0], dtype=np.int64)
    high = np.zeros(tranches.shape[0], dtype=np.int64)
    for code, (lo, hi) in mixes.HEADCOUNT_RANGE.items():
        mask = tranches == code
        low[mask] = lo
        high[mask] = hi
    return low + rng.integers(0, high - low + 1)


def _truncated_lognormal(
    rng: np.random.Generator,
    medians: npt.NDArray[np.float64],
    sd: float,
    low: float,
    high: float,
) -> npt.NDArray[np.float64]:
    """Draw log-normal values conditioned on [low, high] by inverting the normal CDF."""
    mu = np.log(medians)
    a = ndtr((np.log(low) - mu) / sd)
    b = ndtr((np.log(high) - mu) / sd)
    u = a + rng.random(medians.shape[0]) * (b - a)
    u = np.clip(u, 1e-12, 1 - 1e-12)
    return np.asarray(np.exp(mu + sd * ndtri(u)))


def _category(headcount: npt.NDArray[np.int64], turnover: npt.NDArray[np.float64]) -> StrArray:
    # INSEE's 2008 decree, simplified to headcount and turnover (no balance sheet).
    turnover = np.nan_to_num(turnover, nan=0.0)
    return np.where(
        (headcount >= 5000) | (turnover > 1.5e9),
        "GE",
        np.where((headcount >= 250) | (turnover > 50e6), "ETI", "PME"),
    ).astype(str)


def draw_units(
    seed: int,
    block: int,
    n: int,
    scope_mix: Mapping[str, float] | None = None,
    *,
    stream: int = 0,
    index_offset: int = 0,
) -> pl.DataFrame:
    """Registry attributes of `n` units, number `index_offset + block*BLOCK_SIZE` onwards.

    `stream` separates independent draws from the same seed (the population's firms,
    the out-of-scope filler of its registry file).

    Columns: unit_index, siren, scope, sector (null outside the scope's sectors), naf,
    size_band, tranche, headcount, region, commune_code, postal_code, commune, market,
    legal_category, category, state (A/C), turnover (€, null without filed accounts),
    creation_date, denomination, street_number, street_type, street_name,
    n_secondary (secondary establishments).
    """
    if not 0 <= n <= BLOCK_SIZE:
        raise ValueError(f"a block holds 0 to {BLOCK_SIZE} units, got {n}")
    # Always draw a whole block and keep its head: unit i is then the same firm in a
    # stock of any length.
    wanted, n = n, BLOCK_SIZE
    rng = np.random.default_rng([seed, stream, block])
    mix = dict(scope_mix if scope_mix is not None else mixes.SCOPE_MIX)
    unknown = set(mix) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scope classes {sorted(unknown)}; known: {SCOPES}")
    scope_names = list(mix)
    scope = _choice(rng, scope_names, [mix[s] for s in scope_names], n)

    sector = _choice(rng, mixes.SECTORS, [mixes.SECTOR_SHARES[s] for s in mixes.SECTORS], n)
    size_band = _by_group(rng, sector, mixes.SIZE_BY_SECTOR, mixes.SIZE_BANDS)
    market = _by_group(rng, sector, mixes.MARKET_BY_SECTOR, mixes.MARKETS)
    naf = np.empty(n, dtype=object)
    for sec, table in mixes.NAF_BY_SECTOR.items():
        mask = sector == sec
        k = int(mask.sum())
        if k:
            codes, weights = _pairs(table)
            naf[mask] = _choice(rng, codes, weights, k)

    # Out-of-scope classes override a few attributes of an otherwise ordinary unit.
    excluded = scope == "excluded_sector"
    if excluded.any():
        codes, weights = _pairs(mixes.NAF_EXCLUDED)
        naf[excluded] = _choice(rng, codes, weights, int(excluded.sum()))
    small = scope == "small_turnover"
    if small.any():
        size_band[small] = _choice(rng, mixes.SIZE_BANDS, (70, 20, 9, 1, 0), int(small.sum()))
    large = scope == "large_turnover"
    size_band[large] = "250+"

    tranche = _tranches(rng, size_band)
    headcount = _headcounts(rng, tranche)
    medians = np.select(
        [size_band == b for b in mixes.SIZE_BANDS],
        [mixes.TURNOVER_MEDIAN[b] for b in mixes.SIZE_BANDS],
    ).astype(float)
    turnover = _truncated_lognormal(
        rng, medians, mixes.TURNOVER_LOG_SD, mixes.TURNOVER_MIN, mixes.TURNOVER_MAX
    )
    if small.any():
        turnover[small] = _truncated_lognormal(
            rng, np.full(int(small.sum()), 6e5), 1.0, 2e4, mixes.TURNOVER_MIN * 0.999
        )
    if large.any():
        turnover[large] = _truncated_lognormal(
            rng, np.full(int(large.sum()), 3e9), 0.6, mixes.TURNOVER_MAX * 1.001, 8e10
        )
    turnover[scope == "no_accounts"] = np.nan
    turnover = np.round(turnover, -3)

    region = _choice(rng, mixes.REGIONS, [mixes.REGION_SHARES[r] for r in mixes.REGIONS], n)
    commune_code = np.empty(n, dtype=object)
    postal_code = np.empty(n, dtype=object)
    commune = np.empty(n, dtype=object)
    for reg, communes in mixes.COMMUNES.items():
        mask = region == reg
        k = int(mask.sum())
        if k:
            pick = rng.integers(0, len(communes), size=k)
            rows = np.asarray(communes, dtype=object)[pick]
            commune_code[mask] = rows[:, 0]
            postal_code[mask] = rows[:, 1]
            commune[mask] = rows[:, 2]

    codes, weights = _pairs(mixes.LEGAL_CATEGORIES)
    legal_category = _choice(rng, codes, weights, n)
    # A few sole traders among the small units: they carry a person's name, not a
    # company name, and file no public accounts.
    sole_trader = small & (rng.random(n) < 0.3)
    legal_category[sole_trader] = "1000"

    creation_days = rng.integers(-20_000, 19_700, size=n)  # 1915 .. 2023
    creation_date = np.datetime64("1970-01-01") + creation_days.astype("timedelta64[D]")

    prefix = rng.integers(0, len(mixes.NAME_PREFIXES), size=n)
    root = rng.integers(0, len(mixes.NAME_ROOTS), size=n)
    suffix = rng.integers(0, len(mixes.NAME_SUFFIXES), size=n)
    street_number = rng.integers(1, 250, size=n)
    street_type = rng.integers(0, len(mixes.STREET_TYPES), size=n)
    street_name = rng.integers(0, len(mixes.STREET_NAMES), size=n)
    secondary_mean = np.select(
        [size_band == b for b in mixes.SIZE_BANDS], [0.05, 0.2, 0.4, 1.0, 3.0]
    )
    n_secondary = np.minimum(rng.poisson(secondary_mean), 12)

    state = np.where(scope == "ceased", "C", "A")
    in_sector = ~excluded
    first = index_offset + block * BLOCK_SIZE
    unit_index = np.arange(first, first + n, dtype=np.int64)
    frame = pl.DataFrame(
        {
            "unit_index": unit_index,
            "siren": pl.Series(sirens_for(unit_index)).cast(pl.Utf8).str.zfill(9),
            "scope": scope,
            "sector": pl.Series(sector).zip_with(
                pl.Series(in_sector), pl.Series([None] * n, dtype=pl.Utf8)
            ),
            "naf": naf.astype(str),
            "size_band": size_band,
            "tranche": tranche,
            "headcount": headcount,
            "region": region,
            "commune_code": commune_code.astype(str),
            "postal_code": postal_code.astype(str),
            "commune": commune.astype(str),
            "market": market,
            "legal_category": legal_category,
            "category": _category(headcount, turnover),
            "state": state,
            "turnover": turnover,
            "creation_date": creation_date.astype(str),
            "sole_trader": sole_trader,
            "street_number": street_number,
            "street_type": np.asarray(mixes.STREET_TYPES)[street_type],
            "street_name": np.asarray(mixes.STREET_NAMES)[street_name],
            "n_secondary": n_secondary,
        },
        nan_to_null=True,
    )
    names = (
        pl.Series(mixes.NAME_PREFIXES).gather(prefix)
        + pl.Series(mixes.NAME_ROOTS).gather(root)
        + pl.Series(mixes.NAME_SUFFIXES).gather(suffix)
    )
    return frame.with_columns(
        denomination=names, surname=pl.Series(mixes.NAME_ROOTS).gather(root)
    ).head(wanted)


def unit_blocks(n_units: int) -> list[tuple[int, int]]:
    """(block number, units in the block) covering units 0..n_units-1."""
    blocks = []
    for block in range(0, (n_units + BLOCK_SIZE - 1) // BLOCK_SIZE):
        blocks.append((block, min(BLOCK_SIZE, n_units - block * BLOCK_SIZE)))
    return blocks
