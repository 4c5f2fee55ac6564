"""What pyxform and KoboToolbox accept imports: settings defaults, header spellings, languages,
loose and nested groups, the new types, expressions, piped labels; real mistakes stay errors."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from barometre.questionnaire import (
    ProblemCode,
    QuestionType,
    XLSFormError,
    calculations,
    import_xlsform,
    pipe,
    read_xlsform,
    relevance,
    validate,
    visible_choices,
    write_xlsform,
)

Rows = list[list[object]]


def workbook(sheets: dict[str, Rows]) -> io.BytesIO:
    """A workbook in memory from sheet name -> rows (first row: headers)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def saved(tmp_path: Path, name: str, sheets: dict[str, Rows]) -> Path:
    """The workbook written to a file named ``name``."""
    path = tmp_path / name
    path.write_bytes(workbook(sheets).getvalue())
    return path


# A KoboToolbox-style form: plain label, no settings, metadata, loose questions, nested and
# unlabelled groups, every new type, a cascading select and piped labels.
SURVEY: Rows = [
    [
        "type",
        "name",
        "label",
        "required",
        "relevant",
        "constraint",
        "calculation",
        "choice_filter",
        "parameters",
        "appearance",
    ],
    ["start", "start"],
    ["today", "today"],
    ["text", "firm", "Name of the company?", "yes", None, "string-length(.) <= 40"],
    ["begin_group", "profile", "Profile", "yes", None, None, None, None, None, "field-list"],
    ["integer", "staff", "How many people work at ${firm}?", None, None, ". >= 0"],
    ["decimal", "share", "Share of sales online (%)", None, None, ". <= 100"],
    ["begin group", "inner"],
    ["range", "rating", "Rate the year", None, None, None, None, None, "start=1 end=5 step=1"],
    ["date", "founded", "When was it founded?", None, None, ". <= today()"],
    ["end group"],
    ["time", "opens", "Opening time"],
    ["end group"],
    ["dateTime", "met", "When did we meet?"],
    ["calculate", "staff2", None, None, None, None, "${staff} * 2"],
    ["note", "hello", "Thank you ${firm}: twice your staff is ${staff2}."],
    ["acknowledge", "ok", "I agree", "yes"],
    ["select_one region", "region", "Region", None, "${ok} = 'OK'"],
    ["select_one city", "city", "City in ${region}", None, None, None, None, "region = ${region}"],
    ["select_multiple uses or_other", "uses", "Uses", None, "${staff} > 0 and ${share} != 3"],
    ["text", "siren", "SIREN", None, None, "regex(., '^[0-9]{9}$')"],
    [
        "integer",
        "extra",
        "Extra",
        None,
        "if(${staff} > 10, 1, 0) = 1 and count-selected(${uses}) >= 1 and not(${share} = 1)",
    ],
    ["text", "cc", "Code", None, "coalesce(${firm}, 'x') != concat('a', 'b')"],
]
CHOICES: Rows = [
    ["list name", "name", "label", "region"],
    ["region", "idf", "Île-de-France"],
    ["region", "bre", "Bretagne"],
    ["city", "paris", "Paris", "idf"],
    ["city", "rennes", "Rennes", "bre"],
    ["city", "brest", "Brest", "bre"],
    ["uses", "sell", "Sell"],
    ["uses", "hire", "Hire"],
]


def kobo_form(tmp_path: Path) -> Path:
    """The KoboToolbox-style form, with a README sheet and an empty settings sheet."""
    return saved(
        tmp_path,
        "Enquête PME 2026.xlsx",
        {
            "survey": SURVEY,
            "choices": CHOICES,
            "settings": [["form_title", "form_id", "version", "style"]],
            "README": [["This form was made in KoboToolbox"], [None, "see", "notes"]],
        },
    )


