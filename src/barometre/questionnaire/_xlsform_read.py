"""Read a questionnaire from an XLSForm workbook, in stages: workbook -> tables -> model.

Anything the model cannot hold (repeats, calculations, cascading selects, notes, media,
other languages...) is refused with an XLSFormError naming the sheet, row and column:
a form is never imported with parts silently dropped. Columns whose header starts with
``$`` (KoboToolbox's internal ids) carry no form content and are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

from barometre.questionnaire import _xlsform_common as xc
from barometre.questionnaire._errors import QuestionnaireError, XLSFormError
from barometre.questionnaire._model import (
    LANGS,
    Choice,
    Language,
    Question,
    Questionnaire,
    QuestionType,
    Section,
)
from barometre.questionnaire._xlsform_sheets import (
    Columns,
    Row,
    Table,
    language_of,
    load_tables,
)

SURVEY_PLAIN: Final = frozenset({"type", "name", "required", "relevant", "constraint"})
SURVEY_EXTENSIONS: Final = frozenset({xc.UNIT, xc.MINIMUM, xc.MAXIMUM})
CHOICES_PLAIN: Final = frozenset({"list_name", "name"})
SETTINGS_PLAIN: Final = frozenset(
    {"form_title", "form_id", "version", "default_language", xc.TITLE_EN, xc.DIAGNOSTIC}
)

UNSUPPORTED_TYPES: Final = {
    "note": "notes are not supported; put the text in a question's hint",
    "calculate": "calculations are not supported",
    "begin repeat": "repeat groups are not supported",
    "end repeat": "repeat groups are not supported",
    "select_one_from_file": "choices from external files are not supported",
    "select_multiple_from_file": "choices from external files are not supported",
    "rank": "ranking questions are not supported",
    "range": "range questions are not supported; use integer with barometre::minimum/maximum",
}
TYPE_ALIASES: Final = {
    "begin_group": "begin group",
    "end_group": "end group",
    "begin_repeat": "begin repeat",
    "end_repeat": "end repeat",
    "select one": "select_one",
    "select multiple": "select_multiple",
    "int": "integer",
    "string": "text",
}


@dataclass
class _OpenSection:
    row: Row
    id: str
    questions: list[Question] = field(default_factory=list)


def _settings(tables: dict[str, Table]) -> tuple[dict[str, str | None], int]:
    table = tables.get("settings")
    if table is None:
        raise XLSFormError(
            "the settings sheet is missing (it gives form_id and version)", sheet="settings"
        )
    columns = Columns(table, SETTINGS_PLAIN, None)
    if not table.rows:
        raise table.fail("the settings sheet has no row of values", 2)
    if len(table.rows) > 1:
        raise table.fail("the settings sheet has more than one row of values", table.rows[1][0])
    number, cells = table.rows[0]
    row = Row(columns, number, cells)
    values = {name: row.text(name) for name in SETTINGS_PLAIN}
    for name in ("form_id", "version"):
        if not values[name]:
            raise row.fail(f"{name} is missing", name)
    return values, number


def _choice_lists(
    tables: dict[str, Table], default_lang: Language | None
) -> dict[str, list[Choice]]:
    table = tables.get("choices")
    if table is None:
        return {}
    columns = Columns(table, CHOICES_PLAIN, default_lang)
    if table.rows:
        columns.require("list_name", "name")
    lists: dict[str, list[Choice]] = {}
    for number, cells in table.rows:
        row = Row(columns, number, cells)
        list_name, code = row.text("list_name"), row.text("name")
        if not list_name:
            raise row.fail("list_name is missing", "list_name")
        if not code:
            raise row.fail("name (the choice code) is missing", "name")
        if re.search(r"\s", code):
            raise row.fail(f"choice code {code!r} contains a space", "name")
        labels = {lang: row.text("label", lang) for lang in LANGS}
        for lang, label in labels.items():
            if not label:
                raise row.fail("the label is missing", columns.header("label", lang))
        entries = lists.setdefault(list_name, [])
        if any(choice.code == code for choice in entries):
            raise row.fail(f"choice {code!r} appears twice in list {list_name!r}", "name")
        entries.append(Choice(code, labels["fr"] or "", labels["en"] or ""))
    return lists


_QUESTION_FIELDS: Final = {
    "id": "name",
    "type": "type",
    "choices": "type",
    "integer": "type",
    "required": "required",
    "relevant": "relevant",
    "constraint": "constraint",
    "unit": xc.UNIT,
    "minimum": xc.MINIMUM,
    "maximum": xc.MAXIMUM,
}


def _field_column(columns: Columns, name: str | None) -> str | None:
    """The header holding a model field, for locating model errors in the sheet."""
    if name is None:
        return None
    for base in xc.TRANSLATED:
        for lang in LANGS:
            if name == f"{base}_{lang}":
                return columns.header(base, lang)
    return _QUESTION_FIELDS.get(name, name)


class _SurveyReader:
    """Turns survey rows into sections of questions."""

    def __init__(self, table: Table, lists: dict[str, list[Choice]], default_lang: Language | None):
        self.columns = Columns(table, SURVEY_PLAIN | SURVEY_EXTENSIONS, default_lang)
        self.columns.require("type", "name")
        self.lists = lists
        self.sections: list[Section] = []
        self.question_rows: dict[str, Row] = {}
        self.section_rows: dict[str, Row] = {}
        self.open: _OpenSection | None = None

    def read(self) -> tuple[Section, ...]:
        for number, cells in self.columns.table.rows:
            self.row(Row(self.columns, number, cells))
        if self.open is not None:
            raise self.open.row.fail(
                f"group {self.open.id!r} is never closed by an 'end group' row", "type"
            )
        if not self.sections:
            raise self.columns.table.fail("the survey has no group of questions", 2)
        return tuple(self.sections)

    def row(self, row: Row) -> None:
        raw_type = row.text("type")
        if not raw_type:
            raise row.fail("the type is missing", "type")
        words = raw_type.split()
        first = words[0].lower()
        if len(words) >= 2 and first in ("begin", "end", "select"):
            first = f"{first} {words[1].lower()}"  # "begin group", "select one"...
            words = words[1:]
        head = TYPE_ALIASES.get(first, first)
        words[0] = head
        if head in UNSUPPORTED_TYPES:
            raise row.fail(UNSUPPORTED_TYPES[head], "type")
        if head == "begin group":
            self.begin_group(row, words)
        elif head == "end group":
            self.end_group(row)
        elif head in ("select_one", "select_multiple", "integer", "decimal", "text"):
            self.question(row, head, words)
        else:
            supported = (
                "begin group, end group, select_one, select_multiple, integer, decimal, text"
            )
            raise row.fail(
                f"question type {raw_type!r} is not supported (supported: {supported})", "type"
            )

    def begin_group(self, row: Row, words: list[str]) -> None:
        if len(words) > 1:
            raise row.fail(f"unexpected {' '.join(words[1:])!r} after 'begin group'", "type")
        if self.open is not None:
            raise row.fail(
                f"groups cannot be nested (group {self.open.id!r} is still open)", "type"
            )
        allowed = {
            "type",
            "name",
            "relevant",
            *(self.columns.header("label", lang) for lang in LANGS),
        }
        row.refuse_other_than(allowed, "a group")
        name = row.text("name")
        if not name:
            raise row.fail("the group's name is missing", "name")
        self.open = _OpenSection(row, name)
        self.section_rows[name] = row

    def end_group(self, row: Row) -> None:
        if self.open is None:
            raise row.fail("'end group' without a matching 'begin group'", "type")
        row.refuse_other_than({"type", "name"}, "an 'end group' row")
        opened, self.open = self.open, None
        start = opened.row
        labels = {lang: start.text("label", lang) for lang in LANGS}
        try:
            section = Section(
                opened.id,
                labels["fr"] or "",
                labels["en"] or "",
                tuple(opened.questions),
                start.text("relevant"),
            )
        except XLSFormError:
            raise  # already located
        except QuestionnaireError as error:
            raise start.fail(str(error), _field_column(self.columns, error.field)) from error
        self.sections.append(section)

    def question(self, row: Row, head: str, words: list[str]) -> None:
        if self.open is None:
            raise row.fail(
                "questions must be inside a group ('begin group' ... 'end group'): "
                "each group is a section",
                "type",
            )
        kind, choices, integer = self.kind(row, head, words)
        name = row.text("name")
        if not name:
            raise row.fail("the question's name is missing", "name")
        texts = {f"{base}_{lang}": row.text(base, lang) for base in xc.TRANSLATED for lang in LANGS}
        minimum, maximum = row.numeric(xc.MINIMUM), row.numeric(xc.MAXIMUM)
        constraint = row.text("constraint")
        bounds = xc.bounds_expression(minimum, maximum)
        if bounds is not None and constraint is not None:
            try:
                constraint = xc.split_constraint(constraint, bounds)
            except ValueError:
                raise row.fail(
                    f"the constraint must start with the bounds of {xc.MINIMUM}/{xc.MAXIMUM}, "
                    f"{bounds!r} (write both, or remove the bounds columns)",
                    "constraint",
                ) from None
        try:
            question = Question(
                id=name,
                type=kind,
                label_fr=texts["label_fr"] or "",
                label_en=texts["label_en"] or "",
                choices=choices,
                hint_fr=texts["hint_fr"],
                hint_en=texts["hint_en"],
                required=row.flag("required"),
                relevant=row.text("relevant"),
                constraint=constraint,
                constraint_message_fr=texts["constraint_message_fr"],
                constraint_message_en=texts["constraint_message_en"],
                unit=row.text(xc.UNIT),
                minimum=minimum,
                maximum=maximum,
                integer=integer,
            )
        except XLSFormError:
            raise  # already located
        except QuestionnaireError as error:
            raise row.fail(str(error), _field_column(self.columns, error.field)) from error
        self.open.questions.append(question)
        self.question_rows[name] = row

    def kind(
        self, row: Row, head: str, words: list[str]
    ) -> tuple[QuestionType, tuple[Choice, ...], bool]:
        if head in ("integer", "decimal", "text"):
            if len(words) > 1:
                raise row.fail(f"unexpected {' '.join(words[1:])!r} after {head!r}", "type")
            kind = QuestionType.TEXT if head == "text" else QuestionType.NUMBER
            return kind, (), head == "integer"
        if len(words) != 2:
            if len(words) == 3 and words[2].lower() == "or_other":
                raise row.fail(
                    "'or_other' is not supported; add an explicit choice instead", "type"
                )
            raise row.fail(f"{head} needs exactly one choice list name", "type")
        list_name = words[1]
        if list_name not in self.lists:
            raise row.fail(f"choice list {list_name!r} is not defined in the choices sheet", "type")
        choices = tuple(self.lists[list_name])
        if head == "select_multiple":
            return QuestionType.MULTIPLE, choices, False
        if xc.YES_NO_LIST_RE.match(list_name):
            codes = tuple(c.code for c in choices)
            if codes != ("yes", "no"):
                raise row.fail(
                    f"list {list_name!r} is read as a yes/no list (its name says so) and must hold "
                    f"the codes yes, no in this order, not {', '.join(codes)}; rename the list",
                    "type",
                )
            return QuestionType.YES_NO, choices, False
        if xc.SCALE4_LIST_RE.match(list_name):
            if len(choices) != 4:
                raise row.fail(
                    f"list {list_name!r} is read as a 4-point scale (its name says so) and must "
                    f"hold 4 choices, not {len(choices)}; rename the list",
                    "type",
                )
            return QuestionType.SCALE4, choices, False
        return QuestionType.SINGLE, choices, False


def read_xlsform(source: str | Path | IO[bytes]) -> Questionnaire:
    """Read a questionnaire from an XLSForm workbook (.xlsx).

    Raises XLSFormError naming the sheet, row and column of the first problem found.
    """
    tables = load_tables(source)
    settings, settings_row = _settings(tables)
    default_spec = settings["default_language"]
    default_lang = language_of(default_spec) if default_spec else None
    if default_spec and default_lang is None:
        raise XLSFormError(
            f"default_language {default_spec!r} is not supported (French or English)",
            sheet="settings",
            row=settings_row,
            column="default_language",
        )
    if "survey" not in tables:
        raise XLSFormError("the survey sheet is missing", sheet="survey")
    reader = _SurveyReader(tables["survey"], _choice_lists(tables, default_lang), default_lang)
    sections = reader.read()
    title_fr = settings["form_title"] or settings["form_id"] or ""
    diagnostic = settings[xc.DIAGNOSTIC]
    try:
        return Questionnaire(
            id=settings["form_id"] or "",
            version=settings["version"] or "",
            title_fr=title_fr,
            title_en=settings[xc.TITLE_EN] or title_fr,
            sections=sections,
            diagnostic_questions=tuple(diagnostic.split()) if diagnostic else (),
        )
    except QuestionnaireError as error:
        raise _locate(error, reader, settings_row) from error


def _locate(error: QuestionnaireError, reader: _SurveyReader, settings_row: int) -> XLSFormError:
    """Place a whole-questionnaire error on the row and column it comes from."""
    column = _field_column(reader.columns, error.field)
    if error.field == "diagnostic_questions":
        return XLSFormError(str(error), sheet="settings", row=settings_row, column=xc.DIAGNOSTIC)
    if error.question_id in reader.question_rows:
        return reader.question_rows[error.question_id].fail(str(error), column)
    if error.section_id in reader.section_rows:
        return reader.section_rows[error.section_id].fail(str(error), column)
    if error.field in ("id", "version"):
        name = "form_id" if error.field == "id" else "version"
        return XLSFormError(str(error), sheet="settings", row=settings_row, column=name)
    return XLSFormError(str(error), sheet="settings", row=settings_row)
