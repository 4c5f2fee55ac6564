"""Read a questionnaire from an XLSForm workbook, in stages: workbook -> tables -> model.

What pyxform (behind KoboToolbox and ODK) accepts for a business survey is read as pyxform
reads it: optional settings, every header spelling, any label language, questions outside
groups, nested and unlabelled groups, notes, dates and times, ranges, calculations,
acknowledgements, ``or_other``, cascading selects and metadata rows. What the model cannot
hold (repeats, media, locations, defaults...) is refused with an XLSFormError naming the
sheet, row and column: a form is never collected differently from how it was designed.
What is read but has no effect here (a style, a README sheet, unknown columns) is reported
as an XLSFormWarning with its place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

from barometre.questionnaire import _xlsform_common as xc
from barometre.questionnaire._errors import QuestionnaireError, XLSFormError
from barometre.questionnaire._model import (
    LANGS,
    METADATA_TYPES,
    Choice,
    Lang,
    Question,
    Questionnaire,
    QuestionType,
    Section,
)
from barometre.questionnaire._xlsform_sheets import (
    DEFAULT_LANGUAGE,
    Columns,
    Row,
    Table,
    XLSFormWarning,
    language_key,
    load_tables,
)

SURVEY_PLAIN: Final = frozenset(
    {
        "type",
        "name",
        "required",
        "relevant",
        "constraint",
        "appearance",
        "choice_filter",
        "calculation",
        "parameters",
    }
)
SURVEY_EXTENSIONS: Final = frozenset({xc.UNIT, xc.MINIMUM, xc.MAXIMUM})
CHOICES_PLAIN: Final = frozenset({"list_name", "name"})
SETTINGS_PLAIN: Final = frozenset(
    {"form_title", "form_id", "version", "default_language", xc.TITLE_EN, xc.DIAGNOSTIC}
)
# Settings that configure a deployment (server, theme, encryption), not the questions.
SETTINGS_IGNORED: Final = frozenset(
    {
        "style",
        "instance_name",
        "public_key",
        "submission_url",
        "auto_send",
        "auto_delete",
        "allow_choice_duplicates",
        "namespaces",
        "prefix",
        "delimiter",
        "clean_text_values",
        "omit_instanceid",
        "name",
        "sms_keyword",
        "sms_separator",
        "sms_allow_media",
        "sms_date_format",
        "sms_datetime_format",
        "sms_response",
        "form_version",
    }
)
DEFAULT_VERSION: Final = "1"

UNSUPPORTED_TYPES: Final = {
    "begin repeat": "repeat groups are not supported (one answer set is one row per company)",
    "end repeat": "repeat groups are not supported (one answer set is one row per company)",
    "select_one_from_file": "choices from external files are not supported",
    "select_multiple_from_file": "choices from external files are not supported",
    "select_one_external": "external choices are not supported",
    "rank": "ranking questions are not supported",
    "hidden": "hidden questions are not supported",
}
NOT_COLLECTED: Final = frozenset(
    {
        "geopoint",
        "geotrace",
        "geoshape",
        "start-geopoint",
        "image",
        "photo",
        "audio",
        "background-audio",
        "video",
        "file",
        "barcode",
        "xml-external",
        "csv-external",
    }
)
TYPE_ALIASES: Final = {
    "begin_group": "begin group",
    "end_group": "end group",
    "begin_repeat": "begin repeat",
    "end_repeat": "end repeat",
    "begin loop": "begin repeat",
    "end loop": "end repeat",
    "begin looped": "begin repeat",
    "end looped": "end repeat",
    "begin lgroup": "begin repeat",
    "end lgroup": "end repeat",
    "select one": "select_one",
    "select multiple": "select_multiple",
    "select1": "select_one",
    "select_all_that_apply": "select_multiple",
    "int": "integer",
    "string": "text",
    "imei": "deviceid",
}
_SIMPLE_TYPES: Final = {
    "integer": QuestionType.NUMBER,
    "decimal": QuestionType.NUMBER,
    "range": QuestionType.NUMBER,
    "text": QuestionType.TEXT,
    "date": QuestionType.DATE,
    "time": QuestionType.TIME,
    "datetime": QuestionType.DATETIME,
    "note": QuestionType.NOTE,
    "acknowledge": QuestionType.ACKNOWLEDGE,
    "calculate": QuestionType.CALCULATE,
}
# pyxform's older type names (question_type_dictionary.py), read as the type they stand for.
LEGACY_TYPES: Final = {
    **dict.fromkeys(("q string", "add text prompt"), "text"),
    **dict.fromkeys(("q int", "add integer prompt"), "integer"),
    **dict.fromkeys(("q decimal", "add decimal prompt"), "decimal"),
    **dict.fromkeys(("q date", "add date prompt"), "date"),
    **dict.fromkeys(
        ("q datetime", "add datetime prompt", "date time", "q date time", "add date time prompt"),
        "datetime",
    ),
    **dict.fromkeys(("q note", "add note prompt"), "note"),
    **dict.fromkeys(("q calculate", "add calculate prompt"), "calculate"),
    **dict.fromkeys(("q acknowledge", "add acknowledge prompt", "trigger"), "acknowledge"),
    **dict.fromkeys(("get start time", "start time"), "start"),
    **dict.fromkeys(("get end time", "end time"), "end"),
    "get today": "today",
    **dict.fromkeys(("device id", "get device id", "uri:deviceid"), "deviceid"),
    **dict.fromkeys(("subscriber id", "get subscriber id", "uri:subscriberid"), "subscriberid"),
    **dict.fromkeys(("sim id", "get sim id", "uri:simserial"), "simserial"),
    **dict.fromkeys(("get phone number", "uri:phonenumber"), "phonenumber"),
    "uri:username": "username",
    "uri:email": "email",
    **dict.fromkeys(
        ("gps", "location", "q location", "add location prompt", "q geopoint"), "geopoint"
    ),
    **dict.fromkeys(("q picture", "q image", "add image prompt", "add photo prompt"), "image"),
    **dict.fromkeys(("q audio", "add audio prompt"), "audio"),
    **dict.fromkeys(("q video", "add video prompt"), "video"),
    **dict.fromkeys(("q barcode", "add barcode prompt"), "barcode"),
    "add file prompt": "file",
    "q geoshape": "geoshape",
    "q geotrace": "geotrace",
    "background-geopoint": "start-geopoint",
}
# "phone number" is a text that pyxform checks for digits only.
PHONE_NUMBER: Final = ("phone number", "regex(., '^\\d*$')")
_RANGE_DEFAULTS: Final = {"start": 1.0, "end": 10.0, "step": 1.0}
_FORM_ID_RE: Final = re.compile(r"[^A-Za-z0-9_.\-]+")


@dataclass(frozen=True)
class XLSFormImport:
    """A questionnaire read from an XLSForm, and what the reader noted on the way."""

    questionnaire: Questionnaire
    warnings: tuple[XLSFormWarning, ...] = ()


@dataclass
class _Group:
    """A group being read: its row, and its sections' contents once closed."""

    row: Row | None
    id: str
    parent: str | None
    grouped: bool = True
    questions: list[Question] = field(default_factory=list)
    closed: bool = False


