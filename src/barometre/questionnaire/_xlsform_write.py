"""Write a questionnaire as an XLSForm workbook (survey, choices and settings sheets)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font

from barometre.questionnaire import _xlsform_common as xc
from barometre.questionnaire._model import (
    LANGS,
    Choice,
    Question,
    Questionnaire,
    QuestionType,
)

SURVEY_COLUMNS = (
    "type",
    "name",
    *(xc.translated("label", lang) for lang in LANGS),
    *(xc.translated("hint", lang) for lang in LANGS),
    "required",
    "relevant",
    "constraint",
    *(xc.translated("constraint_message", lang) for lang in LANGS),
    xc.UNIT,
    xc.MINIMUM,
    xc.MAXIMUM,
)
CHOICES_COLUMNS = ("list_name", "name", *(xc.translated("label", lang) for lang in LANGS))
SETTINGS_COLUMNS = (
    "form_title",
    xc.TITLE_EN,
    "form_id",
    "version",
    "default_language",
    xc.DIAGNOSTIC,
)

Cell = str | int | float | None


def _family(kind: QuestionType) -> str:
    if kind is QuestionType.YES_NO:
        return "yes_no"
    if kind is QuestionType.SCALE4:
        return "scale4"
    return "plain"


def choice_lists(questionnaire: Questionnaire) -> dict[str, str]:
    """The choice list name of every choice question; identical lists are shared."""
    names: dict[tuple[str, tuple[Choice, ...]], str] = {}
    used: set[str] = set()
    by_question: dict[str, str] = {}
    yes_no_count = 0
    for question in questionnaire.questions:
        if not question.type.has_choices:
            continue
        key = (_family(question.type), question.choices)
        if key not in names:
            if question.type is QuestionType.YES_NO:
                yes_no_count += 1
                name = xc.YES_NO_LIST if yes_no_count == 1 else f"{xc.YES_NO_LIST}_{yes_no_count}"
            elif question.type is QuestionType.SCALE4:
                name = f"{xc.SCALE4_PREFIX}_{question.id}"
            else:
                name = question.id
                # Reserved prefixes would turn a plain list into yes/no or a scale on import.
                if xc.YES_NO_LIST_RE.match(name) or xc.SCALE4_LIST_RE.match(name):
                    name = f"list_{name}"
            while name in used:
                name = f"{name}_"
            used.add(name)
            names[key] = name
        by_question[question.id] = names[key]
    return by_question


def _question_type(question: Question, list_name: str | None) -> str:
    if question.type is QuestionType.MULTIPLE:
        return f"select_multiple {list_name}"
    if question.type.has_choices:
        return f"select_one {list_name}"
    if question.type is QuestionType.NUMBER:
        return "integer" if question.integer else "decimal"
    return "text"


def _question_row(question: Question, list_name: str | None) -> dict[str, Cell]:
    bounds = xc.bounds_expression(question.minimum, question.maximum)
    row: dict[str, Cell] = {
        "type": _question_type(question, list_name),
        "name": question.id,
        "required": "yes" if question.required else None,
        "relevant": question.relevant,
        "constraint": xc.combined_constraint(bounds, question.constraint),
        xc.UNIT: question.unit,
        xc.MINIMUM: question.minimum,
        xc.MAXIMUM: question.maximum,
    }
    for lang in LANGS:
        row[xc.translated("label", lang)] = question.label(lang)
        row[xc.translated("hint", lang)] = question.hint(lang)
        row[xc.translated("constraint_message", lang)] = question.constraint_message(lang)
    return row


def survey_rows(questionnaire: Questionnaire) -> list[dict[str, Cell]]:
    """The survey sheet as rows of column -> value."""
    lists = choice_lists(questionnaire)
    rows: list[dict[str, Cell]] = []
    for section in questionnaire.sections:
        begin: dict[str, Cell] = {"type": "begin group", "name": section.id}
        for lang in LANGS:
            begin[xc.translated("label", lang)] = section.label(lang)
        begin["relevant"] = section.relevant
        rows.append(begin)
        rows.extend(_question_row(q, lists.get(q.id)) for q in section.questions)
        rows.append({"type": "end group", "name": section.id})
    return rows


def choices_rows(questionnaire: Questionnaire) -> list[dict[str, Cell]]:
    """The choices sheet as rows, one list after another, each written once."""
    lists = choice_lists(questionnaire)
    rows: list[dict[str, Cell]] = []
    written: set[str] = set()
    for question in questionnaire.questions:
        name = lists.get(question.id)
        if name is None or name in written:
            continue
        written.add(name)
        for choice in question.choices:
            row: dict[str, Cell] = {"list_name": name, "name": choice.code}
            for lang in LANGS:
                row[xc.translated("label", lang)] = choice.label(lang)
            rows.append(row)
    return rows


def settings_row(questionnaire: Questionnaire) -> dict[str, Cell]:
    """The single data row of the settings sheet."""
    return {
        "form_title": questionnaire.title_fr,
        xc.TITLE_EN: questionnaire.title_en,
        "form_id": questionnaire.id,
        "version": questionnaire.version,
        "default_language": xc.LANGUAGE_NAMES["fr"],
        xc.DIAGNOSTIC: " ".join(questionnaire.diagnostic_questions) or None,
    }


def write_xlsform(questionnaire: Questionnaire, target: str | Path | IO[bytes]) -> None:
    """Write a questionnaire as an XLSForm workbook that KoboToolbox / ODK can load.

    ``read_xlsform`` reads it back to an equal questionnaire.
    """
    workbook = Workbook()
    sheets = (
        ("survey", SURVEY_COLUMNS, survey_rows(questionnaire)),
        ("choices", CHOICES_COLUMNS, choices_rows(questionnaire)),
        ("settings", SETTINGS_COLUMNS, [settings_row(questionnaire)]),
    )
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append([row.get(column) for column in columns])
            for cell in sheet[sheet.max_row]:
                # openpyxl would store a text starting with "=" as a formula.
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    workbook.save(target)
