"""XLSForm import and export: an exact round trip, and located errors for what is unsupported."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook

from barometre.questionnaire import (
    Choice,
    Question,
    Questionnaire,
    QuestionType,
    Section,
    XLSFormError,
    load_builtin,
    read_xlsform,
    write_xlsform,
)

from .questionnaire_strategies import questionnaires, section_skip_form

Rows = list[list[object]]

SURVEY_HEAD = ["type", "name", "label::French (fr)", "label::English (en)", "required", "relevant"]
CHOICES_HEAD = ["list_name", "name", "label::French (fr)", "label::English (en)"]
SETTINGS: Rows = [
    ["form_id", "version", "form_title", "default_language"],
    ["mini", "1", "Mini", "French (fr)"],
]


def survey_rows() -> Rows:
    """A small valid survey sheet: one group, a yes/no, a multiple choice and an integer."""
    return [
        SURVEY_HEAD,
        ["begin group", "s", "Section", "Section"],
        ["select_one yes_no", "present", "Présent ?", "Present?", "yes"],
        ["select_multiple uses", "uses", "Usages", "Uses", None, "${present} = 'yes'"],
        ["integer", "staff", "Effectif", "Staff"],
        ["end group"],
    ]


def choices_rows() -> Rows:
    """The choice lists of survey_rows()."""
    return [
        CHOICES_HEAD,
        ["yes_no", "yes", "Oui", "Yes"],
        ["yes_no", "no", "Non", "No"],
        ["uses", "a", "A", "A"],
        ["uses", "b", "B", "B"],
    ]


def xlsx(sheets: dict[str, Rows]) -> io.BytesIO:
    """A workbook written in memory from sheet name -> rows (first row: headers)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def form(
    survey: Rows | None = None, choices: Rows | None = None, settings_: Rows | None = None
) -> io.BytesIO:
    """The small form, with any sheet replaced."""
    return xlsx(
        {
            "survey": survey if survey is not None else survey_rows(),
            "choices": choices if choices is not None else choices_rows(),
            "settings": settings_ if settings_ is not None else SETTINGS,
        }
    )


def with_column(rows: Rows, header: str, row_index: int, value: object) -> Rows:
    """Rows with one more column holding ``value`` on one row."""
    out = [list(r) + [None] * (len(rows[0]) - len(r)) for r in rows]
    out[0].append(header)
    for i, row in enumerate(out[1:], start=1):
        row.append(value if i == row_index else None)
    return out


def replaced(rows: Rows, index: int, new: list[object]) -> Rows:
    """Rows with row ``index`` replaced."""
    out = [list(r) for r in rows]
    out[index] = new
    return out


def inserted(rows: Rows, index: int, new: list[object]) -> Rows:
    """Rows with ``new`` inserted before row ``index``."""
    out = [list(r) for r in rows]
    out.insert(index, new)
    return out


# --- reading valid forms ------------------------------------------------------------------


def test_read_small_form() -> None:
    """The small form reads into the expected model, with the yes/no type recovered."""
    q = read_xlsform(form())
    assert (q.id, q.version, q.title_fr, q.title_en) == ("mini", "1", "Mini", "Mini")
    assert [s.id for s in q.sections] == ["s"]
    present, uses, staff = q.questions
    assert present.type is QuestionType.YES_NO and present.required
    assert uses.type is QuestionType.MULTIPLE and uses.relevant == "${present} = 'yes'"
    assert uses.codes == ("a", "b")
    assert staff.type is QuestionType.NUMBER and staff.integer and not staff.required


