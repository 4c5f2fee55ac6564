"""The rule typology: axes and named cells defined as data, and the assignment of segments.

The study's 2x2 (activity x tempo) ships as ``bpi2018_typology.yaml`` next to the
2018 questionnaire; any other typology in the same shape loads without code.
A respondent who did not answer an axis question is *not classified*: never
dropped silently, always counted.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from barometre.typology._frame import as_polars
from barometre.typology.errors import ColumnError, TypologyDefinitionError, UnknownCategoryError

#: Segment value given to respondents with a missing axis answer.
NOT_CLASSIFIED = "not_classified"
BUILTIN_TYPOLOGY = "bpi2018_typology.yaml"


@dataclass(frozen=True)
class Side:
    """One side of an axis: the choice codes that fall on it."""

    id: str
    codes: tuple[str, ...]
    name_fr: str
    name_en: str


@dataclass(frozen=True)
class Axis:
    """A question split into sides, e.g. activity: inactive side / active side."""

    id: str
    question: str
    name_fr: str
    name_en: str
    sides: tuple[Side, ...]

    def side_of(self, code: str) -> Side:
        """The side a choice code falls on."""
        for side in self.sides:
            if code in side.codes:
                return side
        known = [c for s in self.sides for c in s.codes]
        raise UnknownCategoryError(
            f"answer {code!r} to {self.question!r} is on no side of axis {self.id!r} "
            f"(known codes: {', '.join(known)})"
        )


@dataclass(frozen=True)
class Segment:
    """A named cell of the typology: one side of every axis."""

    id: str
    sides: tuple[tuple[str, str], ...]
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    published_share: float | None

    def name(self, lang: str = "fr") -> str:
        """The segment's name in ``lang`` (``fr`` or ``en``)."""
        return self.name_en if lang == "en" else self.name_fr


@dataclass(frozen=True)
class RuleTypology:
    """A typology defined by rules: axes, and one segment per combination of sides."""

    id: str
    version: str
    questionnaire: str
    name_fr: str
    name_en: str
    axes: tuple[Axis, ...]
    segments: tuple[Segment, ...]

    @property
    def questions(self) -> tuple[str, ...]:
        """The question ids the typology reads."""
        return tuple(a.question for a in self.axes)

    def segment(self, segment_id: str) -> Segment:
        """A segment by id."""
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        raise KeyError(f"typology {self.id!r} has no segment {segment_id!r}")

    def cell(self, sides: Mapping[str, str]) -> Segment:
        """The segment of a combination of sides ``{axis id: side id}``."""
        key = tuple((a.id, sides[a.id]) for a in self.axes)
        for seg in self.segments:
            if seg.sides == key:
                return seg
        raise TypologyDefinitionError(f"typology {self.id!r} has no segment for {dict(key)}")


# -- loading ---------------------------------------------------------------------------


def _text(node: Mapping[str, Any], key: str, where: str) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TypologyDefinitionError(f"{where}: {key!r} must be a non-empty text")
    return value.strip()


