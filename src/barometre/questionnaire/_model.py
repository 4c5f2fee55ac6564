"""The questionnaire model: a questionnaire of sections of questions with coded choices.

Every object is a frozen dataclass compared by value, so that a questionnaire read back from
an XLSForm can be checked with ``==`` against the one written. Definitions are checked when
built: a bad id, a duplicate code or a skip-logic expression that does not parse or names an
unknown (or later) question raises QuestionnaireError naming the question and the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final, Literal

from barometre.questionnaire import _expression as ex
from barometre.questionnaire._errors import (
    ExpressionError,
    QuestionnaireError,
    UnknownQuestionError,
)

Lang = Literal["fr", "en"]

# XLSForm metadata types: recorded by the collection tool, never asked.
METADATA_TYPES: Final = (
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
)
_PIPED_RE: Final = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}")


def piped_names(text: str) -> list[str]:
    """The names a text shows with ``${name}`` (piped labels), in order."""
    return _PIPED_RE.findall(text)


LANGS: Final[tuple[Lang, ...]] = ("fr", "en")

_ID_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_QUESTIONNAIRE_ID_RE: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")
_CODE_RE: Final = re.compile(r"\S+\Z")


class QuestionType(StrEnum):
    """The kinds of question; the value is the name used in data files."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"
    SCALE4 = "scale4"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    NOTE = "note"
    ACKNOWLEDGE = "acknowledge"
    CALCULATE = "calculate"

    @property
    def has_choices(self) -> bool:
        """Whether answers are choice codes."""
        return self in _CHOICE_TYPES

    @property
    def is_input(self) -> bool:
        """Whether the respondent answers it (a note is only read, a calculation is computed)."""
        return self not in (QuestionType.NOTE, QuestionType.CALCULATE)


