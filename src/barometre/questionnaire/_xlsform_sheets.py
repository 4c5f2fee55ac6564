"""The sheet level of XLSForm reading: workbook -> tables of cells -> typed cell values.

Each table keeps the spreadsheet's row numbers and headers so that every error can name its
sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
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
from barometre.questionnaire._model import LANGS, Language

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None

UNSUPPORTED_COLUMNS: Final = {
    "choice_filter": "cascading selects (choice_filter) are not supported",
    "calculation": "calculations are not supported",
    "repeat_count": "repeat groups are not supported",
    "default": "default answers are not supported",
    "appearance": "appearances are not supported",
    "read_only": "read-only questions are not supported",
    "required_message": "custom required messages are not supported (messages are built in)",
    "trigger": "triggers are not supported",
    "parameters": "question parameters are not supported",
    "image": "media are not supported",
    "media": "media are not supported",
    "audio": "media are not supported",
    "video": "media are not supported",
    "guidance_hint": "guidance hints are not supported",
    "instance_name": "instance names are not supported",
    "style": "form styles are not supported",
}


_LANG_RE: Final = re.compile(r"\(\s*([A-Za-z]{2,3})\s*\)\s*\Z")
_LANG_WORDS: Final[dict[str, Language]] = {
    "fr": "fr",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "en": "en",
    "english": "en",
    "anglais": "en",
}


def language_of(spec: str) -> Language | None:
    """The language of a header suffix or default_language: "French (fr)", "fr", "English"..."""
    match = _LANG_RE.search(spec)
    word = match.group(1) if match else spec.strip()
    return _LANG_WORDS.get(word.lower())


@dataclass
class Table:
    """One sheet: its headers (normalised) and its non-empty rows with their row numbers."""

    sheet: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)

    def fail(self, message: str, row: int | None = None, column: str | None = None) -> XLSFormError:
        return XLSFormError(message, sheet=self.sheet, row=row, column=column)


def normalise_header(value: Cell) -> str:
    if value is None:
        return ""
    text = re.sub(r"\s*::\s*", "::", str(value).strip())
    base, sep, rest = text.partition("::")
    return base.lower() + sep + rest


def table_of(sheet_name: str, rows: Iterator[tuple[Cell, ...]]) -> Table:
    table = Table(sheet_name, [])
    for number, values in enumerate(rows, start=1):
        if number == 1:
            table.headers = [normalise_header(v) for v in values]
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
                raise table.fail(
                    f"a value ({value!r}) under a column without a header",
                    number,
                    get_column_letter(index + 1),
                )
            if header.startswith("$"):
                continue  # KoboToolbox bookkeeping ($kuid, $autoname...), not form content
            cells[header] = value
        if cells:
            table.rows.append((number, cells))
    return table


def load_tables(source: str | Path | IO[bytes]) -> dict[str, Table]:
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise XLSFormError(f"not a readable .xlsx workbook ({error})", sheet=None) from error
    try:
        tables: dict[str, Table] = {}
        for worksheet in workbook.worksheets:
            name = worksheet.title.strip().lower()
            table = table_of(worksheet.title, worksheet.iter_rows(values_only=True))
            if name in ("survey", "choices", "settings"):
                tables[name] = table
            elif table.rows:
                raise XLSFormError(
                    "only the survey, choices and settings sheets are supported",
                    sheet=worksheet.title,
                )
        return tables
    finally:
        workbook.close()


class Columns:
    """Which header holds which field of a sheet, languages resolved."""

    def __init__(self, table: Table, plain: frozenset[str], default_lang: Language | None) -> None:
        self.table = table
        self.plain = {h for h in table.headers if h in plain}
        self.translated: dict[tuple[str, Language], str] = {}
        for header in table.headers:
            if not header or header in plain or header.startswith("$"):
                continue
            base, _, spec = header.partition("::")
            if base in xc.TRANSLATED and table.sheet.lower() != "settings":
                self._add_translated(header, base, spec, default_lang)
            else:
                self._refuse_if_used(header, UNSUPPORTED_COLUMNS.get(base))

    def _add_translated(
        self, header: str, base: str, spec: str, default_lang: Language | None
    ) -> None:
        if spec:
            lang = language_of(spec)
            if lang is None:
                reason = f"language {spec!r} is not supported (French and English only)"
                self._refuse_if_used(header, reason)
                return
        elif default_lang is None:
            self._refuse_if_used(
                header,
                f"column {header!r} has no language: name it {xc.translated(base, 'fr')!r} "
                "or set default_language in the settings sheet",
            )
            return
        else:
            lang = default_lang
        if (base, lang) in self.translated:
            raise self.table.fail(
                f"two {base} columns for language {lang!r}: "
                f"{self.translated[(base, lang)]!r} and {header!r}",
                1,
                header,
            )
        self.translated[(base, lang)] = header

    def _refuse_if_used(self, header: str, reason: str | None) -> None:
        for number, cells in self.table.rows:
            if header in cells:
                raise self.table.fail(
                    reason or f"column {header!r} is not supported", number, header
                )

    def require(self, *names: str) -> None:
        for name in names:
            if name not in self.plain:
                raise self.table.fail(f"the column {name!r} is missing", 1)
        for base in ("label",):
            for lang in LANGS:
                if (base, lang) not in self.translated:
                    raise self.table.fail(f"the column {xc.translated(base, lang)!r} is missing", 1)

    def header(self, name: str, lang: Language | None = None) -> str:
        if lang is None:
            return name
        return self.translated.get((name, lang), xc.translated(name, lang))


class Row:
    """One row of a sheet, with typed accessors that fail at the right cell."""

    def __init__(self, columns: Columns, number: int, cells: dict[str, Cell]) -> None:
        self.columns = columns
        self.number = number
        self.cells = cells

    def fail(self, message: str, column: str | None = None) -> XLSFormError:
        return self.columns.table.fail(message, self.number, column)

    def text(self, name: str, lang: Language | None = None) -> str | None:
        header = self.columns.header(name, lang)
        value = self.cells.get(header)
        if value is None:
            return None
        if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
            raise self.fail(f"expected a text, found {value!r}", header)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

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

    def refuse_other_than(self, allowed: set[str], what: str) -> None:
        for header in self.cells:
            if header not in allowed:
                raise self.fail(f"{what} cannot have a value in this column", header)
