"""Reading and writing questionnaire files by suffix, with errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.questionnaire import (
    QuestionnaireError,
    load_builtin,
    parse_questionnaire_yaml,
    read_questionnaire_file,
    write_questionnaire_file,
)


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml", ".yml", ".json"])
def test_write_then_read_by_suffix(tmp_path: Path, suffix: str) -> None:
    """Each supported format reads back to an equal questionnaire."""
    bpi = load_builtin("bpi2018")
    path = tmp_path / f"q{suffix}"
    write_questionnaire_file(bpi, path)
    assert read_questionnaire_file(path) == bpi


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    """A .csv is neither read nor written, and the error lists the formats."""
    with pytest.raises(QuestionnaireError, match=r"use \.xlsx, \.yaml or \.json"):
        write_questionnaire_file(load_builtin("bpi2018"), tmp_path / "q.csv")
    with pytest.raises(QuestionnaireError, match=r"use \.xlsx, \.xls, \.yaml or \.json"):
        read_questionnaire_file(tmp_path / "q.csv")


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    """A missing YAML file gives a QuestionnaireError with the path."""
    path = tmp_path / "missing.yaml"
    with pytest.raises(QuestionnaireError, match=r"missing\.yaml: cannot be read"):
        read_questionnaire_file(path)


def test_errors_in_a_file_name_the_file_and_place(tmp_path: Path) -> None:
    """A mistake inside a YAML file is reported with the file and the place in the data."""
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: x\nversion: '1'\ntitle_fr: T\ntitle_en: T\nsections:\n"
        "  - id: s\n    label_fr: S\n    label_en: S\n    questions:\n"
        "      - {id: q, type: single, label_fr: Q, label_en: Q,\n"
        "         choices: [{code: a, label_fr: A, label_en: A},\n"
        "                   {code: a, label_fr: B, label_en: B}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(QuestionnaireError) as caught:
        read_questionnaire_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: sections[0] (section 's'), questions[0] (question 'q')")
    assert "choice code 'a' appears twice" in message
    assert caught.value.question_id == "q"


def test_invalid_yaml_is_a_questionnaire_error() -> None:
    """Text that is not YAML raises QuestionnaireError, not a yaml exception."""
    with pytest.raises(QuestionnaireError, match="not valid YAML"):
        parse_questionnaire_yaml("id: [unclosed")
    with pytest.raises(QuestionnaireError, match="expected a mapping, found list"):
        parse_questionnaire_yaml("- 1\n- 2\n")
