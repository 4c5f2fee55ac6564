"""The sheet level of XLSForm reading: workbook -> tables of cells -> typed cell values.

Each table keeps the spreadsheet's row numbers and headers so that every error can name its
sheet, row and column. Headers are read as pyxform reads them: case and spaces do not matter
(``List Name`` is ``list_name``), pyxform's aliases are followed (``relevance``, ``caption``,
``id_string``...), and a translated column is ``label::English (en)``, or ``label:english``
in a sheet with no ``::`` header at all (the older spelling).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings as python_warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from barometre.questionnaire import _xlsform_common as xc
from barometre.questionnaire._errors import XLSFormError
from barometre.questionnaire._model import Lang

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None

# Columns that change how a form behaves in a way this questionnaire cannot hold: refused
# when they hold a value, with the reason (docs/questionnaire.md lists them).
UNSUPPORTED_COLUMNS: Final = {
    "repeat_count": "repeat groups are not supported",
    "default": "default answers are not supported",
    "read_only": "read-only questions are not supported",
    "required_message": "custom required messages are not supported (messages are built in)",
    "trigger": "triggers are not supported",
    "image": "media are not supported",
    "big-image": "media are not supported",
    "media": "media are not supported",
    "audio": "media are not supported",
    "video": "media are not supported",
    "guidance_hint": "guidance hints are not supported",
}

# pyxform's header aliases (pyxform/aliases.py), for the columns this reader knows.
HEADER_ALIASES: Final = {
    "relevance": "relevant",
    "caption": "label",
    "calculate": "calculation",
    "constraining_message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "readonly": "read_only",
    "requiredmsg": "required_message",
    "jr:requiredmsg": "required_message",
    "count": "repeat_count",
    "jr:count": "repeat_count",
    "set_form_title": "form_title",
    "set_form_id": "form_id",
    "id_string": "form_id",
}
FORM_SHEETS: Final = ("survey", "choices", "settings")

_LANG_RE: Final = re.compile(r"\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\s*\)\s*\Z")
_LANG_WORDS: Final[dict[str, Lang]] = {
    "fr": "fr",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "en": "en",
    "english": "en",
    "anglais": "en",
}
# The language of a label column with no language and no default_language, as pyxform names it.
DEFAULT_LANGUAGE: Final = "default"


def language_of(spec: str) -> Lang | None:
    """French or English, if that is what a header suffix or default_language names."""
    match = _LANG_RE.search(spec)
    if match and match.group(1).lower() in _LANG_WORDS:
        return _LANG_WORDS[match.group(1).lower()]
    word = _LANG_RE.sub("", spec).strip() if match else spec.strip()
    return _LANG_WORDS.get(word.lower())


def language_key(spec: str) -> str:
    """One key per language however spelled: "fr", "en", else the code in brackets or the name."""
    lang = language_of(spec)
    if lang is not None:
        return lang
    match = _LANG_RE.search(spec)
    return match.group(1).lower() if match else spec.strip().lower()


@dataclass(frozen=True)
class XLSFormWarning:
    """Something read differently from pyxform, or not read at all, with its place."""

    message: str
    sheet: str | None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        place = "workbook" if self.sheet is None else f"sheet {self.sheet!r}"
        if self.row is not None:
            place += f", row {self.row}"
        if self.column is not None:
            place += f", column {self.column!r}"
        return f"{place}: {self.message}"


@dataclass
class Table:
    """One sheet: its headers (normalised) and its non-empty rows with their row numbers."""

    sheet: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)

    def fail(self, message: str, row: int | None = None, column: str | None = None) -> XLSFormError:
        return XLSFormError(message, sheet=self.sheet, row=row, column=column)


def _snake(text: str) -> str:
    return "_".join(text.split()).lower()


def normalise_header(value: Cell, double_colon: bool = True) -> str:
    """A header as pyxform reads it: ``base`` or ``base::language``, base snake_cased, dealiased."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text or text.startswith("$"):
        return text
    if double_colon or "::" in text:
        tokens = [t.strip() for t in text.split("::")]
    else:
        tokens = [t.strip() for t in text.split(":")]
        if "jr" in tokens:  # jr:constraintMsg with single colons
            at = tokens.index("jr")
            tokens = [*tokens[:at], f"jr:{tokens[at + 1]}", *tokens[at + 2 :]]
    base = _snake(tokens[0])
    base = HEADER_ALIASES.get(base, base)
    rest = "::".join(tokens[1:])
    if base == "barometre" and rest:  # our own extension columns: barometre::unit
        return f"barometre::{_snake(rest)}"
    return f"{base}::{rest}" if rest else base


