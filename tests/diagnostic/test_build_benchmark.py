"""The benchmark table built at publication: weighted shares, CIs, small-cell suppression."""

from __future__ import annotations

import random

import polars as pl
import pytest

from barometre.diagnostic import (
    BenchmarkTable,
    PeerLevel,
    WaveDatasetError,
    build_benchmark_table,
    peer_benchmark,
)

SIZES = ("0-9", "10-19", "20-49")
SECTORS = ("industrie", "services")


def _wave(n: int = 400, seed: int = 3) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        size = SIZES[i % 3]
        # A rare cell (0-9 x industrie) so that suppression and fallback show.
        sector = (
            "industrie"
            if (size != "0-9" and rng.random() < 0.5) or rng.random() < 0.05
            else "services"
        )
        present = rng.random() < 0.7
        rows.append(
            {
                "case_id": f"c{i}",
                "stratum": f"{size}|{sector}",
                "size_band": size,
                "sector": sector,
                "weight": 10.0 + 5.0 * (i % 3),
                "net_facebook": "yes" if present else "no",
                "net_linkedin": "yes" if present and rng.random() < 0.5 else "no",
                "activity": rng.choice(["inactive", "peu_active", "active", "tres_active"]),
                "tempo": rng.choice(["en_retard", "bon_tempo"]),
                "strategy": rng.choice(["yes", "no", "no"]),
                "spend": rng.choice(["zero", "lt_5k", "10k_50k"]),
                "managed_by__leader": (1 if rng.random() < 0.4 else 0) if present else None,
                "managed_by__agency": (1 if rng.random() < 0.2 else 0) if present else None,
            }
        )
    return pl.DataFrame(rows)


def test_all_firms_share_is_the_weighted_share() -> None:
    """The all-firms share of presence is sum(w x present) / sum(w), inside its CI."""
    wave = _wave()
    table = build_benchmark_table(wave, wave="demo", min_n=30)
    cell = table.cell(PeerLevel.ALL, None, None)
    w = wave["weight"].to_list()
    x = [1.0 if v == "yes" else 0.0 for v in wave["net_facebook"].to_list()]
    expected = sum(a * b for a, b in zip(w, x, strict=True)) / sum(w)  # the weighted mean
    present = cell.estimates["present"]
    assert present.estimate == pytest.approx(expected)
    assert 0.0 <= present.ci_low < present.estimate < present.ci_high <= 1.0
    assert cell.n == 400
    score = cell.estimates["score"]
    assert score.ci_low < score.estimate < score.ci_high


def test_small_cells_are_suppressed_and_looked_past() -> None:
    """A cell under min_n carries no estimate, and the lookup falls back past it."""
    wave = _wave()
    table = build_benchmark_table(wave, wave="demo", min_n=30)
    small = table.cell(PeerLevel.SIZE_SECTOR, "0-9", "industrie")
    assert small.n < 30 and small.suppressed and not small.estimates
    peers = peer_benchmark(table, {}, "0-9", "industrie")
    assert peers is not None and peers.level is PeerLevel.SIZE and peers.fell_back
    again = BenchmarkTable.from_rows("demo", table.rows(), min_n=30)
    assert again.cell(PeerLevel.SIZE, "0-9", None) == table.cell(PeerLevel.SIZE, "0-9", None)


def test_segments_shares_sum_to_one() -> None:
    """The four segment shares of a cell add up to 1 (every firm answered activity and tempo)."""
    table = build_benchmark_table(_wave(), wave="demo", min_n=30)
    cell = table.cell(PeerLevel.SIZE, "20-49", None)
    total = sum(s.estimate for k, s in cell.estimates.items() if k.startswith("segment:"))
    assert total == pytest.approx(1.0)


def test_missing_design_column() -> None:
    """A wave dataset without weights is a clear error naming the column."""
    with pytest.raises(WaveDatasetError, match="weight"):
        build_benchmark_table(_wave().drop("weight"), wave="demo")
