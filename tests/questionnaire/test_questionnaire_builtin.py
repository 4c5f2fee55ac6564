"""The built-in 2018 instrument follows the shared vocabulary and validates realistic answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from barometre.questionnaire import (
    NETWORK_QUESTIONS,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    diagnostic_subset,
    is_relevant,
    load_builtin,
    parse_questionnaire_yaml,
    questionnaire_to_json,
    questionnaire_to_yaml,
    validate,
)

VOCABULARY = Path(__file__).resolve().parents[2] / "docs" / "dev" / "vocabulary.md"
TYPES = {
    "single": QuestionType.SINGLE,
    "multiple": QuestionType.MULTIPLE,
    "yes/no": QuestionType.YES_NO,
    "scale4": QuestionType.SCALE4,
    "number": QuestionType.NUMBER,
    "text": QuestionType.TEXT,
}
NETWORKS = NETWORK_QUESTIONS


def vocabulary_rows() -> list[tuple[str, str, QuestionType, tuple[str, ...]]]:
    """(section, question id, type, codes) from the instrument table of vocabulary.md."""
    text = VOCABULARY.read_text(encoding="utf-8")
    table = text.split("## The 2018 instrument", 1)[1].split("\n\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[2] not in TYPES:
            continue
        section, ids, kind, notes = cells
        kind_enum = TYPES[kind]
        if kind_enum is QuestionType.YES_NO:
            codes: tuple[str, ...] = ("yes", "no")
        elif kind_enum.has_choices:
            codes = tuple(re.findall(r"`([^`]+)`", notes.split(";")[0].split("(")[0]))
            if not codes or (section == "profile" and "region" in ids):
                codes = tuple(re.findall(r"`([^`]+)`", notes))
        else:
            codes = ()
        for qid in re.findall(r"`([^`]+)`", ids):
            rows.append((section, qid, kind_enum, codes))
    return rows


@pytest.fixture(scope="module")
def bpi() -> Questionnaire:
    """The built-in 2018 instrument."""
    return load_builtin("bpi2018")


def full_answers(**overrides: object) -> dict[str, object]:
    """A complete, valid answer set of a company present on Facebook only."""
    answers: dict[str, object] = {
        "website": "vitrine",
        **dict.fromkeys(NETWORKS, "no"),
        "net_facebook": "yes",
        "activity": "peu_active",
        "tempo": "en_retard",
        "strategy": "no",
        "spend": "lt_5k",
        "managed_by": ["leader"],
        "staff_trained": "no",
        "marketing_team": "no",
        "actions": ["company_news", "photos"],
        "objectives": ["visibility"],
        "obstacles": ["lack_time", "lack_skills"],
        "competitive_edge": "yes",
        "leader_activity": "inactive",
        "size_band": "20-49",
        "sector": "construction",
        "market": "b2b",
        "region": "53",
        "employee_age": "40_plus",
        "leader_age": "50_59",
        "growth": "stable",
        "headcount": 32,
        "comment": "RAS",
    }
    answers.update(overrides)
    return answers


def test_identity(bpi: Questionnaire) -> None:
    """The instrument is bpi2018 version 2018.1, with FR and EN titles."""
    assert (bpi.id, bpi.version) == ("bpi2018", "2018.1")
    assert bpi.title_fr and bpi.title_en


def test_ids_types_and_codes_match_the_vocabulary(bpi: Questionnaire) -> None:
    """Every question of vocabulary.md exists, in its section, with its type and exact codes."""
    rows = vocabulary_rows()
    assert len(rows) == 27
    assert [qid for _, qid, _, _ in rows] == list(bpi.question_ids)
    for section, qid, kind, codes in rows:
        question = bpi.question(qid)
        assert bpi.section_of(qid).id == section, qid
        assert question.type is kind, qid
        assert question.codes == codes, qid


def test_every_label_and_choice_is_bilingual(bpi: Questionnaire) -> None:
    """All questions, choices and sections have French and English wording that differ in kind."""
    for section in bpi.sections:
        assert section.label_fr.strip() and section.label_en.strip()
    for question in bpi.questions:
        assert question.label_fr.strip() and question.label_en.strip()
        assert (question.hint_fr is None) == (question.hint_en is None), question.id
        for choice in question.choices:
            assert choice.label_fr.strip() and choice.label_en.strip()
    french = " ".join(q.label_fr for q in bpi.questions)
    assert "entreprise" in french and "company" not in french


def test_skip_logic_presence(bpi: Questionnaire) -> None:
    """managed_by, actions and objectives are asked only of companies on at least one network."""
    absent = dict.fromkeys(NETWORKS, "no")
    for qid in ("managed_by", "actions", "objectives"):
        assert not is_relevant(bpi, qid, absent)
        for network in NETWORKS:
            assert is_relevant(bpi, qid, {**absent, network: "yes"})
    conditional = {q.id for q in bpi.questions if q.relevant}
    assert conditional == {"managed_by", "actions", "objectives"}


def test_required_and_optional(bpi: Questionnaire) -> None:
    """Core questions are required; comment, headcount and tick-all lists are optional."""
    optional = {q.id for q in bpi.questions if not q.required}
    assert optional == {"actions", "objectives", "obstacles", "headcount", "comment"}
    headcount = bpi.question("headcount")
    assert (headcount.minimum, headcount.maximum, headcount.unit) == (0, 100000, "employees")
    assert headcount.integer


def test_complete_answers_validate(bpi: Questionnaire) -> None:
    """A realistic complete answer set has no problem; an absent company skips three questions."""
    assert validate(bpi, full_answers()) == ()
    absent = full_answers(net_facebook="no")
    for qid in ("managed_by", "actions", "objectives"):
        del absent[qid]
    assert validate(bpi, absent) == ()  # type: ignore[arg-type]


def test_nobody_is_exclusive(bpi: Questionnaire) -> None:
    """Ticking 'nobody' with someone else in managed_by breaks its constraint."""
    problems = validate(bpi, full_answers(managed_by=["nobody", "agency"]))  # type: ignore[arg-type]
    assert [(p.code.value, p.question_id) for p in problems] == [
        ("constraint_failed", "managed_by")
    ]


def test_diagnostic_subset(bpi: Questionnaire) -> None:
    """The self-diagnostic keeps the networks, activity, organisation, leader and profile core."""
    short = diagnostic_subset(bpi)
    assert short.id == "bpi2018-diagnostic" and short.version == "2018.1"
    assert short.question_ids == (
        *NETWORKS,
        "activity",
        "tempo",
        "strategy",
        "spend",
        "staff_trained",
        "marketing_team",
        "leader_activity",
        "size_band",
        "sector",
        "market",
    )
    assert short.question("activity") == bpi.question("activity")
    assert diagnostic_subset(short) == short
    answers = {k: v for k, v in full_answers().items() if k in short}
    assert validate(short, answers) == ()  # type: ignore[arg-type]


def test_diagnostic_subset_needs_a_definition(bpi: Questionnaire) -> None:
    """A questionnaire without diagnostic questions has no diagnostic subset."""
    plain = bpi.subset(["website"])
    with pytest.raises(QuestionnaireError, match="defines no diagnostic questions"):
        diagnostic_subset(plain)


def test_canonical_text_round_trips(bpi: Questionnaire) -> None:
    """YAML and JSON dumps read back to an equal questionnaire."""
    assert parse_questionnaire_yaml(questionnaire_to_yaml(bpi)) == bpi
    assert parse_questionnaire_yaml(questionnaire_to_json(bpi)) == bpi


def test_unknown_builtin() -> None:
    """Asking for a built-in that does not exist names the available ones."""
    with pytest.raises(QuestionnaireError, match="available: bpi2018"):
        load_builtin("bpi2017")