def _list(node: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = node.get(key)
    if not isinstance(value, list) or not value:
        raise TypologyDefinitionError(f"{where}: {key!r} must be a non-empty list")
    return value


def _axis(node: Any, i: int) -> Axis:
    where = f"axes[{i}]"
    if not isinstance(node, Mapping):
        raise TypologyDefinitionError(f"{where} must be a mapping")
    sides: list[Side] = []
    seen: dict[str, str] = {}
    for j, raw in enumerate(_list(node, "sides", where)):
        here = f"{where}.sides[{j}]"
        if not isinstance(raw, Mapping):
            raise TypologyDefinitionError(f"{here} must be a mapping")
        codes = tuple(str(c) for c in _list(raw, "codes", here))
        side = Side(
            _text(raw, "id", here), codes, _text(raw, "name_fr", here), _text(raw, "name_en", here)
        )
        for code in codes:
            if code in seen:
                raise TypologyDefinitionError(
                    f"{here}: code {code!r} is already on side {seen[code]!r}"
                )
            seen[code] = side.id
        sides.append(side)
    if len(sides) < 2:
        raise TypologyDefinitionError(f"{where}: an axis needs at least two sides")
    if len({s.id for s in sides}) != len(sides):
        raise TypologyDefinitionError(f"{where}: side ids are repeated")
    return Axis(
        id=_text(node, "id", where),
        question=_text(node, "question", where),
        name_fr=_text(node, "name_fr", where),
        name_en=_text(node, "name_en", where),
        sides=tuple(sides),
    )


def _segment(node: Any, i: int, axes: Sequence[Axis]) -> Segment:
    where = f"segments[{i}]"
    if not isinstance(node, Mapping):
        raise TypologyDefinitionError(f"{where} must be a mapping")
    raw_sides = node.get("sides")
    if not isinstance(raw_sides, Mapping):
        raise TypologyDefinitionError(f"{where}: 'sides' must map every axis id to a side id")
    key: list[tuple[str, str]] = []
    for axis in axes:
        side = raw_sides.get(axis.id)
        if side not in {s.id for s in axis.sides}:
            raise TypologyDefinitionError(
                f"{where}: side {side!r} of axis {axis.id!r} is not one of "
                f"{[s.id for s in axis.sides]}"
            )
        key.append((axis.id, str(side)))
    extra = set(raw_sides) - {a.id for a in axes}
    if extra:
        raise TypologyDefinitionError(f"{where}: unknown axes {sorted(extra)}")
    share = node.get("published_share")
    if share is not None and not (isinstance(share, int | float) and 0 <= share <= 1):
        raise TypologyDefinitionError(f"{where}: published_share must be between 0 and 1")
    return Segment(
        id=_text(node, "id", where),
        sides=tuple(key),
        name_fr=_text(node, "name_fr", where),
        name_en=_text(node, "name_en", where),
        description_fr=_text(node, "description_fr", where),
        description_en=_text(node, "description_en", where),
        published_share=None if share is None else float(share),
    )


def typology_from_dict(data: Mapping[str, Any]) -> RuleTypology:
    """Build and check a typology from its parsed YAML (every combination of sides named once)."""
    if not isinstance(data, Mapping):
        raise TypologyDefinitionError("a typology file must hold a mapping at its top level")
    axes = tuple(_axis(a, i) for i, a in enumerate(_list(data, "axes", "typology")))
    if len({a.id for a in axes}) != len(axes):
        raise TypologyDefinitionError("typology: axis ids are repeated")
    segments = tuple(
        _segment(s, i, axes) for i, s in enumerate(_list(data, "segments", "typology"))
    )
    if len({s.id for s in segments}) != len(segments):
        raise TypologyDefinitionError("typology: segment ids are repeated")
    if NOT_CLASSIFIED in {s.id for s in segments}:
        raise TypologyDefinitionError(f"typology: {NOT_CLASSIFIED!r} is reserved")
    cells = {s.sides for s in segments}
    if len(cells) != len(segments):
        raise TypologyDefinitionError("typology: two segments name the same combination of sides")
    for combo in itertools.product(*[[(a.id, s.id) for s in a.sides] for a in axes]):
        if tuple(combo) not in cells:
            raise TypologyDefinitionError(f"typology: no segment for the combination {dict(combo)}")
    return RuleTypology(
        id=_text(data, "id", "typology"),
        version=str(data.get("version", "")),
        questionnaire=str(data.get("questionnaire", "")),
        name_fr=_text(data, "name_fr", "typology"),
        name_en=_text(data, "name_en", "typology"),
        axes=axes,
        segments=segments,
    )


def parse_typology(text: str) -> RuleTypology:
    """Parse a typology from YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TypologyDefinitionError(f"typology file is not valid YAML: {exc}") from exc
    return typology_from_dict(data)


def load_typology(path: str | Path | None = None) -> RuleTypology:
    """Load a typology file; without ``path``, the built-in 2018 typology."""
    if path is None:
        text = (
            resources.files("barometre.questionnaire")
            .joinpath("data", BUILTIN_TYPOLOGY)
            .read_text(encoding="utf-8")
        )
    else:
        text = Path(path).read_text(encoding="utf-8")
    return parse_typology(text)


# -- assignment ------------------------------------------------------------------------


def assign_segment(
    answers: Mapping[str, str | None], typology: RuleTypology | None = None
) -> Segment | None:
    """The segment of one answer set, or None when an axis question is unanswered."""
    typo = typology or load_typology()
    sides: dict[str, str] = {}
    for axis in typo.axes:
        code = answers.get(axis.question)
        if code is None or code == "":
            return None
        sides[axis.id] = axis.side_of(str(code)).id
    return typo.cell(sides)


@dataclass(frozen=True)
class SegmentCount:
    """How many respondents fell in a segment (or in ``not_classified``)."""

    segment: str
    n: int


@dataclass(frozen=True)
class SegmentAssignment:
    """The segment of every row of a wave, with the not-classified counted."""

    segments: pl.Series
    counts: tuple[SegmentCount, ...]
    n_not_classified: int
    missing_by_question: tuple[tuple[str, int], ...]

    @property
    def n_classified(self) -> int:
        """Rows that received a segment."""
        return int(self.segments.len()) - self.n_not_classified


def assign_segments(
    df: Any, typology: RuleTypology | None = None, name: str = "segment"
) -> SegmentAssignment:
    """Segment of every respondent of a wave (``not_classified`` when an axis is missing)."""
    frame = as_polars(df)
    typo = typology or load_typology()
    missing_cols = [q for q in typo.questions if q not in frame.columns]
    if missing_cols:
        raise ColumnError(f"the wave has no column for the axis questions {missing_cols}")
    side_exprs = []
    for axis in typo.axes:
        col = pl.col(axis.question).cast(pl.Utf8)
        known = [c for s in axis.sides for c in s.codes]
        bad = frame.filter(col.is_not_null() & (col != "") & ~col.is_in(known))
        if bad.height:
            row = frame.with_row_index("__row").filter(
                col.is_not_null() & (col != "") & ~col.is_in(known)
            )
            first = row.row(0, named=True)
            where = (
                f"case_id {first['case_id']!r}" if "case_id" in first else f"row {first['__row']}"
            )
            raise UnknownCategoryError(
                f"{bad.height} answers to {axis.question!r} are on no side of axis {axis.id!r}, "
                f"e.g. {first[axis.question]!r} at {where}"
            )
        expr = pl.lit(None, dtype=pl.Utf8)
        for side in reversed(axis.sides):
            expr = pl.when(col.is_in(list(side.codes))).then(pl.lit(side.id)).otherwise(expr)
        side_exprs.append(expr.alias(f"__side_{axis.id}"))
    sides = frame.select(side_exprs)
    seg_expr = pl.lit(NOT_CLASSIFIED)
    for seg in typo.segments:
        cond = pl.lit(True)
        for axis_id, side_id in seg.sides:
            cond = cond & (pl.col(f"__side_{axis_id}") == side_id).fill_null(False)
        seg_expr = pl.when(cond).then(pl.lit(seg.id)).otherwise(seg_expr)
    segments = sides.select(seg_expr.alias(name)).get_column(name)
    tally = segments.value_counts()
    by_id = dict(zip(tally[name].to_list(), tally["count"].to_list(), strict=True))
    counts = tuple(
        SegmentCount(s, int(by_id.get(s, 0)))
        for s in [*(g.id for g in typo.segments), NOT_CLASSIFIED]
    )
    missing = tuple(
        (
            q,
            int(frame.select((pl.col(q).is_null() | (pl.col(q).cast(pl.Utf8) == "")).sum()).item()),
        )
        for q in typo.questions
    )
    return SegmentAssignment(
        segments=segments,
        counts=counts,
        n_not_classified=int(by_id.get(NOT_CLASSIFIED, 0)),
        missing_by_question=missing,
    )