def _version_text(value: object) -> str | None:
    # KoboToolbox templates often set the version to =NOW(): a date, or its serial number.
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%d%H%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def _settings(
    tables: dict[str, Table], form_id: str, warnings: list[XLSFormWarning]
) -> tuple[dict[str, str | None], int]:
    """The settings with pyxform's defaults: the id from the file name, a version of "1"."""
    defaults: dict[str, str | None] = {name: None for name in SETTINGS_PLAIN}
    table = tables.get("settings")
    if table is None or not table.rows:
        defaults["form_id"], defaults["version"] = form_id, DEFAULT_VERSION
        return defaults, 2
    columns = Columns(table, SETTINGS_PLAIN, {}, None, warnings, SETTINGS_IGNORED)
    if len(table.rows) > 1:
        raise table.fail("the settings sheet has more than one row of values", table.rows[1][0])
    number, cells = table.rows[0]
    row = Row(columns, number, cells)
    values: dict[str, str | None] = {}
    for name in SETTINGS_PLAIN:
        values[name] = _version_text(cells.get(name)) if name == "version" else row.text(name)
    for header in sorted(cells):
        if header.partition("::")[0] in SETTINGS_IGNORED or header in columns.unknown:
            warnings.append(
                row.warn(f"the setting {header!r} configures a deployment; it is not read", header)
            )
    values["form_id"] = values["form_id"] or form_id
    values["version"] = values["version"] or DEFAULT_VERSION
    return values, number


