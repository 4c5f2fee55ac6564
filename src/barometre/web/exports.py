"""CSV files the team opens in a spreadsheet, made safe against formula injection."""

from __future__ import annotations

import csv
import io

import polars as pl

# OWASP's advice for CSV injection: a cell starting with one of these is read as a formula by
# Excel, LibreOffice and Google Sheets; tab and carriage return start one too in some of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell's text; one that a spreadsheet would run as a formula gets a leading quote.

    Numbers are written as they are (a negative number is data, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_safe_csv(frame: pl.DataFrame) -> str:
    """The frame as CSV text (header first), every text cell passed through `safe_cell`.

    The csv module quotes cells holding separators, quotes or line breaks, so free text never
    splits a cell.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in frame.columns])
    for row in frame.iter_rows():
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, list):
        return safe_cell(";".join(str(v) for v in value))
    return safe_cell(value)