def table_of(
    sheet_name: str, rows: Iterator[tuple[Cell, ...]], warnings: list[XLSFormWarning]
) -> Table:
    table = Table(sheet_name, [])
    for number, values in enumerate(rows, start=1):
        if number == 1:
            raw = [str(v).strip() if v is not None else "" for v in values]
            double = any("::" in h for h in raw)
            table.headers = [normalise_header(v, double) for v in values]
            seen: set[str] = set()
            for index, header in enumerate(table.headers):
                if header and header in seen:
                    raise table.fail(
                        f"column {header!r} appears twice", 1, get_column_letter(index + 1)
                    )
                seen.add(header)
            continue
        cells: dict[str, Cell] = {}
        for index, value in enumerate(values):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            header = table.headers[index] if index < len(table.headers) else ""
            if not header:
                # pyxform reads no column without a header (authors keep notes there).
                warnings.append(
                    XLSFormWarning(
                        f"a value ({value!r}) under a column without a header is not read",
                        sheet_name,
                        number,
                        get_column_letter(index + 1),
                    )
                )
                continue
            if header.startswith("$"):
                continue  # KoboToolbox bookkeeping ($kuid, $autoname...), not form content
            cells[header] = value
        if cells:
            table.rows.append((number, cells))
    return table


def _xls_rows(source: str | Path) -> dict[str, Iterator[tuple[Cell, ...]]]:
    """The sheets of a legacy .xls workbook (xlrd), cells typed as openpyxl types them."""
    import xlrd  # imported here: only .xls files need it

    try:
        book = xlrd.open_workbook(str(source))
    except (xlrd.XLRDError, OSError, ValueError) as error:
        raise XLSFormError(f"not a readable .xls workbook ({error})", sheet=None) from error

    def cell(sheet_cell: xlrd.sheet.Cell) -> Cell:
        kind, value = sheet_cell.ctype, sheet_cell.value
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if kind == xlrd.XL_CELL_NUMBER:
            return int(value) if float(value).is_integer() else float(value)
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(value)
        if kind == xlrd.XL_CELL_DATE:
            moment: dt.datetime = xlrd.xldate.xldate_as_datetime(value, book.datemode)
            return moment
        if kind == xlrd.XL_CELL_ERROR:
            return None
        return str(value)

    return {
        sheet.name: iter([tuple(cell(c) for c in sheet.row(r)) for r in range(sheet.nrows)])
        for sheet in book.sheets()
    }


def load_tables(source: str | Path | IO[bytes], warnings: list[XLSFormWarning]) -> dict[str, Table]:
    """The survey, choices and settings sheets; any other sheet is noted and not read."""
    with python_warnings.catch_warnings():
        # openpyxl warns about spreadsheet extensions it drops (data validation lists,
        # conditional formats): presentation, not form content.
        python_warnings.simplefilter("ignore", UserWarning)
        return _load_tables(source, warnings)