def test_kobo_form_imports_with_defaults_and_warnings(tmp_path: Path) -> None:
    """No settings: id from the file name, version 1; the README sheet and group `required`
    are warnings, not errors."""
    result = import_xlsform(kobo_form(tmp_path))
    q = result.questionnaire
    assert (q.id, q.version, q.title_fr) == ("Enqu_te_PME_2026", "1", "Enqu_te_PME_2026")
    assert q.languages == ("default", "default")
    assert q.metadata == (("start", "start"), ("today", "today"))
    texts = [str(w) for w in result.warnings]
    assert any("sheet 'README'" in t and "ignored" in t for t in texts)
    assert any("row 5, column 'required'" in t and "no effect" in t for t in texts)
    assert any("or_other" in t for t in texts)


def test_kobo_form_structure_and_types(tmp_path: Path) -> None:
    """Loose questions make untitled sections; nested groups keep their parent; types map."""
    q = read_xlsform(kobo_form(tmp_path))
    layout = [(s.id, s.grouped, s.parent, [x.id for x in s.questions]) for s in q.sections]
    assert layout == [
        ("_1", False, None, ["firm"]),
        ("profile", True, None, ["staff", "share"]),
        ("inner", True, "profile", ["rating", "founded"]),
        ("_2", False, "profile", ["opens"]),
        (
            "_3",
            False,
            None,
            ["met", "staff2", "hello", "ok", "region", "city", "uses", "siren", "extra", "cc"],
        ),
    ]
    assert q.section("inner").label_fr == "" and q.section("profile").appearance == "field-list"
    kinds = {x.id: x.type for x in q.questions}
    assert kinds["founded"] is QuestionType.DATE and kinds["opens"] is QuestionType.TIME
    assert kinds["met"] is QuestionType.DATETIME and kinds["hello"] is QuestionType.NOTE
    assert kinds["ok"] is QuestionType.ACKNOWLEDGE and kinds["staff2"] is QuestionType.CALCULATE
    rating = q.question("rating")
    assert (rating.minimum, rating.maximum, rating.step, rating.integer) == (1, 5, 1, True)
    assert q.question("uses").codes == ("sell", "hire", "other")
    assert q.question("city").choices[0].properties == (("region", "idf"),)


def test_kobo_form_logic(tmp_path: Path) -> None:
    """Arithmetic, if(), count-selected(), calculations, cascading choices and regex work."""
    q = read_xlsform(kobo_form(tmp_path))
    answers = {
        "firm": "Dupont",
        "staff": 12,
        "share": 4.5,
        "ok": "OK",
        "region": "bre",
        "uses": ["sell"],
    }
    assert calculations(q, answers) == {"staff2": 24.0}
    asked = relevance(q, answers)
    assert asked["extra"] and asked["city"] and asked["uses"]
    assert [c.code for c in visible_choices(q, q.question("city"), answers)] == ["rennes", "brest"]
    problems = validate(
        q,
        {
            **answers,
            "city": "paris",
            "siren": "12AB",
            "rating": 6,
            "founded": "2099-01-01",
            "opens": "25:00",
            "ok": "yes",
        },
        today=dt.date(2026, 12, 1),
    )
    found = {(p.question_id, p.code) for p in problems}
    assert ("city", ProblemCode.UNKNOWN_CHOICE) in found
    assert ("siren", ProblemCode.CONSTRAINT_FAILED) in found
    assert ("rating", ProblemCode.OUT_OF_BOUNDS) in found
    assert ("founded", ProblemCode.CONSTRAINT_FAILED) in found
    assert ("opens", ProblemCode.WRONG_TYPE) in found
    assert ("ok", ProblemCode.WRONG_TYPE) in found
    good = {
        **answers,
        "city": "brest",
        "siren": "123456789",
        "rating": 3,
        "founded": "1999-05-02",
        "opens": "08:30",
        "met": "2026-11-30T10:15",
        "extra": 1,
    }
    assert validate(q, good, today=dt.date(2026, 12, 1)) == ()


