"""An Excel workbook of plain rows, written as openpyxl's write-only mode writes it, faster.

openpyxl builds the package (workbook, styles, theme, properties) with empty sheets; the
sheets' rows are then serialised here as one string each, in the XML openpyxl writes for
them (inline strings, `t="n"` numbers, `t="b"` booleans, empty cells left out). openpyxl
serialises cell by cell through an element tree: 1 s for a wave of 1,600 x 55 cells, on
the thread that shares the interpreter with the PDF. A value of another type (a date) sends
the workbook back to openpyxl's own writer.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

_SHEET_DATA = "<sheetData></sheetData>"


class _Unsupported(Exception):
    """A value this writer does not serialise as openpyxl would."""


def _column_letters(n: int) -> list[str]:
    out = []
    for i in range(1, n + 1):
        name = ""
        while i:
            i, rem = divmod(i - 1, 26)
            name = chr(65 + rem) + name
        out.append(name)
    return out


def _cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise _Unsupported(value)
        # openpyxl's own rendering of a number: 16 significant digits ("%.16g").
        return f'<c r="{ref}" t="n"><v>{value:.16g}</v></c>'
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if ILLEGAL_CHARACTERS_RE.search(value):
            raise _Unsupported(value)
        space = ' xml:space="preserve"' if value.strip() != value else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    raise _Unsupported(value)


def sheet_data(rows: Sequence[Sequence[Any]]) -> str:
    """The `<sheetData>` element of `rows`, as openpyxl's write-only worksheet writes it."""
    width = max((len(r) for r in rows), default=0)
    letters = _column_letters(width)
    parts = ["<sheetData>"]
    for i, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{letters[j]}{i}", v) for j, v in enumerate(row))
        parts.append(f'<row r="{i}">{cells}</row>')
    parts.append("</sheetData>")
    return "".join(parts)


def write_workbook(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> Path:
    """Write `sheets` (title, rows) to the workbook at `path`; OSError if it cannot."""
    from openpyxl import Workbook

    try:
        data = [sheet_data(rows) for _, rows in sheets]
    except _Unsupported:
        wb = Workbook(write_only=True)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(list(row))
        wb.save(path)
        return path
    wb = Workbook(write_only=True)
    for title, _ in sheets:
        wb.create_sheet(title)
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, content in parts:
            name = info.filename
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                index = int(name[len("xl/worksheets/sheet") : -len(".xml")]) - 1
                xml = content.decode("utf-8")
                assert xml.count(_SHEET_DATA) == 1, name
                content = xml.replace(_SHEET_DATA, data[index]).encode("utf-8")
            z.writestr(info, content)
    return path
