"""Questionnaires shared by the XLSForm tests: a hypothesis strategy and small examples."""

from __future__ import annotations

from hypothesis import strategies as st

from barometre.questionnaire import Choice, Question, Questionnaire, QuestionType, Section

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
    min_size=1,
    max_size=20,
).filter(lambda t: t == t.strip())
_CODE = st.from_regex(r"[a-z0-9_+\-]{1,6}", fullmatch=True)
_NUMBER = st.one_of(
    st.integers(-1000, 1000), st.floats(-1000, 1000, allow_nan=False).map(lambda x: round(x, 3))
)


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    """Random valid questionnaires mixing every type, bounds, hints and skip logic."""
    questions: list[Question] = []
    for index in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(list(QuestionType)))
        qid = f"q{index}"
        choices: tuple[Choice, ...] = ()
        if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.SCALE4):
            size = 4 if kind is QuestionType.SCALE4 else draw(st.integers(2, 4))
            codes = draw(st.lists(_CODE, min_size=size, max_size=size, unique=True))
            choices = tuple(Choice(c, draw(_TEXT), draw(_TEXT)) for c in codes)
        number: dict[str, object] = {}
        if kind is QuestionType.NUMBER and draw(st.booleans()):
            low = draw(st.integers(-10, 10))
            number = {"minimum": low, "maximum": low + draw(st.integers(1, 20)), "step": 1}
            number["integer"] = True
        elif kind is QuestionType.NUMBER:
            low, high = sorted([draw(_NUMBER), draw(_NUMBER)])
            number = {
                "minimum": draw(st.sampled_from([None, low])),
                "maximum": draw(st.sampled_from([None, high])),
                "unit": draw(st.none() | _TEXT),
                "integer": draw(st.booleans()),
                "constraint": draw(st.sampled_from([None, ". != 7", ". != 7 + 2 * 3"])),
            }
        if kind is QuestionType.CALCULATE:
            number = {"calculation": draw(st.sampled_from(["1 + 2", "concat('a', 'b')"]))}
        if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE) and "other" not in [
            c.code for c in choices
        ]:
            number = {"or_other": draw(st.booleans()), "appearance": draw(st.none() | _CODE)}
        earlier_yes_no = [q.id for q in questions if q.type is QuestionType.YES_NO]
        relevant = None
        if earlier_yes_no and draw(st.booleans()):
            relevant = f"${{{draw(st.sampled_from(earlier_yes_no))}}} = 'yes'"
        hint = draw(st.none() | _TEXT)
        labels = ("", "") if kind is QuestionType.CALCULATE else (draw(_TEXT), draw(_TEXT))
        questions.append(
            Question(
                qid,
                kind,
                *labels,
                choices,
                hint_fr=hint,
                hint_en=hint,
                required=draw(st.booleans()),
                relevant=relevant,
                **number,  # type: ignore[arg-type]
            )
        )
    split = draw(st.integers(1, len(questions)))
    parts = [p for p in (questions[:split], questions[split:]) if p]
    first_yes_no = [q.id for q in parts[0] if q.type is QuestionType.YES_NO]
    section_relevant = None
    if len(parts) > 1 and first_yes_no and draw(st.booleans()):
        section_relevant = f"${{{first_yes_no[0]}}} = 'no'"
    # The second part may be nested in the first group, or stand outside any group.
    layout = draw(st.sampled_from(["flat", "nested", "loose"]))
    sections = []
    for i, part in enumerate(parts):
        if i == 1 and layout == "loose":
            sections.append(Section("_1", "", "", tuple(part), grouped=False))
            continue
        label = draw(st.sampled_from(["", "title"]))
        labels = (draw(_TEXT), draw(_TEXT)) if label else ("", "")
        sections.append(
            Section(
                f"s{i}",
                *labels,
                tuple(part),
                section_relevant if i == 1 else None,
                parent="s0" if i == 1 and layout == "nested" else None,
            )
        )
    return Questionnaire(
        "rand",
        draw(st.sampled_from(["1", "2018.1", "v2 (2026-01-05)"])),
        draw(_TEXT),
        draw(_TEXT),
        tuple(sections),
    )


def section_skip_form() -> Questionnaire:
    """Two sections, the second asked only when the first question is answered yes."""
    yes_no = QuestionType.YES_NO
    first = Section("intro", "Intro", "Intro", (Question("on", yes_no, "Actif ?", "On?"),))
    second = Section(
        "details",
        "Détails",
        "Details",
        (Question("why", QuestionType.TEXT, "Pourquoi ?", "Why?", required=True),),
        relevant="${on} = 'yes'",
    )
    return Questionnaire("skip", "1", "Saut", "Skip", (first, second))
