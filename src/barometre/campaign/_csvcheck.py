"""Structural check of a CSV file, line by line, before polars parses it.

Polars' CSV reader stops at the first badly quoted field (or, worse, swallows the lines
after it), so the frame never hands it a file it has not checked. This pass reads every
line as one string, and flags lines whose quotes do not pair up or whose field count
differs from the header's. It is vectorised and streams like the parse itself.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from barometre.campaign.errors import CampaignError

LINE = "_line"
"""Column holding the 1-based line number in the source file (the header is line 1)."""

# A byte that never occurs in a SIRENE file, so that polars returns each line whole.
_NO_SEPARATOR = "\x1f"
# A quoted field, with doubled quotes inside; removed before counting separators.
_QUOTED_FIELD = r'"(?:[^"]|"")*"'


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line of a source file that was not imported, and why."""

    source: str
    line: int
    reason: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class CheckedCsv:
    """A CSV file's structure check: the header, the bad lines, and a clean file to parse."""

    header: tuple[str, ...]
    bad_line_count: int
    bad_lines_by_reason: tuple[tuple[str, int], ...]
    bad_line_sample: tuple[BadLine, ...]
    clean_path: Path
    """The original file when every line is sound, else a cleaned copy."""
    has_line_column: bool
    """True when `clean_path` carries the original line numbers in a first `_line` column."""


class FrameSourceError(CampaignError, ValueError):
    """A registry or financial file cannot be read at all (missing, empty, lacking columns)."""


def read_header(path: Path, separator: str = ",") -> tuple[str, ...]:
    """The column names on the first line of a CSV file."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            first = fh.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameSourceError(f"{path}: cannot read the header line ({exc})") from exc
    if not first:
        raise FrameSourceError(f"{path}: the file is empty or has no header line")
    return tuple(name.strip().strip('"') for name in first.split(separator))


def check_csv(
    path: Path, source: str, sample_size: int = 20, workdir: Path | None = None
) -> CheckedCsv:
    """Check every line of `path`; return where to parse from and what was set aside."""
    header = read_header(path)
    expected_separators = len(header) - 1
    lines = pl.scan_csv(
        path,
        has_header=False,
        separator=_NO_SEPARATOR,
        quote_char=None,
        new_columns=["text"],
        schema={"text": pl.String},
        skip_rows=1,
        encoding="utf8-lossy",
    ).with_row_index(LINE, offset=2)
    text = pl.col("text")
    quotes = text.str.count_matches('"', literal=True)
    commas = text.str.count_matches(",", literal=True)
    # Only lines with quotes, or with the wrong number of commas, need a closer look: the
    # regex below is too slow to run on the millions of plain lines of a stock file.
    unquoted = text.str.replace_all(_QUOTED_FIELD, "")
    reason = (
        pl.when(text.is_null())
        .then(pl.lit("empty_line"))
        .when(pl.col("_quotes") % 2 == 1)
        .then(pl.lit("broken_quoting"))
        .when(unquoted.str.contains('"', literal=True))
        .then(pl.lit("broken_quoting"))
        .when(unquoted.str.count_matches(",", literal=True) != expected_separators)
        .then(pl.lit("wrong_field_count"))
        .otherwise(None)
        .alias("reason")
    )
    suspect = (pl.col("_quotes") > 0) | (pl.col("_commas") != expected_separators)
    judged = (
        lines.with_columns(quotes.alias("_quotes"), commas.alias("_commas"))
        .filter(suspect | text.is_null())
        .with_columns(reason)
    )
    flagged = judged.filter(pl.col("reason").is_not_null())
    counts_lf = flagged.group_by("reason").agg(pl.len().alias("n"))
    sample_lf = flagged.head(sample_size)
    counts, sample = pl.collect_all([counts_lf, sample_lf], engine="streaming")
    by_reason = tuple(
        sorted((str(r), int(n)) for r, n in zip(counts["reason"], counts["n"], strict=True))
    )
    total_bad = sum(n for _, n in by_reason)
    bad_sample = tuple(
        BadLine(source, int(line), str(r), (t or "")[:200])
        for line, r, t in zip(sample[LINE], sample["reason"], sample["text"], strict=True)
    )
    if total_bad == 0:
        return CheckedCsv(header, 0, (), (), path, has_line_column=False)
    # Set the bad lines aside in a clean copy that keeps each line's original number.
    directory = workdir or Path(tempfile.mkdtemp(prefix="barometre-frame-"))
    clean = directory / f"{path.stem}.clean.csv"
    head = pl.LazyFrame({"out": [",".join([LINE, *header])]})
    bad_lines = flagged.select(LINE).collect(engine="streaming")
    body = lines.join(bad_lines.lazy(), on=LINE, how="anti").select(
        pl.format("{},{}", pl.col(LINE), text).alias("out")
    )
    pl.concat([head, body]).sink_csv(
        clean, include_header=False, quote_style="never", engine="streaming"
    )
    return CheckedCsv(header, total_bad, by_reason, bad_sample, clean, has_line_column=True)
