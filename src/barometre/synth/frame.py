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

IntArray = npt.NDArray[np.int64]

SCOPES: tuple[str, ...] = tuple(mixes.SCOPE_MIX)


def _choice(rng: np.random.Generator, weights: Sequence[float], n: int) -> IntArray:
    """Draw `n` indices into a table with these weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int64)


def _by_group(
    rng: np.random.Generator, groups: IntArray, table: Sequence[Sequence[float]]
) -> IntArray:
    """Draw one index per unit with weights depending on the unit's group index."""
    out = np.zeros(groups.shape[0], dtype=np.int64)
    for group, weights in enumerate(table):
        mask = groups == group
        n = int(mask.sum())
        if n:
            out[mask] = _choice(rng, weights, n)
    return out


def _flatten(
    tables: Sequence[Sequence[tuple[str, float]]],
) -> tuple[list[str], list[int], list[list[float]]]:
    """One list of codes from several (code, weight) tables: codes, offsets, weights."""
    codes: list[str] = []
    offsets: list[int] = []
    weights: list[list[float]] = []
    for table in tables:
        offsets.append(len(codes))
        codes.extend(code for code, _ in table)
        weights.append([w for _, w in table])
    return codes, offsets, weights


def _nested(
    rng: np.random.Generator,
    groups: IntArray,
    offsets: Sequence[int],
    weights: Sequence[Sequence[float]],
) -> IntArray:
    """Draw an index into a flattened table, within each unit's group."""
    return np.asarray(offsets, dtype=np.int64)[groups] + _by_group(rng, groups, weights)


_NAF_CODES, _NAF_OFFSETS, _NAF_WEIGHTS = _flatten(
    [mixes.NAF_BY_SECTOR[s] for s in mixes.SECTORS] + [mixes.NAF_EXCLUDED]
)
_TRANCHE_CODES, _TRANCHE_OFFSETS, _TRANCHE_WEIGHTS = _flatten(
    [mixes.TRANCHES_BY_BAND[b] for b in mixes.SIZE_BANDS]
)
_TRANCHE_LOW = np.array([mixes.HEADCOUNT_RANGE[c][0] for c in _TRANCHE_CODES], dtype=np.int64)
_TRANCHE_HIGH = np.array([mixes.HEADCOUNT_RANGE[c][1] for c in _TRANCHE_CODES], dtype=np.int64)
_COMMUNES = [c for r in mixes.REGIONS for c in mixes.COMMUNES[r]]
_COMMUNE_OFFSETS = np.cumsum([0] + [len(mixes.COMMUNES[r]) for r in mixes.REGIONS])[:-1]
_COMMUNE_COUNTS = np.array([len(mixes.COMMUNES[r]) for r in mixes.REGIONS], dtype=np.int64)
_LEGAL_CODES = [code for code, _ in mixes.LEGAL_CATEGORIES] + ["1000"]
_SOLE_TRADER = len(_LEGAL_CODES) - 1
_TURNOVER_MEDIANS = np.array([mixes.TURNOVER_MEDIAN[b] for b in mixes.SIZE_BANDS])
_SECONDARY_MEAN = np.array([0.05, 0.2, 0.4, 1.0, 3.0])
_BAND_250 = mixes.SIZE_BANDS.index("250+")


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


def _category(headcount: IntArray, turnover: npt.NDArray[np.float64]) -> IntArray:
    # INSEE's 2008 decree, simplified to headcount and turnover (no balance sheet).
    turnover = np.nan_to_num(turnover, nan=0.0)
    return np.where(
        (headcount >= 5000) | (turnover > 1.5e9),
        2,
        np.where((headcount >= 250) | (turnover > 50e6), 1, 0),
    ).astype(np.int64)


