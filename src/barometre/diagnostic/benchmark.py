"""The peer benchmark: a wave's stored table of weighted shares by peer group, and its lookup.

The table is computed once when a wave is published (see `build_benchmark.py`) and stored; looking
a firm up in it does no statistics. Peer groups are nested: size band x sector, then size band
only, then sector only, then all firms. A firm is compared with the narrowest group that has at
least `min_n` respondents, and the result says which group that was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from barometre.diagnostic._text import Text
from barometre.diagnostic.errors import BenchmarkFormatError
from barometre.diagnostic.indicators import INDICATORS
from barometre.questionnaire import Answers

SCORE_INDICATOR = "score"
"""The indicator code of the peers' mean maturity score (0-100) in a benchmark table."""

SEGMENT_PREFIX = "segment:"
"""Indicator codes `segment:<code>` hold the share of each typology segment."""


class PeerLevel(Enum):
    """How wide the peer group is, narrowest first."""

    SIZE_SECTOR = "size_sector"
    SIZE = "size"
    SECTOR = "sector"
    ALL = "all"


@dataclass(frozen=True)
class Share:
    """A weighted estimate with its confidence interval (a share in 0-1, or a mean score)."""

    estimate: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class BenchmarkCell:
    """One peer group's estimates; `suppressed` cells (too few respondents) carry none."""

    level: PeerLevel
    size_band: str | None
    sector: str | None
    n: int
    suppressed: bool
    estimates: Mapping[str, Share]

    @property
    def key(self) -> str:
        """The cell's stable name, as stored: `all`, `size:20-49`, `sector:services`, ..."""
        return peer_cell_key(self.level, self.size_band, self.sector)


@dataclass(frozen=True)
class BenchmarkRow:
    """One stored row of a benchmark table: one indicator in one peer cell."""

    peer_cell: str
    indicator: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    suppressed: bool


def peer_cell_key(level: PeerLevel, size_band: str | None, sector: str | None) -> str:
    """The stored name of a peer cell."""
    if level is PeerLevel.SIZE_SECTOR:
        return f"size_sector:{size_band}|{sector}"
    if level is PeerLevel.SIZE:
        return f"size:{size_band}"
    if level is PeerLevel.SECTOR:
        return f"sector:{sector}"
    return "all"


def parse_peer_cell(key: str) -> tuple[PeerLevel, str | None, str | None]:
    """The level, size band and sector named by a stored peer cell key."""
    if key == "all":
        return PeerLevel.ALL, None, None
    kind, _, value = key.partition(":")
    if kind == "size" and value:
        return PeerLevel.SIZE, value, None
    if kind == "sector" and value:
        return PeerLevel.SECTOR, None, value
    if kind == "size_sector" and "|" in value:
        size_band, _, sector = value.partition("|")
        return PeerLevel.SIZE_SECTOR, size_band, sector
    raise BenchmarkFormatError(f"unknown peer cell {key!r} in benchmark table")


@dataclass(frozen=True)
class BenchmarkTable:
    """A published wave's weighted estimates for every peer group."""

    wave: str
    min_n: int
    confidence: float
    cells: tuple[BenchmarkCell, ...]

    def cell(self, level: PeerLevel, size_band: str | None, sector: str | None) -> BenchmarkCell:
        """The cell of a peer group; BenchmarkFormatError when the table lacks it."""
        key = peer_cell_key(level, size_band, sector)
        for cell in self.cells:
            if cell.key == key:
                return cell
        raise BenchmarkFormatError(f"benchmark table of wave {self.wave!r} has no cell {key!r}")

    def rows(self) -> tuple[BenchmarkRow, ...]:
        """The table as flat rows, the form the store keeps (suppressed cells keep their n)."""
        out: list[BenchmarkRow] = []
        for cell in self.cells:
            if cell.suppressed:
                out.append(BenchmarkRow(cell.key, "n", None, None, None, cell.n, True))
                continue
            for code, s in cell.estimates.items():
                out.append(
                    BenchmarkRow(cell.key, code, s.estimate, s.ci_low, s.ci_high, cell.n, False)
                )
        return tuple(out)

    @classmethod
    def from_rows(
        cls, wave: str, rows: Iterable[BenchmarkRow], *, min_n: int, confidence: float = 0.95
    ) -> BenchmarkTable:
        """Rebuild a table from its stored rows."""
        grouped: dict[str, tuple[int, bool, dict[str, Share]]] = {}
        for row in rows:
            n, suppressed, estimates = grouped.setdefault(row.peer_cell, (row.n, False, {}))
            if row.suppressed:
                grouped[row.peer_cell] = (row.n, True, estimates)
                continue
            if row.estimate is None or row.ci_low is None or row.ci_high is None:
                raise BenchmarkFormatError(
                    f"benchmark row {row.peer_cell}/{row.indicator} of wave {wave!r} "
                    "is not suppressed but has no estimate"
                )
            estimates[row.indicator] = Share(row.estimate, row.ci_low, row.ci_high)
        cells = []
        for key, (n, suppressed, estimates) in grouped.items():
            level, size_band, sector = parse_peer_cell(key)
            cells.append(
                BenchmarkCell(
                    level, size_band, sector, n, suppressed, {} if suppressed else estimates
                )
            )
        return cls(wave, min_n, confidence, tuple(cells))