def test_kobo_style_variants_are_accepted() -> None:
    """Short language headers, aliases, boolean cells, numeric codes and $kuid columns read fine."""
    survey = [
        ["type", "name", "label::fr", "label::English", "required", "$kuid"],
        ["begin_group", "s", "S", "S", None, "k1"],
        ["select_one region", "region", "Région", "Region", True, "k2"],
        ["decimal", "share", "Part", "Share", "false()", "k3"],
        ["select one region", "hq", "Siège", "Head office", "no", "k5"],
        ["end_group", None, None, None, None, "k4"],
    ]
    choices = [
        ["list_name", "name", "label::fr", "label::English"],
        ["region", 11, "IdF", "IdF"],
        ["region", 24, "CVL", "CVL"],
    ]
    q = read_xlsform(form(survey, choices))
    assert q.question("region").codes == ("11", "24")
    assert q.question("region").required
    assert q.question("share").type is QuestionType.NUMBER and not q.question("share").integer
    assert q.question("hq").type is QuestionType.SINGLE and not q.question("hq").required


def test_label_without_language_uses_default_language() -> None:
    """A plain `label` column holds the default language's labels."""
    survey = [
        [("label" if h == "label::French (fr)" else h) for h in SURVEY_HEAD],
        *survey_rows()[1:],
    ]
    assert read_xlsform(form(survey)) == read_xlsform(form())


def test_bounds_and_unit_round_trip_through_extension_columns(tmp_path: Path) -> None:
    """Bounds are written into the constraint for field tools and recovered exactly."""
    question = Question(
        "n",
        QuestionType.NUMBER,
        "N",
        "N",
        minimum=0.5,
        maximum=10,
        unit="kg",
        constraint=". != 3",
        constraint_message_fr="Pas 3.",
        constraint_message_en="Not 3.",
    )
    q = Questionnaire("b", "2", "B", "B", (Section("s", "S", "S", (question,)),))
    path = tmp_path / "b.xlsx"
    write_xlsform(q, path)
    sheet = load_workbook(path)["survey"]
    headers = [c.value for c in sheet[1]]
    assert (
        sheet.cell(3, headers.index("constraint") + 1).value == ". >= 0.5 and . <= 10 and (. != 3)"
    )
    assert sheet.cell(3, headers.index("type") + 1).value == "decimal"
    assert read_xlsform(path) == q


def test_builtin_round_trip(tmp_path: Path) -> None:
    """Exporting the 2018 instrument and importing it back gives an equal questionnaire."""
    bpi = load_builtin("bpi2018")
    path = tmp_path / "bpi2018.xlsx"
    write_xlsform(bpi, path)
    assert read_xlsform(path) == bpi
    buffer = io.BytesIO()
    write_xlsform(bpi, buffer)
    buffer.seek(0)
    assert read_xlsform(buffer) == bpi