def test_piped_labels_are_substituted(tmp_path: Path) -> None:
    """${x} shows the answer: a text, a French or English number, a choice label, a calculation."""
    q = read_xlsform(kobo_form(tmp_path))
    answers = {"firm": "Dupont", "staff": 1200, "ok": "OK", "region": "idf"}
    assert pipe(q.label("staff"), q, answers, "fr") == "How many people work at Dupont?"
    assert pipe(q.label("hello"), q, answers, "fr") == (
        "Thank you Dupont: twice your staff is 2\u202f400."
    )
    assert pipe(q.label("hello"), q, answers, "en").endswith("is 2,400.")
    assert pipe(q.label("city"), q, answers) == "City in Île-de-France"
    assert pipe(q.label("city"), q, {}) == "City in "


def test_round_trip_of_the_kobo_form(tmp_path: Path) -> None:
    """The KoboToolbox-style form exports and reads back equal."""
    q = read_xlsform(kobo_form(tmp_path))
    out = tmp_path / "out.xlsx"
    write_xlsform(q, out)
    assert read_xlsform(out) == q


def test_header_spellings_and_languages(tmp_path: Path) -> None:
    """`label:english` (single colon), `List Name`, id_string, a date version and a German
    default language are read as pyxform reads them."""
    path = saved(
        tmp_path,
        "f.xlsx",
        {
            "survey": [
                ["Type", "Name", "label:Deutsch (de)", "label:english", "Relevance"],
                ["select_one yn", "q", "Frage", "Question"],
                ["text", "t", "Text", None, "${q} = 'j'"],
            ],
            "choices": [
                ["List Name", "name", "label:Deutsch (de)", "label:english"],
                ["yn", "j", "Ja", "Yes"],
                ["yn", "n", "Nein", "No"],
            ],
            "settings": [
                ["id_string", "version", "default_language"],
                ["de_form", dt.datetime(2024, 3, 5, 14, 7), "Deutsch (de)"],
            ],
        },
    )
    result = import_xlsform(path)
    q = result.questionnaire
    assert (q.id, q.version, q.languages) == (
        "de_form",
        "202403051407",
        ("Deutsch (de)", "english"),
    )
    assert q.label("q", "fr") == "Frage" and q.label("q", "en") == "Question"
    assert q.label("t", "en") == "Text"  # the missing English falls back, with a warning
    assert any("column 'label::english'" in str(w) for w in result.warnings)
    assert q.question("t").relevant == "${q} = 'j'"
    out = tmp_path / "out.xlsx"
    write_xlsform(q, out)
    assert read_xlsform(out) == q


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["text", "t", "Et ${nonexistent} ?"], "label", "${nonexistent}, which is not a question"),
        (["text", "t", "T", "${a} = \u2018x\u2019"], "relevant", "typographic quote"),
        (
            ["text", "t", "T", "${a} = 'maybe'"],
            "relevant",
            "'maybe', which is not one of its codes",
        ),
        (["begin repeat", "r", "R"], "type", "repeat groups are not supported"),
        (["geopoint", "g", "G"], "type", "locations, media, barcodes and files"),
        (["range", "r", "R", None, "start=1 finish=3"], "parameters", "range parameters"),
    ],
    ids=["piped unknown", "typographic quotes", "unknown code", "repeat", "geopoint", "range"],
)
def test_real_mistakes_stay_located_errors(row: list[object], column: str, fragment: str) -> None:
    """Mistakes pyxform lets through, and unsupported features, are errors with their place."""
    head = ["type", "name", "label", "relevant"]
    if column == "parameters":
        head = ["type", "name", "label", "relevant", "parameters"]
    source = workbook(
        {
            "survey": [head, ["select_one yn", "a", "A"], row],
            "choices": [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
        }
    )
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(source)
    assert fragment in str(caught.value)
    assert (caught.value.sheet, caught.value.row, caught.value.column) == ("survey", 3, column)
