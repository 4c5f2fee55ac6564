"""The rule typology: loaded from data, the 2018 2x2 on hand-made cases, not-classified counted."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

from barometre.typology.errors import ColumnError, TypologyDefinitionError, UnknownCategoryError
from barometre.typology.rules import (
    NOT_CLASSIFIED,
    assign_segment,
    assign_segments,
    load_typology,
    parse_typology,
)

# (activity, tempo) -> segment, from the study's 2x2 (STUDY.md, "The typology")
HAND_MADE = [
    ("inactive", "en_retard", "masse_silencieuse"),
    ("peu_active", "en_retard", "masse_silencieuse"),
    ("inactive", "bon_tempo", "desinvoltes"),
    ("peu_active", "en_avance", "desinvoltes"),
    ("peu_active", "bon_tempo", "desinvoltes"),
    ("active", "en_retard", "combatives"),
    ("tres_active", "en_retard", "combatives"),
    ("active", "bon_tempo", "pionnieres"),
    ("tres_active", "en_avance", "pionnieres"),
    ("active", "en_avance", "pionnieres"),
    ("inactive", "en_avance", "desinvoltes"),
    ("tres_active", "bon_tempo", "pionnieres"),
]

TWO_BY_THREE = """
id: spend_x_strategy
name_fr: Dépense et stratégie
name_en: Spend and strategy
axes:
  - id: spend
    question: spend
    name_fr: Dépense
    name_en: Spend
    sides:
      - {id: none, codes: [zero], name_fr: Rien, name_en: Nothing}
      - {id: small, codes: [lt_5k, 5k_10k], name_fr: Peu, name_en: Little}
      - {id: large, codes: [10k_50k, ge_50k], name_fr: Beaucoup, name_en: A lot}
  - id: strategy
    question: strategy
    name_fr: Stratégie
    name_en: Strategy
    sides:
      - {id: without, codes: ["no"], name_fr: Sans, name_en: Without}
      - {id: with, codes: ["yes"], name_fr: Avec, name_en: With}
segments:
""" + "".join(
    f"""  - id: {a}_{b}
    sides: {{spend: {a}, strategy: {b}}}
    name_fr: {a} {b}
    name_en: {a} {b}
    description_fr: d
    description_en: d
"""
    for a in ("none", "small", "large")
    for b in ("without", "with")
)


def test_builtin_typology_is_the_2018_two_by_two() -> None:
    """The built-in file defines activity x tempo and the study's four named segments."""
    typo = load_typology()
    assert typo.questions == ("activity", "tempo")
    assert [s.id for s in typo.segments] == [
        "masse_silencieuse",
        "desinvoltes",
        "combatives",
        "pionnieres",
    ]
    assert typo.segment("pionnieres").name("fr") == "Pionnières"
    assert typo.segment("masse_silencieuse").name("en") == "Silent majority"
    assert sum(s.published_share or 0 for s in typo.segments) == pytest.approx(1.0)


@pytest.mark.parametrize(("activity", "tempo", "expected"), HAND_MADE)
def test_one_answer_set_gets_its_cell(activity: str, tempo: str, expected: str) -> None:
    """Each activity x tempo answer pair falls in the cell the study defines."""
    segment = assign_segment({"activity": activity, "tempo": tempo})
    assert segment is not None
    assert segment.id == expected


@pytest.mark.parametrize(
    "answers", [{"activity": "active"}, {"activity": None, "tempo": "en_retard"}, {}]
)
def test_missing_axis_answer_is_not_classified(answers: dict[str, str | None]) -> None:
    """An answer set missing an axis question gets no segment."""
    assert assign_segment(answers) is None


def test_unknown_code_is_an_error_naming_the_question() -> None:
    """A code on no side of the axis raises, naming the code and the question."""
    with pytest.raises(UnknownCategoryError, match="'ne_sait_pas' to 'tempo'"):
        assign_segment({"activity": "active", "tempo": "ne_sait_pas"})