_CHOICE_TYPES: Final = frozenset(
    {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.YES_NO, QuestionType.SCALE4}
)


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is "fr" or "en", else raise QuestionnaireError."""
    if lang == "fr":
        return "fr"
    if lang == "en":
        return "en"
    raise QuestionnaireError(f"unknown language {lang!r}; use 'fr' or 'en'")


@dataclass(frozen=True)
class Choice:
    """One answer option: a stable, language-neutral code and its labels.

    ``properties`` are the choices sheet's extra columns (name, value), which a cascading
    select's ``choice_filter`` reads (``state = ${state}``).
    """

    code: str
    label_fr: str
    label_en: str
    properties: tuple[tuple[str, str], ...] = ()

    def label(self, lang: str = "fr") -> str:
        """The label in ``lang`` ("fr" or "en")."""
        return self.label_fr if check_lang(lang) == "fr" else self.label_en


YES_NO_CHOICES: Final = (Choice("yes", "Oui", "Yes"), Choice("no", "Non", "No"))
# What ``or_other`` adds to a list, as pyxform does: the code "other".
OTHER_CHOICE: Final = Choice("other", "Autre", "Other")
ACKNOWLEDGED: Final = "OK"
# Label languages as the form's columns name them (French slot, English slot).
DEFAULT_LANGUAGES: Final = ("French (fr)", "English (en)")


def _require_text(value: object, what: str, question_id: str | None, name: str) -> None:
    # Surrounding spaces are refused rather than stripped so that a spreadsheet round trip,
    # which trims cells, gives back an equal questionnaire.
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise QuestionnaireError(
            f"{what}: {name} must be a non-empty text without surrounding spaces",
            question_id=question_id,
            field=name,
        )


def _optional_text(value: object, what: str, question_id: str | None, name: str) -> None:
    if value is not None and (
        not isinstance(value, str) or not value.strip() or value != value.strip()
    ):
        raise QuestionnaireError(
            f"{what}: {name} must be a non-empty text without surrounding spaces, or absent",
            question_id=question_id,
            field=name,
        )


def _parse_expression(
    text: str | None, what: str, question_id: str | None, name: str
) -> ex.Expr | None:
    if text is None:
        return None
    if not isinstance(text, str) or not text.strip() or text != text.strip():
        raise QuestionnaireError(
            f"{what}: {name} must be a non-empty expression without surrounding spaces, or absent",
            question_id=question_id,
            field=name,
        )
    try:
        return ex.parse(text)
    except ExpressionError as error:
        raise QuestionnaireError(
            f"{what}: {name} {text!r} does not parse: {error}",
            question_id=question_id,
            field=name,
        ) from error


@dataclass(frozen=True)
class Question:
    """One question: its type, FR/EN wording, choices, skip logic, constraint and bounds."""

    id: str
    type: QuestionType
    label_fr: str
    label_en: str
    choices: tuple[Choice, ...] = ()
    hint_fr: str | None = None
    hint_en: str | None = None
    required: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message_fr: str | None = None
    constraint_message_en: str | None = None
    unit: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    integer: bool = False
    step: int | float | None = None
    calculation: str | None = None
    choice_filter: str | None = None
    or_other: bool = False
    appearance: str | None = None
    relevant_expr: ex.Expr | None = field(default=None, init=False, compare=False, repr=False)
    constraint_expr: ex.Expr | None = field(default=None, init=False, compare=False, repr=False)
    calculation_expr: ex.Expr | None = field(default=None, init=False, compare=False, repr=False)
    choice_filter_expr: ex.Expr | None = field(default=None, init=False, compare=False, repr=False)
    # The choice codes in order; precomputed because validation looks them up constantly.
    codes: tuple[str, ...] = field(default=(), init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        qid = self.id
        if not isinstance(qid, str) or not _ID_RE.match(qid):
            raise QuestionnaireError(
                f"question id {qid!r} must be a letter or '_' followed by letters, digits or '_'",
                question_id=qid if isinstance(qid, str) else None,
                field="id",
            )
        what = f"question {qid!r}"
        if not isinstance(self.type, QuestionType):
            raise QuestionnaireError(
                f"{what}: unknown type {self.type!r}", question_id=qid, field="type"
            )
        if self.type is QuestionType.CALCULATE and self.label_fr == self.label_en == "":
            pass  # a calculation is never shown, so it may go without a label
        else:
            _require_text(self.label_fr, what, qid, "label_fr")
            _require_text(self.label_en, what, qid, "label_en")
        for name in (
            "hint_fr",
            "hint_en",
            "constraint_message_fr",
            "constraint_message_en",
            "unit",
            "appearance",
        ):
            _optional_text(getattr(self, name), what, qid, name)
        if (
            not isinstance(self.required, bool)
            or not isinstance(self.integer, bool)
            or not isinstance(self.or_other, bool)
        ):
            raise QuestionnaireError(
                f"{what}: required and integer must be true or false",
                question_id=qid,
                field="required",
            )
        self._check_choices()
        object.__setattr__(self, "codes", tuple(choice.code for choice in self.offered_choices))
        self._check_number()
        self._check_kind_fields()
        if (self.constraint_message_fr is None) != (self.constraint_message_en is None):
            raise QuestionnaireError(
                f"{what}: give the constraint message in both French and English",
                question_id=qid,
                field="constraint_message_en",
            )
        if self.constraint_message_fr is not None and self.constraint is None:
            raise QuestionnaireError(
                f"{what}: a constraint message needs a constraint",
                question_id=qid,
                field="constraint",
            )
        relevant = _parse_expression(self.relevant, what, qid, "relevant")
        if relevant is not None and ex.uses_current(relevant):
            raise QuestionnaireError(
                f"{what}: '.' (the current answer) has no meaning in relevant; use ${{question}}",
                question_id=qid,
                field="relevant",
            )
        object.__setattr__(self, "relevant_expr", relevant)
        object.__setattr__(
            self, "constraint_expr", _parse_expression(self.constraint, what, qid, "constraint")
        )
        object.__setattr__(
            self, "calculation_expr", _parse_expression(self.calculation, what, qid, "calculation")
        )
        if self.choice_filter is not None:
            _optional_text(self.choice_filter, what, qid, "choice_filter")
            try:
                # Bare names in a filter are the choices sheet's columns (name, state...).
                filter_expr = ex.parse(self.choice_filter, choice_columns=True)
            except ExpressionError as error:
                raise QuestionnaireError(
                    f"{what}: choice_filter {self.choice_filter!r} does not parse: {error}",
                    question_id=qid,
                    field="choice_filter",
                ) from error
            object.__setattr__(self, "choice_filter_expr", filter_expr)

    @property
    def offered_choices(self) -> tuple[Choice, ...]:
        """The choices a respondent sees: the list, and "other" when ``or_other`` is set."""
        return (*self.choices, OTHER_CHOICE) if self.or_other else self.choices

    def _check_kind_fields(self) -> None:
        qid, what = self.id, f"question {self.id!r}"
        if (self.calculation is None) != (self.type is not QuestionType.CALCULATE):
            raise QuestionnaireError(
                f"{what}: a calculate question needs a calculation, and only it takes one",
                question_id=qid,
                field="calculation",
            )
        if not self.type.has_choices and (self.or_other or self.choice_filter is not None):
            raise QuestionnaireError(
                f"{what}: or_other and choice_filter only apply to choice questions",
                question_id=qid,
                field="choice_filter",
            )
        if self.or_other and "other" in (c.code for c in self.choices):
            raise QuestionnaireError(
                f"{what}: or_other adds the code 'other', which the list already has",
                question_id=qid,
                field="choices",
            )
        if self.step is not None and (
            isinstance(self.step, bool)
            or not isinstance(self.step, int | float)
            or not math.isfinite(self.step)
            or self.step <= 0
            or self.minimum is None
            or self.maximum is None
        ):
            raise QuestionnaireError(
                f"{what}: a range needs a positive step, a minimum and a maximum",
                question_id=qid,
                field="step",
            )

    def _check_choices(self) -> None:
        qid, what = self.id, f"question {self.id!r}"
        if not isinstance(self.choices, tuple) or not all(
            isinstance(c, Choice) for c in self.choices
        ):
            raise QuestionnaireError(
                f"{what}: choices must be a tuple of Choice", question_id=qid, field="choices"
            )
        if not self.type.has_choices:
            if self.choices:
                raise QuestionnaireError(
                    f"{what}: a {self.type.value} question takes no choices",
                    question_id=qid,
                    field="choices",
                )
            return
        if self.type is QuestionType.YES_NO:
            if not self.choices:
                object.__setattr__(self, "choices", YES_NO_CHOICES)
            elif tuple(c.code for c in self.choices) != ("yes", "no"):
                raise QuestionnaireError(
                    f"{what}: a yes/no question has exactly the codes 'yes' and 'no', in order",
                    question_id=qid,
                    field="choices",
                )
        if self.type is QuestionType.SCALE4 and len(self.choices) != 4:
            raise QuestionnaireError(
                f"{what}: a 4-point scale has exactly 4 choices, not {len(self.choices)}",
                question_id=qid,
                field="choices",
            )
        if not self.choices:
            raise QuestionnaireError(
                f"{what}: needs at least one choice", question_id=qid, field="choices"
            )
        seen: set[str] = set()
        for choice in self.choices:
            if not isinstance(choice.code, str) or not _CODE_RE.match(choice.code):
                raise QuestionnaireError(
                    f"{what}: choice code {choice.code!r} must be a non-empty text without spaces",
                    question_id=qid,
                    field="choices",
                )
            if choice.code in seen:
                raise QuestionnaireError(
                    f"{what}: choice code {choice.code!r} appears twice",
                    question_id=qid,
                    field="choices",
                )
            seen.add(choice.code)
            if not isinstance(choice.properties, tuple) or not all(
                isinstance(p, tuple) and len(p) == 2 and all(isinstance(x, str) for x in p)
                for p in choice.properties
            ):
                raise QuestionnaireError(
                    f"{what}: choice {choice.code!r} has properties that are not pairs of texts",
                    question_id=qid,
                    field="choices",
                )
            _require_text(choice.label_fr, f"{what}, choice {choice.code!r}", qid, "choices")
            _require_text(choice.label_en, f"{what}, choice {choice.code!r}", qid, "choices")

    def _check_number(self) -> None:
        qid, what = self.id, f"question {self.id!r}"
        bounds = {"minimum": self.minimum, "maximum": self.maximum}
        if self.type is not QuestionType.NUMBER:
            if (
                self.unit is not None
                or self.integer
                or self.step is not None
                or any(v is not None for v in bounds.values())
            ):
                raise QuestionnaireError(
                    f"{what}: unit, bounds and integer only apply to number questions",
                    question_id=qid,
                    field="unit",
                )
            return
        for name, value in bounds.items():
            if value is None:
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise QuestionnaireError(
                    f"{what}: {name} must be a finite number", question_id=qid, field=name
                )
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise QuestionnaireError(
                f"{what}: minimum {self.minimum} is above maximum {self.maximum}",
                question_id=qid,
                field="maximum",
            )

    def label(self, lang: str = "fr") -> str:
        """The question's wording in ``lang``."""
        return self.label_fr if check_lang(lang) == "fr" else self.label_en

    def hint(self, lang: str = "fr") -> str | None:
        """The hint in ``lang``, if any."""
        return self.hint_fr if check_lang(lang) == "fr" else self.hint_en

    def constraint_message(self, lang: str = "fr") -> str | None:
        """The message shown when the constraint fails, if any."""
        return (
            self.constraint_message_fr if check_lang(lang) == "fr" else self.constraint_message_en
        )

    def choice(self, code: str) -> Choice:
        """The choice with this code; QuestionnaireError if there is none."""
        for choice in self.choices:
            if choice.code == code:
                return choice
        raise QuestionnaireError(
            f"question {self.id!r} has no choice {code!r} (codes: {', '.join(self.codes)})",
            question_id=self.id,
            field="choices",
        )