def _group_label(level: PeerLevel, size_band: str | None, sector: str | None) -> Text:
    if level is PeerLevel.SIZE_SECTOR:
        return Text(
            f"entreprises de {size_band} salariés du secteur {sector_label(sector or '').fr}",
            f"firms of {size_band} employees in {sector_label(sector or '').en}",
        )
    if level is PeerLevel.SIZE:
        return Text(f"entreprises de {size_band} salariés", f"firms of {size_band} employees")
    if level is PeerLevel.SECTOR:
        return Text(
            f"entreprises du secteur {sector_label(sector or '').fr}",
            f"firms in {sector_label(sector or '').en}",
        )
    return Text("ensemble des entreprises", "all firms")


# Short names that read well inside a sentence ("firms in tourism and leisure"); the
# questionnaire's choice labels are full descriptions meant for answering.
_SECTORS: Mapping[str, Text] = {
    "industrie": Text("industrie", "manufacturing"),
    "agroalimentaire": Text("agroalimentaire", "agri-food"),
    "construction": Text("construction", "construction"),
    "commerce": Text("commerce", "retail and wholesale"),
    "transport": Text("transport", "transport"),
    "tourisme_loisirs": Text("tourisme et loisirs", "tourism and leisure"),
    "services": Text("services", "services"),
}


def sector_label(sector: str) -> Text:
    """The sector's name for people."""
    return _SECTORS.get(sector, Text(sector, sector))


@dataclass(frozen=True)
class Comparison:
    """The firm against its peers on one indicator."""

    indicator: str
    label: Text
    firm: bool | None
    peers: Share


@dataclass(frozen=True)
class PeerBenchmark:
    """Where a firm stands against the peer group that was used, and why that group."""

    wave: str
    level: PeerLevel
    group: Text
    requested: Text
    n: int
    comparisons: tuple[Comparison, ...]
    score: Share | None
    segments: Mapping[str, Share]

    @property
    def fell_back(self) -> bool:
        """Whether a wider group than the firm's own size band x sector was used."""
        return self.group != self.requested

    @property
    def note(self) -> Text:
        """A sentence saying which peer group was used and whether it is wider than asked."""
        if not self.fell_back:
            return Text(
                f"Comparaison avec les {self.group.fr} ({self.n} répondants).",
                f"Compared with {self.group.en} ({self.n} respondents).",
            )
        return Text(
            f"Trop peu de répondants parmi les {self.requested.fr} : comparaison élargie aux "
            f"{self.group.fr} ({self.n} répondants).",
            f"Too few respondents among {self.requested.en}: compared with {self.group.en} "
            f"instead ({self.n} respondents).",
        )


def peer_benchmark(
    table: BenchmarkTable, answers: Answers, size_band: str | None, sector: str | None
) -> PeerBenchmark | None:
    """Compare one firm with the narrowest peer group of `table` that has enough respondents.

    Returns None only when not even the all-firms cell has `min_n` respondents.
    """
    wanted: list[tuple[PeerLevel, str | None, str | None]] = []
    if size_band and sector:
        wanted.append((PeerLevel.SIZE_SECTOR, size_band, sector))
    if size_band:
        wanted.append((PeerLevel.SIZE, size_band, None))
    if sector:
        wanted.append((PeerLevel.SECTOR, None, sector))
    wanted.append((PeerLevel.ALL, None, None))
    by_key = {c.key: c for c in table.cells}
    requested = _group_label(*wanted[0])
    for level, size, sec in wanted:
        cell = by_key.get(peer_cell_key(level, size, sec))
        if cell is None or cell.suppressed or cell.n < table.min_n:
            continue
        comparisons = tuple(
            Comparison(i.code, i.label, i.holds(answers), cell.estimates[i.code])
            for i in INDICATORS
            if i.code in cell.estimates
        )
        segments = {
            code.removeprefix(SEGMENT_PREFIX): share
            for code, share in cell.estimates.items()
            if code.startswith(SEGMENT_PREFIX)
        }
        return PeerBenchmark(
            wave=table.wave,
            level=level,
            group=_group_label(level, size, sec),
            requested=requested,
            n=cell.n,
            comparisons=comparisons,
            score=cell.estimates.get(SCORE_INDICATOR),
            segments=segments,
        )
    return None