def _label_languages(
    tables: dict[str, Table], default_spec: str | None
) -> tuple[dict[Lang, str], dict[str, str]]:
    """Which language fills the French and the English slot, and how the form spells each.

    French (English) when the form has it, else its default_language, else its first label
    language: a German form is shown in German under both interfaces.
    """
    spelled: dict[str, str] = {}
    default_key = language_key(default_spec) if default_spec else None
    for name in ("survey", "choices"):
        table = tables.get(name)
        for header in table.headers if table else []:
            base, _, spec = header.partition("::")
            if base not in xc.TRANSLATED:
                continue
            if spec:
                spelled.setdefault(language_key(spec), spec)
            elif default_key is not None and default_spec is not None:
                spelled.setdefault(default_key, default_spec)
            else:
                spelled.setdefault(DEFAULT_LANGUAGE, DEFAULT_LANGUAGE)
    keys = list(spelled)
    if not keys:
        return {"fr": DEFAULT_LANGUAGE, "en": DEFAULT_LANGUAGE}, {
            DEFAULT_LANGUAGE: DEFAULT_LANGUAGE
        }
    slots: dict[Lang, str] = {}
    for lang in LANGS:
        if lang in spelled:
            slots[lang] = lang
        elif default_key in spelled and default_key is not None:
            slots[lang] = default_key
        else:
            slots[lang] = keys[0]
    return slots, spelled


def _choice_lists(
    tables: dict[str, Table],
    slots: dict[Lang, str],
    default_key: str | None,
    warnings: list[XLSFormWarning],
) -> tuple[dict[str, list[Choice]], dict[str, int]]:
    table = tables.get("choices")
    if table is None:
        return {}, {}
    columns = Columns(table, CHOICES_PLAIN, slots, default_key, warnings)
    if table.rows:
        columns.require("list_name", "name")
    # Other columns are the choices' properties, which choice_filter expressions read.
    property_columns = [h for h in columns.unknown if "::" not in h]
    lists: dict[str, list[Choice]] = {}
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        row = Row(columns, number, cells)
        list_name, code = row.text("list_name"), row.text("name")
        if not list_name:
            raise row.fail("list_name is missing", "list_name")
        if not code:
            raise row.fail("name (the choice code) is missing", "name")
        if re.search(r"\s", code):
            raise row.fail(f"choice code {code!r} contains a space", "name")
        labels = _texts(row, "label", warnings)
        if not labels["fr"]:
            raise row.fail("the label is missing", columns.header("label", "fr"))
        entries = lists.setdefault(list_name, [])
        first_row.setdefault(list_name, number)
        if any(choice.code == code for choice in entries):
            raise row.fail(f"choice {code!r} appears twice in list {list_name!r}", "name")
        properties = tuple(
            (name, text) for name in property_columns if (text := row.text(name)) is not None
        )
        entries.append(Choice(code, labels["fr"] or "", labels["en"] or "", properties))
    return lists, first_row


def _texts(row: Row, base: str, warnings: list[XLSFormWarning]) -> dict[Lang, str | None]:
    """A translated text in both slots; a missing translation falls back on the other one."""
    texts: dict[Lang, str | None] = {lang: row.text(base, lang) for lang in LANGS}
    pairs: tuple[tuple[Lang, Lang], ...] = (("fr", "en"), ("en", "fr"))
    for lang, other in pairs:
        if texts[lang] is None and texts[other] is not None:
            texts[lang] = texts[other]
            warnings.append(
                row.warn(
                    f"no {base} in this language; the other language's is shown instead",
                    row.columns.header(base, lang),
                )
            )
    return texts


