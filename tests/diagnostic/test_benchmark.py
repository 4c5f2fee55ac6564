"""Peer lookup in a stored benchmark table falls back to wider groups and says so."""

from __future__ import annotations

import pytest

from barometre.diagnostic import (
    BenchmarkCell,
    BenchmarkFormatError,
    BenchmarkTable,
    PeerLevel,
    Share,
    peer_benchmark,
)


def _cell(
    level: PeerLevel, size: str | None, sector: str | None, n: int, p: float
) -> BenchmarkCell:
    if n < 30:
        return BenchmarkCell(level, size, sector, n, True, {})
    estimates = {"present": Share(p, p - 0.1, p + 0.1), "score": Share(40.0, 35.0, 45.0)}
    return BenchmarkCell(level, size, sector, n, False, estimates)


TABLE = BenchmarkTable(
    "2026",
    30,
    0.95,
    (
        _cell(PeerLevel.ALL, None, None, 900, 0.7),
        _cell(PeerLevel.SIZE, "20-49", None, 300, 0.75),
        _cell(PeerLevel.SIZE, "250+", None, 12, 0.9),
        _cell(PeerLevel.SECTOR, None, "services", 200, 0.8),
        _cell(PeerLevel.SIZE_SECTOR, "20-49", "services", 60, 0.85),
        _cell(PeerLevel.SIZE_SECTOR, "20-49", "industrie", 10, 0.5),
        _cell(PeerLevel.SIZE_SECTOR, "250+", "services", 5, 0.5),
    ),
)


def test_own_cell_when_large_enough() -> None:
    """A firm whose size x sector cell has enough respondents is compared with it."""
    peers = peer_benchmark(TABLE, {"net_facebook": "yes"}, "20-49", "services")
    assert peers is not None
    assert peers.level is PeerLevel.SIZE_SECTOR and not peers.fell_back
    assert peers.n == 60
    present = next(c for c in peers.comparisons if c.indicator == "present")
    assert present.firm is True and present.peers.estimate == 0.85
    assert "60 respondents" in peers.note.en


def test_falls_back_to_size_then_sector_then_all() -> None:
    """Small cells give way to the size band, then the sector, then all firms."""
    size = peer_benchmark(TABLE, {}, "20-49", "industrie")
    assert size is not None and size.level is PeerLevel.SIZE and size.fell_back
    assert "Too few respondents" in size.note.en and "firms with 20 to 49 employees" in size.note.en
    sector = peer_benchmark(TABLE, {}, "250+", "services")
    assert sector is not None and sector.level is PeerLevel.SECTOR
    everyone = peer_benchmark(TABLE, {}, "250+", "construction")
    assert everyone is not None and everyone.level is PeerLevel.ALL
    assert everyone.note.fr.startswith("Trop peu de répondants")


def test_unknown_answer_is_none() -> None:
    """A firm that did not answer the network questions shows as unknown, not as no."""
    peers = peer_benchmark(TABLE, {}, None, None)
    assert peers is not None and peers.level is PeerLevel.ALL and not peers.fell_back
    assert next(c for c in peers.comparisons if c.indicator == "present").firm is None


def test_rows_round_trip() -> None:
    """The table survives its flat stored form, suppressed cells included."""
    again = BenchmarkTable.from_rows("2026", TABLE.rows(), min_n=30)
    assert {c.key: c for c in again.cells} == {c.key: c for c in TABLE.cells}


def test_bad_peer_cell() -> None:
    """A stored row naming an unknown peer cell is a clear error."""
    bad = [r for r in TABLE.rows()][:1]
    broken = [type(bad[0])("region:11", "present", 0.5, 0.4, 0.6, 50, False)]
    with pytest.raises(BenchmarkFormatError, match="region:11"):
        BenchmarkTable.from_rows("2026", broken, min_n=30)
