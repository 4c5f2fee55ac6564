"""Public XLSForms (pyxform's examples, KoboToolbox's documentation) import as they are, or are
refused for a feature docs/questionnaire.md lists as unsupported; imported ones round-trip."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from barometre.questionnaire import XLSFormError, import_xlsform, read_xlsform, write_xlsform

CORPUS = Path(__file__).parent / "corpus"
FORMS = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xls", ".xlsx"))
DOCS = Path(__file__).parents[2] / "docs" / "questionnaire.md"

# Each refusal's reason, as the message says it; every one is listed in the documentation.
REFUSALS = (
    "repeat groups are not supported",
    "locations, media, barcodes and files are not collected",
    "media are not supported",
    "external choices are not supported",
    "choices from external files are not supported",
    "default answers are not supported",
    "read-only questions are not supported",
    "hidden questions are not supported",
    "appears twice in list",
    "must be a letter or '_' followed by letters, digits or '_'",
    "unsupported function",
    "does not parse",
    "the survey has no question",
)


def outcome(path: Path) -> str:
    """'imported', or the reason the form is refused."""
    try:
        read_xlsform(path)
    except XLSFormError as error:
        return error.reason
    return "imported"


def test_corpus_counts() -> None:
    """The corpus holds forms from both sources, and most of them import as they are."""
    outcomes = {p.name: outcome(p) for p in FORMS}
    imported = [name for name, result in outcomes.items() if result == "imported"]
    assert len(FORMS) >= 50
    assert {p.parent.name for p in FORMS} == {"pyxform", "kobotoolbox"}
    assert len(imported) >= 22, sorted(set(outcomes) - set(imported))


@pytest.mark.parametrize("path", FORMS, ids=[f"{p.parent.name}/{p.name}" for p in FORMS])
def test_form_imports_or_is_refused_for_a_documented_reason(path: Path) -> None:
    """pyxform converts the form; we import it, or refuse it naming a documented feature."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyxform's own advice, not under test here
        convert(xlsform=str(path), validate=False)
    result = outcome(path)
    if result == "imported":
        return
    reasons = [reason for reason in REFUSALS if reason in result]
    assert reasons, f"{path.name}: refused for an undocumented reason: {result}"
    assert reasons[0] in " ".join(DOCS.read_text(encoding="utf-8").split())


IMPORTED = [p for p in FORMS if outcome(p) == "imported"]


@pytest.mark.parametrize("path", IMPORTED, ids=[f"{p.parent.name}/{p.name}" for p in IMPORTED])
def test_imported_form_round_trips_through_pyxform(path: Path, tmp_path: Path) -> None:
    """Export -> pyxform xls2xform accepts it -> import again gives an equal questionnaire."""
    questionnaire = import_xlsform(path).questionnaire
    exported = tmp_path / f"{questionnaire.id}.xlsx"
    write_xlsform(questionnaire, exported)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = convert(xlsform=str(exported), validate=False)
    assert f'id="{questionnaire.id}"' in result.xform
    assert read_xlsform(exported) == questionnaire