_QUESTION_FIELDS: Final = {
    "id": "name",
    "type": "type",
    "choices": "type",
    "integer": "type",
    "required": "required",
    "relevant": "relevant",
    "constraint": "constraint",
    "calculation": "calculation",
    "choice_filter": "choice_filter",
    "appearance": "appearance",
    "step": "parameters",
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


def _parameters(row: Row) -> dict[str, float]:
    text = row.text("parameters") or ""
    values = dict(_RANGE_DEFAULTS)
    for part in text.replace(";", " ").replace(",", " ").split():
        key, sep, raw = part.partition("=")
        if not sep or key.strip().lower() not in values:
            raise row.fail(
                f"range parameters are start=, end= and step=, not {part!r}", "parameters"
            )
        try:
            values[key.strip().lower()] = float(raw)
        except ValueError:
            raise row.fail(f"range parameter {part!r} is not a number", "parameters") from None
    return values


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


class _SurveyReader:
    """Turns survey rows into sections of questions."""

    def __init__(
        self,
        table: Table,
        lists: dict[str, list[Choice]],
        slots: dict[Lang, str],
        default_key: str | None,
        warnings: list[XLSFormWarning],
    ):
        self.warnings = warnings
        self.columns = Columns(
            table, SURVEY_PLAIN | SURVEY_EXTENSIONS, slots, default_key, warnings
        )
        self.columns.require("type", "name")
        for header in self.columns.used_unknown():
            warnings.append(
                XLSFormWarning(
                    f"the column {header!r} is not an XLSForm column this reader knows; "
                    "it is not read",
                    sheet=table.sheet,
                    row=1,
                    column=header,
                )
            )
        self.lists = lists
        self.groups: list[_Group] = []  # in the order they open: the sections' order
        self.stack: list[_Group] = []
        self.current: _Group | None = None  # where the next question goes
        self.question_rows: dict[str, Row] = {}
        self.section_rows: dict[str, Row] = {}
        self.metadata: list[tuple[str, str]] = []
        self.loose = 0

    def read(self) -> tuple[Section, ...]:
        for number, cells in self.columns.table.rows:
            self.row(Row(self.columns, number, cells))
        if self.stack:
            opened = self.stack[-1]
            assert opened.row is not None
            raise opened.row.fail(
                f"group {opened.id!r} is never closed by an 'end group' row", "type"
            )
        return tuple(self.section(group) for group in self.groups)

    def section(self, group: _Group) -> Section:
        start = group.row
        if start is None:
            return Section(
                group.id, "", "", tuple(group.questions), grouped=False, parent=group.parent
            )
        labels = _texts(start, "label", self.warnings)
        try:
            return Section(
                group.id,
                labels["fr"] or "",
                labels["en"] or "",
                tuple(group.questions),
                start.text("relevant"),
                parent=group.parent,
                appearance=start.text("appearance"),
            )
        except XLSFormError:
            raise  # already located
        except QuestionnaireError as error:
            raise start.fail(str(error), _field_column(self.columns, error.field)) from error

    def row(self, row: Row) -> None:
        raw_type = row.text("type")
        if not raw_type and not row.text("name"):
            # pyxform reads a row with neither type nor name as a comment.
            self.warnings.append(row.warn("a row without type or name is read as a comment"))
            return
        if not raw_type:
            raise row.fail("the type is missing", "type")
        legacy = " ".join(raw_type.split()).lower()
        phone = legacy == PHONE_NUMBER[0]
        if phone:
            legacy = "text"
        words = _legacy_select(raw_type) or [LEGACY_TYPES.get(legacy, legacy)]
        if not phone and len(words) == 1 and words[0] == legacy and legacy not in LEGACY_TYPES:
            words = raw_type.split()
        first = words[0].lower()
        if len(words) >= 2 and first in ("begin", "end", "select"):
            first = f"{first} {words[1].lower()}"  # "begin group", "select one"...
            words = words[1:]
        head = TYPE_ALIASES.get(first, first)
        words[0] = head
        if head in UNSUPPORTED_TYPES:
            raise row.fail(UNSUPPORTED_TYPES[head], "type")
        if head in NOT_COLLECTED:
            raise row.fail(
                f"question type {head!r} is not supported: locations, media, barcodes and files "
                "are not collected by this questionnaire",
                "type",
            )
        if head == "begin group":
            self.begin_group(row, words)
        elif head == "end group":
            self.end_group(row)
        elif head in METADATA_TYPES:
            self.meta(row, head)
        elif head in ("select_one", "select_multiple") or head in _SIMPLE_TYPES:
            self.question(row, head, words, PHONE_NUMBER[1] if phone else None)
        else:
            raise row.fail(
                f"question type {raw_type!r} is not supported (docs/questionnaire.md lists "
                "the types read)",
                "type",
            )

    def meta(self, row: Row, head: str) -> None:
        name = row.text("name") or head
        self.metadata.append((head, name))
        self.question_rows[name] = row

    def begin_group(self, row: Row, words: list[str]) -> None:
        if len(words) > 1:
            raise row.fail(f"unexpected {' '.join(words[1:])!r} after 'begin group'", "type")
        name = row.text("name")
        if not name:
            raise row.fail("the group's name is missing", "name")
        if row.flag("required"):
            self.warnings.append(
                row.warn("'required' on a group has no effect (pyxform ignores it too)", "required")
            )
        for header in row.cells:
            base = header.partition("::")[0]
            if base in (
                "hint",
                "constraint",
                "constraint_message",
                "calculation",
                "choice_filter",
                "parameters",
            ):
                raise row.fail("a group cannot have a value in this column", header)
        parent = self.stack[-1].id if self.stack else None
        group = _Group(row, name, parent)
        self.groups.append(group)
        self.stack.append(group)
        self.current = group
        self.section_rows[name] = row

    def end_group(self, row: Row) -> None:
        if not self.stack:
            raise row.fail("'end group' without a matching 'begin group'", "type")
        self.stack.pop().closed = True
        # Questions that follow a nested group in its parent form a section of their own.
        self.current = None

    def target(self) -> _Group:
        if self.current is None:
            self.loose += 1
            parent = self.stack[-1].id if self.stack else None
            self.current = _Group(None, f"_{self.loose}", parent, grouped=False)
            self.groups.append(self.current)
        return self.current

    def question(
        self, row: Row, head: str, words: list[str], implied_constraint: str | None = None
    ) -> None:
        kind, choices, integer, or_other = self.kind(row, head, words)
        name = row.text("name")
        if not name:
            raise row.fail("the question's name is missing", "name")
        texts: dict[str, str | None] = {}
        for base in xc.TRANSLATED:
            for lang, text in _texts(row, base, self.warnings).items():
                texts[f"{base}_{lang}"] = text
        minimum, maximum, step = row.numeric(xc.MINIMUM), row.numeric(xc.MAXIMUM), None
        constraint = row.text("constraint") or implied_constraint
        if head == "range":
            params = _parameters(row)
            minimum, maximum = _number(params["start"]), _number(params["end"])
            step = _number(params["step"])
            integer = all(float(v).is_integer() for v in params.values())
        elif row.text("parameters") is not None:
            raise row.fail("question parameters are only read for range questions", "parameters")
        bounds = xc.bounds_expression(minimum, maximum) if head != "range" else None
        if bounds is not None and constraint is not None:
            try:
                constraint = xc.split_constraint(constraint, bounds)
            except ValueError:
                raise row.fail(
                    f"the constraint must start with the bounds of {xc.MINIMUM}/{xc.MAXIMUM}, "
                    f"{bounds!r} (write both, or remove the bounds columns)",
                    "constraint",
                ) from None
        label_fr, label_en = texts["label_fr"] or "", texts["label_en"] or ""
        if kind is not QuestionType.CALCULATE and not label_fr:
            raise row.fail("the label is missing", self.columns.header("label", "fr"))
        try:
            question = Question(
                id=name,
                type=kind,
                label_fr=label_fr,
                label_en=label_en,
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
                step=step,
                calculation=row.text("calculation"),
                choice_filter=row.text("choice_filter"),
                or_other=or_other,
                appearance=row.text("appearance"),
            )
        except XLSFormError:
            raise  # already located
        except QuestionnaireError as error:
            raise row.fail(str(error), _field_column(self.columns, error.field)) from error
        self.target().questions.append(question)
        self.question_rows[name] = row

    def kind(
        self, row: Row, head: str, words: list[str]
    ) -> tuple[QuestionType, tuple[Choice, ...], bool, bool]:
        if head in _SIMPLE_TYPES:
            if len(words) > 1:
                raise row.fail(f"unexpected {' '.join(words[1:])!r} after {head!r}", "type")
            return _SIMPLE_TYPES[head], (), head == "integer", False
        or_other = len(words) == 3 and words[2].lower() == "or_other"
        if len(words) != 2 and not or_other:
            raise row.fail(f"{head} needs exactly one choice list name", "type")
        list_name = words[1]
        if list_name not in self.lists:
            raise row.fail(f"choice list {list_name!r} is not defined in the choices sheet", "type")
        choices = tuple(self.lists[list_name])
        if or_other:
            self.warnings.append(
                row.warn(
                    "or_other adds the choice 'other'; the text that pyxform asks after it "
                    "is not asked here",
                    "type",
                )
            )
        if head == "select_multiple":
            return QuestionType.MULTIPLE, choices, False, or_other
        codes = tuple(c.code for c in choices)
        # The list name gives the type back (docs/questionnaire.md); a list whose content
        # does not match its name is read as a plain single choice.
        if xc.YES_NO_LIST_RE.match(list_name) and codes == ("yes", "no") and not or_other:
            return QuestionType.YES_NO, choices, False, False
        if xc.SCALE4_LIST_RE.match(list_name) and len(choices) == 4:
            return QuestionType.SCALE4, choices, False, or_other
        return QuestionType.SINGLE, choices, False, or_other


_LEGACY_SELECT: Final = re.compile(
    r"(?P<kind>select one from|select all that apply from|select all that apply|"
    r"add select one prompt using|add select multiple prompt using)\s+(?P<list>\S+)"
    r"(?P<other>\s+or specify other)?\s*\Z",
    re.IGNORECASE,
)


def _legacy_select(raw_type: str) -> list[str] | None:
    """pyxform's older select spellings (``select one from x or specify other``) as words."""
    match = _LEGACY_SELECT.match(" ".join(raw_type.split()))
    if match is None:
        return None
    kind = match.group("kind").lower()
    head = "select_one" if "one" in kind else "select_multiple"
    return [head, match.group("list"), *(["or_other"] if match.group("other") else [])]


def _form_id(source: str | Path | IO[bytes]) -> str:
    """pyxform's default form id: the file's name without its suffix."""
    if isinstance(source, str | Path):
        stem = _FORM_ID_RE.sub("_", Path(source).stem).strip("_.-")
        if stem:
            return stem
    return "form"


def import_xlsform(source: str | Path | IO[bytes]) -> XLSFormImport:
    """Read a questionnaire from an XLSForm workbook (.xlsx, or .xls), with the warnings.

    Raises XLSFormError naming the sheet, row and column of the first problem found.
    """
    warnings: list[XLSFormWarning] = []
    tables = load_tables(source, warnings)
    settings, settings_row = _settings(tables, _form_id(source), warnings)
    default_spec = settings["default_language"]
    if "survey" not in tables:
        raise XLSFormError("the survey sheet is missing", sheet="survey")
    if not tables["survey"].rows:
        raise tables["survey"].fail("the survey has no question", 2)
    slots, spelled = _label_languages(tables, default_spec)
    default_key = language_key(default_spec) if default_spec else None
    lists, _ = _choice_lists(tables, slots, default_key, warnings)
    reader = _SurveyReader(tables["survey"], lists, slots, default_key, warnings)
    sections = reader.read()
    if not sections:
        raise tables["survey"].fail("the survey has no question", 2)
    title_fr = settings["form_title"] or settings["form_id"] or ""
    diagnostic = settings[xc.DIAGNOSTIC]
    try:
        questionnaire = Questionnaire(
            id=settings["form_id"] or "",
            version=settings["version"] or "",
            title_fr=title_fr,
            title_en=settings[xc.TITLE_EN] or title_fr,
            sections=sections,
            diagnostic_questions=tuple(diagnostic.split()) if diagnostic else (),
            languages=(spelled[slots["fr"]], spelled[slots["en"]]),
            metadata=tuple(reader.metadata),
        )
    except QuestionnaireError as error:
        raise _locate(error, reader, settings_row) from error
    return XLSFormImport(questionnaire, tuple(warnings))


def read_xlsform(source: str | Path | IO[bytes]) -> Questionnaire:
    """Read a questionnaire from an XLSForm workbook (.xlsx, or .xls).

    Raises XLSFormError naming the sheet, row and column of the first problem found;
    ``import_xlsform`` also gives the warnings.
    """
    return import_xlsform(source).questionnaire


def _locate(error: QuestionnaireError, reader: _SurveyReader, settings_row: int) -> XLSFormError:
    """Place a whole-questionnaire error on the row and column it comes from."""
    column = _field_column(reader.columns, error.field)
    if error.field == "diagnostic_questions":
        return XLSFormError(str(error), sheet="settings", row=settings_row, column=xc.DIAGNOSTIC)
    if error.question_id in reader.question_rows:
        return reader.question_rows[error.question_id].fail(str(error), column)
    if error.section_id in reader.section_rows:
        return reader.section_rows[error.section_id].fail(str(error), column)
    if error.field == "sections":
        return reader.columns.table.fail(str(error), 2)
    if error.field in ("id", "version"):
        name = "form_id" if error.field == "id" else "version"
        return XLSFormError(str(error), sheet="settings", row=settings_row, column=name)
    return XLSFormError(str(error), sheet="settings", row=settings_row)