def _load_tables(
    source: str | Path | IO[bytes], warnings: list[XLSFormWarning]
) -> dict[str, Table]:
    sheets: dict[str, Iterator[tuple[Cell, ...]]]
    workbook = None
    if isinstance(source, str | Path) and Path(source).suffix.lower() == ".xls":
        sheets = _xls_rows(source)
    else:
        try:
            workbook = load_workbook(source, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise XLSFormError(f"not a readable .xlsx workbook ({error})", sheet=None) from error
        sheets = {ws.title: ws.iter_rows(values_only=True) for ws in workbook.worksheets}
    try:
        tables: dict[str, Table] = {}
        if len(sheets) == 1 and not any(t.strip().lower() in FORM_SHEETS for t in sheets):
            # A workbook of one sheet is its survey, as pyxform reads it.
            ((title, rows),) = sheets.items()
            warnings.append(XLSFormWarning("the only sheet is read as the survey", sheet=title))
            return {"survey": table_of(title, rows, warnings)}
        for title, rows in sheets.items():
            name = title.strip().lower()
            if name in FORM_SHEETS and name not in tables:
                tables[name] = table_of(title, rows, warnings)
            elif any(any(v not in (None, "") for v in row) for row in rows):
                # pyxform ignores other sheets too; say so rather than read a README as a form.
                warnings.append(
                    XLSFormWarning(
                        "only the survey, choices and settings sheets are read; "
                        "this sheet is ignored",
                        sheet=title,
                    )
                )
        return tables
    finally:
        if workbook is not None:
            workbook.close()


class Columns:
    """Which header holds which field of a sheet, languages resolved to the two slots."""

    def __init__(
        self,
        table: Table,
        plain: frozenset[str],
        slots: dict[Lang, str],
        default_key: str | None,
        warnings: list[XLSFormWarning],
        known_unread: frozenset[str] = frozenset(),
    ) -> None:
        self.table = table
        self.plain = {h for h in table.headers if h in plain}
        self.slots = slots
        self.translated: dict[tuple[str, str], str] = {}
        # A plain column (label, hint) in a form whose slots are other languages: the texts
        # to show when a slot's own column is empty.
        self.fallback: dict[str, str] = {}
        self.unknown: list[str] = []
        for header in table.headers:
            if not header or header in plain or header.startswith("$"):
                continue
            base, _, spec = header.partition("::")
            if base in xc.TRANSLATED and table.sheet.lower() != "settings":
                self._add_translated(header, base, spec, default_key, warnings)
            elif base in UNSUPPORTED_COLUMNS:
                self._refuse_if_used(header, UNSUPPORTED_COLUMNS[base])
            elif base not in known_unread:
                self.unknown.append(header)

    def _add_translated(
        self,
        header: str,
        base: str,
        spec: str,
        default_key: str | None,
        warnings: list[XLSFormWarning],
    ) -> None:
        key = language_key(spec) if spec else default_key or DEFAULT_LANGUAGE
        if key not in self.slots.values():
            if not spec:
                self.fallback[base] = header
                return
            if any(header in cells for _, cells in self.table.rows):
                warnings.append(
                    XLSFormWarning(
                        f"the {base} in language {spec or key!r} is not kept: a questionnaire "
                        "holds the texts for its French and English interface only",
                        sheet=self.table.sheet,
                        row=1,
                        column=header,
                    )
                )
            return
        if (base, key) in self.translated:
            raise self.table.fail(
                f"two {base} columns for the same language: "
                f"{self.translated[(base, key)]!r} and {header!r}",
                1,
                header,
            )
        self.translated[(base, key)] = header

    def _refuse_if_used(self, header: str, reason: str) -> None:
        for number, cells in self.table.rows:
            if header in cells:
                raise self.table.fail(reason, number, header)

    def used_unknown(self) -> list[str]:
        """Unknown columns that hold a value somewhere (pyxform ignores them too)."""
        return [h for h in self.unknown if any(h in cells for _, cells in self.table.rows)]

    def require(self, *names: str) -> None:
        for name in names:
            if name not in self.plain:
                raise self.table.fail(f"the column {name!r} is missing", 1)

    def header(self, name: str, lang: Lang | None = None) -> str:
        if lang is None:
            return name
        key = self.slots[lang]
        return self.translated.get((name, key), f"{name}::{key}")


class Row:
    """One row of a sheet, with typed accessors that fail at the right cell."""

    def __init__(self, columns: Columns, number: int, cells: dict[str, Cell]) -> None:
        self.columns = columns
        self.number = number
        self.cells = cells

    def fail(self, message: str, column: str | None = None) -> XLSFormError:
        return self.columns.table.fail(message, self.number, column)

    def warn(self, message: str, column: str | None = None) -> XLSFormWarning:
        return XLSFormWarning(message, self.columns.table.sheet, self.number, column)

    def text(self, name: str, lang: Lang | None = None) -> str | None:
        header = self.columns.header(name, lang)
        value = self.cells.get(header)
        if value is None and lang is not None and name in self.columns.fallback:
            header = self.columns.fallback[name]
            value = self.cells.get(header)
        if value is None:
            return None
        if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
            raise self.fail(f"expected a text, found {value!r}", header)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip() or None

    def numeric(self, name: str) -> int | float | None:
        value = self.cells.get(name)
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                pass
            else:
                return int(number) if number.is_integer() and "." not in value else number
        raise self.fail(f"expected a number, found {value!r}", name)

    def flag(self, name: str) -> bool:
        value = self.cells.get(name)
        if value is None or value is False:
            return False
        if value is True:
            return True
        text = str(value).strip().lower()
        if text in ("yes", "true", "true()", "1"):
            return True
        if text in ("no", "false", "false()", "0"):
            return False
        raise self.fail(f"expected yes or no, found {value!r}", name)