@dataclass(frozen=True)
class Section:
    """A titled group of questions, optionally skipped as a whole by ``relevant``.

    An XLSForm's nesting is kept flat: a group inside another names it as ``parent`` (its
    questions are asked only when the parent's condition holds too), and questions that
    stand outside any group, or follow a nested group inside its parent, form a section with
    ``grouped=False``, which has no title and is written back without a group row.
    """

    id: str
    label_fr: str
    label_en: str
    questions: tuple[Question, ...]
    relevant: str | None = None
    grouped: bool = True
    parent: str | None = None
    appearance: str | None = None
    relevant_expr: ex.Expr | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID_RE.match(self.id):
            raise QuestionnaireError(
                f"section id {self.id!r} is not a valid identifier", field="id"
            )
        what = f"section {self.id!r}"
        if not (self.label_fr == self.label_en == ""):  # an unlabelled group has no title
            _require_text(self.label_fr, what, None, "label_fr")
            _require_text(self.label_en, what, None, "label_en")
        _optional_text(self.appearance, what, None, "appearance")
        _optional_text(self.parent, what, None, "parent")
        if not isinstance(self.questions, tuple) or not all(
            isinstance(q, Question) for q in self.questions
        ):
            raise QuestionnaireError(
                f"{what}: questions must be a tuple of Question", field="questions"
            )
        if not self.grouped and (
            self.label_fr or self.relevant is not None or self.appearance is not None
        ):
            raise QuestionnaireError(
                f"{what}: questions outside a group have no title, condition or appearance",
                field="grouped",
            )
        if not self.grouped and not self.questions:
            raise QuestionnaireError(f"{what} has no question", field="questions")
        expr = _parse_expression(self.relevant, what, None, "relevant")
        if expr is not None and ex.uses_current(expr):
            raise QuestionnaireError(f"{what}: '.' has no meaning in relevant", field="relevant")
        object.__setattr__(self, "relevant_expr", expr)

    def label(self, lang: str = "fr") -> str:
        """The section title in ``lang``."""
        return self.label_fr if check_lang(lang) == "fr" else self.label_en