def test_wave_assignment_matches_one_by_one_and_counts_not_classified() -> None:
    """The vectorised assignment equals the per-row one; missing axis answers are counted."""
    rows = [{"activity": a, "tempo": t} for a, t, _ in HAND_MADE]
    rows += [{"activity": None, "tempo": "en_retard"}, {"activity": "active", "tempo": None}]
    rows += [{"activity": None, "tempo": None}]
    frame = pl.DataFrame(rows, schema={"activity": pl.Utf8, "tempo": pl.Utf8})
    result = assign_segments(frame)
    expected = [e for _, _, e in HAND_MADE] + [NOT_CLASSIFIED] * 3
    assert result.segments.to_list() == expected
    assert result.n_not_classified == 3
    assert result.n_classified == len(HAND_MADE)
    counts = {c.segment: c.n for c in result.counts}
    assert counts == {
        "masse_silencieuse": 2,
        "desinvoltes": 4,
        "combatives": 2,
        "pionnieres": 4,
        NOT_CLASSIFIED: 3,
    }
    assert dict(result.missing_by_question) == {"activity": 2, "tempo": 2}


def test_wave_assignment_accepts_pandas() -> None:
    """A pandas wave gives the same segments as a polars one."""
    frame = pd.DataFrame({"activity": ["active", None], "tempo": ["en_avance", "en_retard"]})
    assert assign_segments(frame).segments.to_list() == ["pionnieres", NOT_CLASSIFIED]


def test_wave_with_unknown_code_names_the_case() -> None:
    """An unknown code in a wave raises, naming the case id where it occurs."""
    frame = pl.DataFrame(
        {"case_id": ["A", "B"], "activity": ["active", "hyper"], "tempo": ["en_retard"] * 2}
    )
    with pytest.raises(UnknownCategoryError, match="case_id 'B'"):
        assign_segments(frame)


def test_wave_without_axis_column_is_an_error() -> None:
    """A wave lacking an axis question's column is rejected by name."""
    with pytest.raises(ColumnError, match="tempo"):
        assign_segments(pl.DataFrame({"activity": ["active"]}))


def test_a_study_team_defines_another_typology_without_code() -> None:
    """A 3x2 typology written as YAML text assigns segments like the built-in one."""
    typo = parse_typology(TWO_BY_THREE)
    assert len(typo.segments) == 6
    segment = assign_segment({"spend": "5k_10k", "strategy": "yes"}, typo)
    assert segment is not None and segment.id == "small_with"
    frame = pl.DataFrame({"spend": ["zero", "ge_50k", None], "strategy": ["no", "yes", "yes"]})
    assert assign_segments(frame, typo).segments.to_list() == [
        "none_without",
        "large_with",
        NOT_CLASSIFIED,
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("codes: [lt_5k, 5k_10k]", "codes: [zero, 5k_10k]"), "already on side"),
        (
            ("sides: {spend: large, strategy: with}", "sides: {spend: large, strategy: without}"),
            "same combination",
        ),
        (
            ("sides: {spend: none, strategy: with}", "sides: {spend: nowhere, strategy: with}"),
            "side 'nowhere'",
        ),
        (("name_en: Spend\n", "\n"), "'name_en' must be a non-empty text"),
    ],
)
def test_malformed_typology_is_rejected_with_its_place(edit: tuple[str, str], message: str) -> None:
    """Overlapping codes, duplicate or unknown cells and missing names are clear errors."""
    with pytest.raises(TypologyDefinitionError, match=message):
        parse_typology(TWO_BY_THREE.replace(*edit, 1))


def test_missing_combination_is_rejected() -> None:
    """A typology that leaves a combination of sides unnamed is rejected."""
    text = TWO_BY_THREE.split("  - id: large_with")[0]
    with pytest.raises(TypologyDefinitionError, match="no segment for the combination"):
        parse_typology(text)