def _codes(table: Sequence[str], index: IntArray) -> pl.Series:
    return pl.Series(list(table), dtype=pl.Utf8).gather(index)


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
    size_band, tranche, employees, region, commune_code, postal_code, commune, market,
    legal_category, category, state (A/C), turnover (€, null without filed accounts),
    creation_date, sole_trader, street_number, street_type, street_name, n_secondary
    (secondary establishments), denomination, surname.
    """
    if not 0 <= n <= BLOCK_SIZE:
        raise ValueError(f"a block holds 0 to {BLOCK_SIZE} units, got {n}")
    mix = dict(scope_mix if scope_mix is not None else mixes.SCOPE_MIX)
    unknown = set(mix) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scope classes {sorted(unknown)}; known: {SCOPES}")
    # Always draw a whole block and keep its head: unit i is then the same firm in a
    # stock of any length.
    wanted, n = n, BLOCK_SIZE
    rng = np.random.default_rng([seed, stream, block])
    scope = _choice(rng, [mix.get(s, 0.0) for s in SCOPES], n)
    sector = _choice(rng, [mixes.SECTOR_SHARES[s] for s in mixes.SECTORS], n)
    size = _by_group(rng, sector, [mixes.SIZE_BY_SECTOR[s] for s in mixes.SECTORS])
    market = _by_group(rng, sector, [mixes.MARKET_BY_SECTOR[s] for s in mixes.SECTORS])
    naf = _nested(rng, sector, _NAF_OFFSETS[:-1], _NAF_WEIGHTS[:-1])

    # Out-of-scope classes override a few attributes of an otherwise ordinary unit.
    excluded = scope == SCOPES.index("excluded_sector")
    excluded_naf = _NAF_OFFSETS[-1] + _choice(rng, _NAF_WEIGHTS[-1], n)
    naf = np.where(excluded, excluded_naf, naf)
    small = scope == SCOPES.index("small_turnover")
    size = np.where(small, _choice(rng, (70, 20, 9, 1, 0), n), size)
    large = scope == SCOPES.index("large_turnover")
    size = np.where(large, _BAND_250, size)

    tranche = _nested(rng, size, _TRANCHE_OFFSETS, _TRANCHE_WEIGHTS)
    employees = _TRANCHE_LOW[tranche] + rng.integers(
        0, _TRANCHE_HIGH[tranche] - _TRANCHE_LOW[tranche] + 1
    )
    turnover = _truncated_lognormal(
        rng, _TURNOVER_MEDIANS[size], mixes.TURNOVER_LOG_SD, mixes.TURNOVER_MIN, mixes.TURNOVER_MAX
    )
    small_turnover = _truncated_lognormal(
        rng, np.full(n, 6e5), 1.0, 2e4, mixes.TURNOVER_MIN * 0.999
    )
    large_turnover = _truncated_lognormal(
        rng, np.full(n, 3e9), 0.6, mixes.TURNOVER_MAX * 1.001, 8e10
    )
    turnover = np.where(small, small_turnover, np.where(large, large_turnover, turnover))
    turnover = np.where(scope == SCOPES.index("no_accounts"), np.nan, np.round(turnover, -3))

    region = _choice(rng, [mixes.REGION_SHARES[r] for r in mixes.REGIONS], n)
    commune = _COMMUNE_OFFSETS[region] + np.floor(rng.random(n) * _COMMUNE_COUNTS[region]).astype(
        np.int64
    )

    legal_category = _choice(rng, [w for _, w in mixes.LEGAL_CATEGORIES], n)
    # A few sole traders among the small units: they carry a person's name, not a
    # company name, and file no public accounts.
    sole_trader = small & (rng.random(n) < 0.3)
    legal_category = np.where(sole_trader, _SOLE_TRADER, legal_category)

    creation_days = rng.integers(-20_000, 19_700, size=n)  # 1915 .. 2023
    prefix = rng.integers(0, len(mixes.NAME_PREFIXES), size=n)
    root = rng.integers(0, len(mixes.NAME_ROOTS), size=n)
    suffix = rng.integers(0, len(mixes.NAME_SUFFIXES), size=n)
    street_number = rng.integers(1, 250, size=n)
    street_type = rng.integers(0, len(mixes.STREET_TYPES), size=n)
    street_name = rng.integers(0, len(mixes.STREET_NAMES), size=n)
    n_secondary = np.minimum(rng.poisson(_SECONDARY_MEAN[size]), 12)

    first = index_offset + block * BLOCK_SIZE
    unit_index = np.arange(first, first + n, dtype=np.int64)
    sectors = _codes(mixes.SECTORS, sector)
    frame = pl.DataFrame(
        {
            "unit_index": unit_index,
            "siren": pl.Series(sirens_for(unit_index)).cast(pl.Utf8).str.zfill(9),
            "scope": _codes(SCOPES, scope),
            "sector": sectors.zip_with(
                pl.Series(~excluded), pl.repeat(None, n, dtype=pl.Utf8, eager=True)
            ),
            "naf": _codes(_NAF_CODES, naf),
            "size_band": _codes(mixes.SIZE_BANDS, size),
            "tranche": _codes(_TRANCHE_CODES, tranche),
            "employees": employees,
            "region": _codes(mixes.REGIONS, region),
            "commune_code": _codes([c[0] for c in _COMMUNES], commune),
            "postal_code": _codes([c[1] for c in _COMMUNES], commune),
            "commune": _codes([c[2] for c in _COMMUNES], commune),
            "market": _codes(mixes.MARKETS, market),
            "legal_category": _codes(_LEGAL_CODES, legal_category),
            "category": _codes(("PME", "ETI", "GE"), _category(employees, turnover)),
            "state": _codes(("A", "C"), (scope == SCOPES.index("ceased")).astype(np.int64)),
            "turnover": turnover,
            "creation_date": pl.Series(creation_days, dtype=pl.Int32).cast(pl.Date).cast(pl.Utf8),
            "sole_trader": sole_trader,
            "street_number": street_number,
            "street_type": _codes(mixes.STREET_TYPES, street_type),
            "street_name": _codes(mixes.STREET_NAMES, street_name),
            "n_secondary": n_secondary,
            "denomination": _codes(mixes.NAME_PREFIXES, prefix)
            + _codes(mixes.NAME_ROOTS, root)
            + _codes(mixes.NAME_SUFFIXES, suffix),
            "surname": _codes(mixes.NAME_ROOTS, root),
        },
        nan_to_null=True,
    )
    return frame.head(wanted)


def unit_blocks(n_units: int) -> list[tuple[int, int]]:
    """(block number, units in the block) covering units 0..n_units-1."""
    blocks = []
    for block in range(0, (n_units + BLOCK_SIZE - 1) // BLOCK_SIZE):
        blocks.append((block, min(BLOCK_SIZE, n_units - block * BLOCK_SIZE)))
    return blocks
