"""The fast workbook writer writes the sheets openpyxl's write-only mode writes, byte for byte."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from barometre.report._xlsx import write_workbook

ROWS: list[list[Any]] = [
    ["case_id", "weight", "n", "flag", "note"],
    ["1-000025", 182.82660760223467, 1828, True, " leading space"],
    ["a < b & c > d", 1828.0, -3, False, None],
    [None, 0.1 + 0.2, 10**17, None, "Été « stable »"],
]


def _openpyxl(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> Path:
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_sheets_are_openpyxls_byte_for_byte(tmp_path: Path) -> None:
    """Strings (escaped, spaces kept), numbers at 16 digits, booleans and gaps: same parts."""
    sheets = [("donnees", ROWS), ("Dictionnaire des variables", ROWS[:2])]
    ours = write_workbook(tmp_path / "ours.xlsx", sheets)
    theirs = _openpyxl(tmp_path / "theirs.xlsx", sheets)
    assert _parts(ours) == _parts(theirs)
    wb = load_workbook(ours, read_only=True)
    assert wb.sheetnames == ["donnees", "Dictionnaire des variables"]
    read = [list(r) for r in wb["donnees"].iter_rows(values_only=True)]
    assert read[1][:4] == ["1-000025", 182.8266076022347, 1828, True]
    assert read[2][0] == "a < b & c > d" and read[1][4] == " leading space"


def test_a_date_goes_through_openpyxl(tmp_path: Path) -> None:
    """A value of another type (a date) is written by openpyxl itself, and reads back."""
    rows: list[list[Any]] = [["when"], [dt.date(2026, 12, 2)]]
    path = write_workbook(tmp_path / "d.xlsx", [("data", rows)])
    wb = load_workbook(path, read_only=True)
    value = next(iter(wb["data"].iter_rows(min_row=2, values_only=True)))[0]
    assert isinstance(value, dt.datetime) and value.date() == dt.date(2026, 12, 2)