@dataclass(frozen=True)
class Questionnaire:
    """A versioned questionnaire; its id and version are stored with every response."""

    id: str
    version: str
    title_fr: str
    title_en: str
    sections: tuple[Section, ...]
    diagnostic_questions: tuple[str, ...] = ()
    # The label columns' languages as the form names them, for the French and the English
    # interface; a form in one language (German, say) shows it in both.
    languages: tuple[str, str] = DEFAULT_LANGUAGES
    # Metadata rows (start, end, today, deviceid...): (type, name), recorded, never asked.
    metadata: tuple[tuple[str, str], ...] = ()
    _by_id: Mapping[str, Question] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    _section_of: Mapping[str, Section] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _QUESTIONNAIRE_ID_RE.match(self.id):
            raise QuestionnaireError(
                f"questionnaire id {self.id!r} must be letters, digits, '_', '.' or '-'", field="id"
            )
        version = self.version
        if not isinstance(version, str) or not version.strip() or version != version.strip():
            raise QuestionnaireError(
                f"questionnaire {self.id!r}: version must be a non-empty text without "
                "surrounding spaces",
                field="version",
            )
        _require_text(self.title_fr, f"questionnaire {self.id!r}", None, "title_fr")
        _require_text(self.title_en, f"questionnaire {self.id!r}", None, "title_en")
        if not isinstance(self.sections, tuple) or not self.sections:
            raise QuestionnaireError(f"questionnaire {self.id!r} has no section", field="sections")
        by_id: dict[str, Question] = {}
        section_of: dict[str, Section] = {}
        section_ids: set[str] = set()
        grouped_ids: set[str] = set()
        for section in self.sections:
            if section.id in section_ids:
                raise QuestionnaireError(
                    f"section id {section.id!r} appears twice", field="id", section_id=section.id
                )
            if section.parent is not None and section.parent not in grouped_ids:
                raise QuestionnaireError(
                    f"section {section.id!r}: parent {section.parent!r} is not an earlier group",
                    field="parent",
                    section_id=section.id,
                )
            section_ids.add(section.id)
            if section.grouped:
                grouped_ids.add(section.id)
            # A section condition may only look at questions asked before the section.
            _check_references(
                section.relevant_expr, by_id, None, f"section {section.id!r}", None, section.id
            )
            for question in section.questions:
                if question.id in by_id:
                    raise QuestionnaireError(
                        f"question id {question.id!r} appears twice",
                        question_id=question.id,
                        field="id",
                    )
                what = f"question {question.id!r}"
                _check_references(question.relevant_expr, by_id, None, what, question.id)
                by_id[question.id] = question
                _check_references(question.constraint_expr, by_id, question, what, question.id)
                for name, expr in (
                    ("calculation", question.calculation_expr),
                    ("choice_filter", question.choice_filter_expr),
                ):
                    _check_references(expr, by_id, None, what, question.id, name=name)
                section_of[question.id] = section
        if not by_id:
            raise QuestionnaireError(f"questionnaire {self.id!r} has no question", field="sections")
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_section_of", section_of)
        self._check_unambiguous(grouped_ids)
        self._check_piped(by_id)
        self._check_languages_and_metadata(by_id)
        if not isinstance(self.diagnostic_questions, tuple):
            raise QuestionnaireError(
                "diagnostic_questions must be a tuple of question ids", field="diagnostic_questions"
            )
        for qid in self.diagnostic_questions:
            if qid not in by_id:
                raise QuestionnaireError(
                    f"diagnostic question {qid!r} is not a question of {self.id!r}",
                    question_id=qid,
                    field="diagnostic_questions",
                )
        if len(set(self.diagnostic_questions)) != len(self.diagnostic_questions):
            raise QuestionnaireError(
                "diagnostic_questions lists a question twice", field="diagnostic_questions"
            )

    def _check_piped(self, by_id: Mapping[str, Question]) -> None:
        # A piped label ``${x}`` shows the answer to x; an unknown name would be shown as is.
        texts: list[tuple[str | None, str | None, str, str | None]] = []
        for section in self.sections:
            texts += [(None, section.id, "label_fr", section.label_fr)]
            texts += [(None, section.id, "label_en", section.label_en)]
        for q in self.questions:
            for name in ("label_fr", "label_en", "hint_fr", "hint_en"):
                texts.append((q.id, None, name, getattr(q, name)))
            for name in ("constraint_message_fr", "constraint_message_en"):
                texts.append((q.id, None, name, getattr(q, name)))
            for choice in q.choices:
                texts += [(q.id, None, "choices", choice.label_fr)]
                texts += [(q.id, None, "choices", choice.label_en)]
        for question_id, section_id, name, text in texts:
            for ref in piped_names(text or ""):
                if ref not in by_id:
                    what = (
                        f"question {question_id!r}"
                        if question_id is not None
                        else f"section {section_id!r}"
                    )
                    raise QuestionnaireError(
                        f"{what}: the text {text!r} shows ${{{ref}}}, which is not a question",
                        question_id=question_id,
                        field=name,
                        section_id=section_id,
                    )

    def _check_languages_and_metadata(self, by_id: Mapping[str, Question]) -> None:
        if (
            not isinstance(self.languages, tuple)
            or len(self.languages) != 2
            or not all(isinstance(x, str) and x.strip() == x and x for x in self.languages)
        ):
            raise QuestionnaireError(
                "languages must be two language names (French slot, English slot)",
                field="languages",
            )
        seen: set[str] = set()
        for item in self.metadata:
            if (
                not isinstance(item, tuple)
                or len(item) != 2
                or not isinstance(item[1], str)
                or not _ID_RE.match(item[1])
                or item[0] not in METADATA_TYPES
            ):
                raise QuestionnaireError(
                    f"metadata {item!r} must be (type, name) with a type among "
                    f"{', '.join(METADATA_TYPES)}",
                    field="metadata",
                )
            if item[1] in by_id or item[1] in seen:
                raise QuestionnaireError(
                    f"metadata name {item[1]!r} is used twice", field="metadata"
                )
            seen.add(item[1])

    def _check_unambiguous(self, section_ids: set[str]) -> None:
        # A section may share its id with a question (section `activity` holds question
        # `activity`), but XLSForm tools then refuse `${activity}` as ambiguous.
        checks: list[tuple[str, str, ex.Expr | None, str | None, str | None]] = [
            (f"section {s.id!r}", "relevant", s.relevant_expr, None, s.id) for s in self.sections
        ]
        for q in self.questions:
            checks.append((f"question {q.id!r}", "relevant", q.relevant_expr, q.id, None))
            checks.append((f"question {q.id!r}", "constraint", q.constraint_expr, q.id, None))
        for what, name, expr, question_id, section_id in checks:
            clash = sorted(ex.references(expr) & section_ids) if expr is not None else []
            if clash:
                raise QuestionnaireError(
                    f"{what}: {name} refers to ${{{clash[0]}}}, which is also a section id; "
                    "XLSForm tools would find it ambiguous, rename the section",
                    question_id=question_id,
                    field=name,
                    section_id=section_id,
                )

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in the order they are asked."""
        return tuple(self._by_id.values())

    @property
    def question_ids(self) -> tuple[str, ...]:
        """Every question id, in order."""
        return tuple(self._by_id)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def question(self, question_id: str) -> Question:
        """The question with this id; UnknownQuestionError (a KeyError) if there is none."""
        try:
            return self._by_id[question_id]
        except KeyError:
            raise UnknownQuestionError(
                f"questionnaire {self.id!r} has no question {question_id!r}",
                question_id=question_id,
            ) from None

    def section_of(self, question_id: str) -> Section:
        """The section holding a question."""
        self.question(question_id)
        return self._section_of[question_id]

    def section(self, section_id: str) -> Section:
        """The section with this id."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise UnknownQuestionError(f"questionnaire {self.id!r} has no section {section_id!r}")

    def label(self, question_id: str, lang: str = "fr") -> str:
        """The wording of a question in ``lang``."""
        return self.question(question_id).label(lang)

    def choice_label(self, question_id: str, code: str, lang: str = "fr") -> str:
        """The label of a choice code of a question in ``lang``."""
        return self.question(question_id).choice(code).label(lang)

    def subset(
        self, question_ids: Iterable[str], *, id: str | None = None, version: str | None = None
    ) -> Questionnaire:
        """A questionnaire keeping only these questions, in this questionnaire's order.

        Sections left empty are dropped. Raises QuestionnaireError if a kept question's skip
        logic or constraint refers to a dropped one.
        """
        keep = set(question_ids)
        for qid in keep:
            self.question(qid)
        sections = []
        for s in self.sections:
            kept = tuple(q for q in s.questions if q.id in keep)
            if kept or (s.grouped and any(t.parent == s.id for t in self.sections)):
                sections.append(replace(s, questions=kept))
        kept_ids = {s.id for s in sections}
        # A group left without questions or subgroups is dropped; so are its dangling children.
        sections = [s for s in sections if s.parent is None or s.parent in kept_ids]
        return Questionnaire(
            id=id or self.id,
            version=version or self.version,
            title_fr=self.title_fr,
            title_en=self.title_en,
            sections=tuple(sections),
            diagnostic_questions=tuple(q for q in self.diagnostic_questions if q in keep),
            languages=self.languages,
            metadata=self.metadata,
        )


def _check_references(
    expr: ex.Expr | None,
    earlier: Mapping[str, Question],
    current: Question | None,
    what: str,
    question_id: str | None,
    section_id: str | None = None,
    name: str | None = None,
) -> None:
    """Refuse references to unknown or later questions, and codes that a question lacks."""
    if expr is None:
        return
    if name is None:
        name = "relevant" if current is None else "constraint"
    for ref in sorted(ex.references(expr)):
        if ref not in earlier:
            raise QuestionnaireError(
                f"{what}: {name} refers to ${{{ref}}}, which is not an earlier question",
                question_id=question_id,
                field=name,
                section_id=section_id,
            )
    for subject, code in ex.code_literals(expr):
        target = current if isinstance(subject, ex.Current) else earlier[subject.name]
        if target is None or not target.type.has_choices:
            continue
        if code not in target.codes:
            raise QuestionnaireError(
                f"{what}: {name} tests ${{{target.id}}} against {code!r}, which is not one of its "
                f"codes ({', '.join(target.codes)})",
                question_id=question_id,
                field=name,
                section_id=section_id,
            )
