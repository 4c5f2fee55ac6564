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
    Lang,
    Question,
    Questionnaire,
    QuestionType,
)
from barometre.questionnaire._xlsform_sheets import DEFAULT_LANGUAGE, language_of

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
        kind = f"select_multiple {list_name}"
    elif question.type.has_choices:
        kind = f"select_one {list_name}"
    elif question.type is QuestionType.NUMBER:
        if question.step is not None:
            return "range"
        return "integer" if question.integer else "decimal"
    else:
        return question.type.value
    return f"{kind} or_other" if question.or_other else kind


def _language_columns(questionnaire: Questionnaire) -> dict[Lang, str | None]:
    """The header suffix of each slot's texts; None when a slot repeats the other's column."""
    fr, en = questionnaire.languages
    suffix = {name: None if name == DEFAULT_LANGUAGE else name for name in (fr, en)}
    return {"fr": suffix[fr], "en": None if en == fr else suffix[en]}


def _header(base: str, suffix: str | None) -> str:
    return base if suffix is None else f"{base}::{suffix}"


def _question_row(
    question: Question, list_name: str | None, columns: dict[Lang, str | None]
) -> dict[str, Cell]:
    ranged = question.step is not None
    bounds = None if ranged else xc.bounds_expression(question.minimum, question.maximum)
    row: dict[str, Cell] = {
        "type": _question_type(question, list_name),
        "name": question.id,
        "required": "yes" if question.required else None,
        "relevant": question.relevant,
        "constraint": xc.combined_constraint(bounds, question.constraint),
        "calculation": question.calculation,
        "choice_filter": question.choice_filter,
        "appearance": question.appearance,
        xc.UNIT: question.unit,
        xc.MINIMUM: None if ranged else question.minimum,
        xc.MAXIMUM: None if ranged else question.maximum,
    }
    if ranged:
        assert question.minimum is not None and question.maximum is not None
        assert question.step is not None
        row["parameters"] = (
            f"start={xc.format_number(question.minimum)} end={xc.format_number(question.maximum)}"
            f" step={xc.format_number(question.step)}"
        )
    for base, getter in (
        ("label", question.label),
        ("hint", question.hint),
        ("constraint_message", question.constraint_message),
    ):
        texts: dict[Lang, str | None] = {lang: getter(lang) or None for lang in LANGS}
        _put_slots(row, base, texts, columns)
    return row


def _put_slots(
    row: dict[str, Cell], base: str, texts: dict[Lang, str | None], columns: dict[Lang, str | None]
) -> None:
    row[_header(base, columns["fr"])] = texts["fr"]
    if columns["en"] is not None:
        row[_header(base, columns["en"])] = texts["en"]


def survey_rows(questionnaire: Questionnaire) -> list[dict[str, Cell]]:
    """The survey sheet as rows of column -> value; nested groups are opened as they were."""
    lists = choice_lists(questionnaire)
    columns = _language_columns(questionnaire)
    rows: list[dict[str, Cell]] = [
        {"type": kind, "name": name} for kind, name in questionnaire.metadata
    ]
    by_id = {s.id: s for s in questionnaire.sections}
    open_groups: list[str] = []
    for section in questionnaire.sections:
        chain: list[str] = [section.id] if section.grouped else []
        parent = section.parent
        while parent is not None:
            chain.insert(0, parent)
            parent = by_id[parent].parent
        while open_groups and open_groups != chain[: len(open_groups)]:
            rows.append({"type": "end group", "name": open_groups.pop()})
        for group_id in chain[len(open_groups) :]:
            group = by_id[group_id]
            begin: dict[str, Cell] = {"type": "begin group", "name": group.id}
            labels: dict[Lang, str | None] = {lang: group.label(lang) or None for lang in LANGS}
            _put_slots(begin, "label", labels, columns)
            begin["relevant"] = group.relevant
            begin["appearance"] = group.appearance
            rows.append(begin)
            open_groups.append(group_id)
        rows.extend(_question_row(q, lists.get(q.id), columns) for q in section.questions)
    while open_groups:
        rows.append({"type": "end group", "name": open_groups.pop()})
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
        columns = _language_columns(questionnaire)
        for choice in question.choices:
            row: dict[str, Cell] = {"list_name": name, "name": choice.code}
            _put_slots(row, "label", {lang: choice.label(lang) for lang in LANGS}, columns)
            row.update(dict(choice.properties))
            rows.append(row)
    return rows


def settings_row(questionnaire: Questionnaire) -> dict[str, Cell]:
    """The single data row of the settings sheet."""
    return {
        "form_title": questionnaire.title_fr,
        xc.TITLE_EN: questionnaire.title_en,
        "form_id": questionnaire.id,
        "version": questionnaire.version,
        "default_language": _default_language(questionnaire),
        xc.DIAGNOSTIC: " ".join(questionnaire.diagnostic_questions) or None,
    }


def _default_language(questionnaire: Questionnaire) -> str | None:
    """The default_language that makes the reader fill the two slots as they are.

    The reader takes French (English) when the form has it, else the default language: so
    the default is whichever slot is not French (English), or French for the usual form.
    """
    fr, en = questionnaire.languages
    if fr == DEFAULT_LANGUAGE:
        return None
    if language_of(en) != "en":
        return en
    if language_of(fr) != "fr":
        return fr
    return fr


def _columns(rows: list[dict[str, Cell]], first: tuple[str, ...]) -> tuple[str, ...]:
    """The columns that hold a value, the usual ones first, then in order of appearance."""
    used: dict[str, None] = {}
    for row in rows:
        for key, value in row.items():
            if value is not None:
                used[key] = None
    ordered = [c for c in first if c in used]
    ordered += [c for c in used if c not in ordered]
    return tuple(ordered)


def write_xlsform(questionnaire: Questionnaire, target: str | Path | IO[bytes]) -> None:
    """Write a questionnaire as an XLSForm workbook that KoboToolbox / ODK can load.

    ``read_xlsform`` reads it back to an equal questionnaire.
    """
    workbook = Workbook()
    survey = survey_rows(questionnaire)
    choices = choices_rows(questionnaire)
    settings = [settings_row(questionnaire)]
    sheets = (
        ("survey", _columns(survey, ("type", "name")), survey),
        ("choices", _columns(choices, ("list_name", "name")) or ("list_name", "name"), choices),
        ("settings", _columns(settings, ("form_title",)), settings),
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