def test_builtin_export_layout(tmp_path: Path) -> None:
    """The export shares choice lists, names yes/no and scale lists by convention, sets settings."""
    path = tmp_path / "bpi2018.xlsx"
    write_xlsform(load_builtin("bpi2018"), path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    types = {
        row[1]: row[0]
        for row in workbook["survey"].iter_rows(min_row=2, values_only=True)
        if not str(row[0]).endswith("group")
    }
    assert types["net_facebook"] == "select_one yes_no"
    assert types["strategy"] == "select_one yes_no"
    assert types["activity"] == types["leader_activity"] == "select_one scale4_activity"
    assert types["managed_by"] == "select_multiple managed_by"
    assert types["headcount"] == "integer"
    lists = [row[0] for row in workbook["choices"].iter_rows(min_row=2, values_only=True)]
    assert lists.count("yes_no") == 2 and lists.count("scale4_activity") == 4
    settings_ = dict(zip(*workbook["settings"].iter_rows(values_only=True), strict=True))
    assert settings_["form_id"] == "bpi2018" and settings_["version"] == "2018.1"
    assert settings_["default_language"] == "French (fr)"


def test_plain_list_named_like_a_convention_is_renamed(tmp_path: Path) -> None:
    """A single-choice question whose id starts with yes_no keeps its type in a round trip."""
    choices = (Choice("yes", "O", "Y"), Choice("no", "N", "N"))
    question = Question("yes_no_q", QuestionType.SINGLE, "Q", "Q", choices)
    scale = Question("scale4_q", QuestionType.MULTIPLE, "Q", "Q", choices)
    q = Questionnaire("r", "1", "R", "R", (Section("s", "S", "S", (question, scale)),))
    path = tmp_path / "r.xlsx"
    write_xlsform(q, path)
    assert read_xlsform(path) == q


# --- errors -------------------------------------------------------------------------------

CASES: list[tuple[str, Callable[[], io.BytesIO], str | None, int | None, str | None, str]] = [
    (
        "repeat",
        lambda: form(replaced(survey_rows(), 1, ["begin repeat", "r", "R", "R"])),
        "survey",
        2,
        "type",
        "repeat groups are not supported",
    ),
    (
        "from file",
        lambda: form(inserted(survey_rows(), 2, ["select_one_from_file x.csv", "f", "F", "F"])),
        "survey",
        3,
        "type",
        "external files",
    ),
    (
        "geopoint",
        lambda: form(inserted(survey_rows(), 2, ["geopoint", "g", "G", "G"])),
        "survey",
        3,
        "type",
        "question type 'geopoint' is not supported",
    ),
    ("unclosed", lambda: form(survey_rows()[:-1]), "survey", 2, "type", "never closed"),
    (
        "stray end",
        lambda: form([*survey_rows(), ["end group"]]),
        "survey",
        7,
        "type",
        "without a matching 'begin group'",
    ),
    (
        "unknown list",
        lambda: form(replaced(survey_rows(), 3, ["select_multiple nope", "uses", "U", "U"])),
        "survey",
        4,
        "type",
        "choice list 'nope' is not defined",
    ),
    (
        "bad relevant",
        lambda: form(
            replaced(
                survey_rows(),
                3,
                ["select_multiple uses", "uses", "U", "U", None, "${present} = = 'yes'"],
            )
        ),
        "survey",
        4,
        "relevant",
        "does not parse",
    ),
    (
        "later reference",
        lambda: form(
            replaced(
                survey_rows(), 3, ["select_multiple uses", "uses", "U", "U", None, "${staff} > 3"]
            )
        ),
        "survey",
        4,
        "relevant",
        "${staff}, which is not an earlier question",
    ),
    (
        "bad code in relevant",
        lambda: form(
            replaced(
                survey_rows(),
                3,
                ["select_multiple uses", "uses", "U", "U", None, "${present} = 'oui'"],
            )
        ),
        "survey",
        4,
        "relevant",
        "'oui', which is not one of its codes",
    ),
    (
        "duplicate name",
        lambda: form(replaced(survey_rows(), 4, ["integer", "present", "E", "S"])),
        "survey",
        5,
        "name",
        "question id 'present' appears twice",
    ),
    (
        "bad name",
        lambda: form(replaced(survey_rows(), 4, ["integer", "1staff", "E", "S"])),
        "survey",
        5,
        "name",
        "question id '1staff'",
    ),
    (
        "missing type",
        lambda: form(replaced(survey_rows(), 4, [None, "staff", "E", "S"])),
        "survey",
        5,
        "type",
        "the type is missing",
    ),
    (
        "required flag",
        lambda: form(replaced(survey_rows(), 4, ["integer", "staff", "E", "S", "maybe"])),
        "survey",
        5,
        "required",
        "expected yes or no, found 'maybe'",
    ),
    (
        "bound not a number",
        lambda: form(with_column(survey_rows(), "barometre::minimum", 4, "zero")),
        "survey",
        5,
        "barometre::minimum",
        "expected a number",
    ),
    (
        "bounds vs constraint",
        lambda: form(
            with_column(
                with_column(survey_rows(), "barometre::minimum", 4, 0), "constraint", 4, ". < 9"
            )
        ),
        "survey",
        5,
        "constraint",
        "must start with the bounds",
    ),
    (
        "bound on text",
        lambda: form(with_column(survey_rows(), "barometre::minimum", 2, 1)),
        "survey",
        3,
        "barometre::unit",
        "only apply to number questions",
    ),
    (
        "group column",
        lambda: form(with_column(survey_rows(), "hint::English (en)", 1, "h")),
        "survey",
        2,
        "hint::English (en)",
        "a group cannot have a value",
    ),
    ("empty survey", lambda: form([SURVEY_HEAD]), "survey", 2, None, "the survey has no question"),
    (
        "duplicate header",
        lambda: form([[*SURVEY_HEAD, "name"], *survey_rows()[1:]]),
        "survey",
        1,
        "G",
        "column 'name' appears twice",
    ),
    (
        "duplicate choice",
        lambda: form(choices=[*choices_rows(), ["uses", "a", "A2", "A2"]]),
        "choices",
        6,
        "name",
        "choice 'a' appears twice",
    ),
    (
        "choice space",
        lambda: form(choices=[*choices_rows(), ["uses", "c d", "C", "C"]]),
        "choices",
        6,
        "name",
        "contains a space",
    ),
    (
        "choice list",
        lambda: form(choices=[*choices_rows(), [None, "c", "C", "C"]]),
        "choices",
        6,
        "list_name",
        "list_name is missing",
    ),
    (
        "choice media",
        lambda: form(choices=with_column(choices_rows(), "media::image", 1, "a.png")),
        "choices",
        2,
        "media::image",
        "media are not supported",
    ),
    (
        "two settings rows",
        lambda: form(settings_=[*SETTINGS, ["other", "2"]]),
        "settings",
        3,
        None,
        "more than one row",
    ),
    (
        "bad form id",
        lambda: form(settings_=[["form_id", "version"], ["m i", "1"]]),
        "settings",
        2,
        "form_id",
        "questionnaire id 'm i'",
    ),
    (
        "diagnostic",
        lambda: form(
            settings_=with_column(SETTINGS, "barometre::diagnostic_questions", 1, "present nope")
        ),
        "settings",
        2,
        "barometre::diagnostic_questions",
        "'nope' is not a question",
    ),
    (
        "not xlsx",
        lambda: io.BytesIO(b"type,name\ntext,x\n"),
        None,
        None,
        None,
        "not a readable .xlsx workbook",
    ),
]


@pytest.mark.parametrize(
    ("source", "sheet", "row", "column", "fragment"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_broken_forms_give_located_errors(
    source: Callable[[], io.BytesIO],
    sheet: str | None,
    row: int | None,
    column: str | None,
    fragment: str,
) -> None:
    """Each unsupported feature or mistake raises XLSFormError at its sheet, row and column."""
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(source())
    error = caught.value
    assert fragment in str(error)
    assert (error.sheet, error.row, error.column) == (sheet, row, column)
    if row is not None:
        assert f"row {row}" in str(error)


def test_error_message_names_the_place() -> None:
    """The message starts with the sheet, row and column."""
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(form(inserted(survey_rows(), 2, ["begin repeat", "r", "R", "R"])))
    assert str(caught.value) == (
        "sheet 'survey', row 3, column 'type': repeat groups are not supported (one answer set "
        "is one row per company)"
    )


# --- property: any valid questionnaire survives the round trip ----------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questionnaires())
def test_round_trip_property(questionnaire: Questionnaire) -> None:
    """write_xlsform then read_xlsform gives back an equal questionnaire."""
    buffer = io.BytesIO()
    write_xlsform(questionnaire, buffer)
    buffer.seek(0)
    assert read_xlsform(buffer) == questionnaire


def test_section_skip_logic_round_trips(tmp_path: Path) -> None:
    """A group's relevant is written on its begin group row and read back."""
    path = tmp_path / "skip.xlsx"
    write_xlsform(section_skip_form(), path)
    sheet = load_workbook(path)["survey"]
    headers = [c.value for c in sheet[1]]
    begin = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "details")
    assert begin[0] == "begin group" and begin[headers.index("relevant")] == "${on} = 'yes'"
    assert read_xlsform(path) == section_skip_form()
