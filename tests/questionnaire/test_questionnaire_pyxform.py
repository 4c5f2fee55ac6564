"""Exported XLSForms compile with pyxform, the XLSForm compiler behind KoboToolbox and ODK."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from pyxform.xls2xform import convert

from barometre.questionnaire import (
    Question,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    Section,
    load_builtin,
    write_xlsform,
)

from .questionnaire_strategies import questionnaires, section_skip_form


def compile_form(questionnaire: Questionnaire, folder: Path) -> tuple[str, list[str]]:
    """The XForm XML and pyxform's warnings for an exported questionnaire."""
    path = folder / "form.xlsx"
    write_xlsform(questionnaire, path)
    result = convert(xlsform=str(path), validate=False)
    return result.xform, list(result.warnings)


def test_builtin_compiles_without_warnings(tmp_path: Path) -> None:
    """The 2018 instrument compiles cleanly, keeping id, version, skip logic and bounds."""
    xform, warnings = compile_form(load_builtin("bpi2018"), tmp_path)
    assert warnings == []
    assert 'id="bpi2018"' in xform and 'version="2018.1"' in xform
    assert (
        'nodeset="/data/profile/headcount" type="int" constraint=". &gt;= 0 and . &lt;= 100000"'
        in xform
    )
    assert "relevant=\" /data/presence/net_facebook  = 'yes' or" in xform
    assert "Très active" in xform and "Very active" in xform


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questionnaires())
def test_random_questionnaires_compile(
    tmp_path_factory: object, questionnaire: Questionnaire
) -> None:
    """Any valid questionnaire exports to an XLSForm that pyxform accepts without warnings.

    Except one: pyxform advises against or_other in a translated form (its "Other" label is
    English only), which a bilingual form with or_other cannot avoid.
    """
    folder = tmp_path_factory.mktemp("form")  # type: ignore[attr-defined]
    _, warnings = compile_form(questionnaire, folder)
    assert [w for w in warnings if "or_other" not in w] == []


def test_references_to_section_ids_are_refused() -> None:
    """`${name}` naming both a section and a question is refused, as pyxform would refuse it."""
    yes_no = QuestionType.YES_NO
    first = Section("a", "A", "A", (Question("a", yes_no, "A", "A"),))
    second = Section("b", "B", "B", (Question("c", yes_no, "C", "C", relevant="${a} = 'yes'"),))
    with pytest.raises(QuestionnaireError, match="which is also a section id") as caught:
        Questionnaire("t", "1", "T", "T", (first, second))
    assert caught.value.question_id == "c" and caught.value.field == "relevant"


def test_section_skip_logic_compiles(tmp_path: Path) -> None:
    """A group's skip logic becomes the group's relevant in the XForm."""
    xform, warnings = compile_form(section_skip_form(), tmp_path)
    assert warnings == []
    assert 'nodeset="/data/details" relevant=" /data/intro/on  = \'yes\'"' in xform
