"""The report's building blocks: key-figure cards, tables with their bases, and captioned charts.

`sections` turns `WaveResults` into these blocks; the Jinja2 template only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from barometre.questionnaire import Language
from barometre.report.i18n import ci, number, pct, t
from barometre.report.results import Indicator, Share


@dataclass(frozen=True)
class Card:
    """A key figure: label, share, CI and base."""

    label: str
    value: str
    ci: str
    n: str


@dataclass(frozen=True)
class Cards:
    """A row of key-figure cards."""

    cards: tuple[Card, ...]
    kind: str = "cards"


@dataclass(frozen=True)
class Table:
    """A table; `numeric[i]` right-aligns column i; `marked` rows are suppressed cells."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    note: str = ""
    kind: str = "table"


@dataclass(frozen=True)
class Chart:
    """A chart (inline SVG) captioned by the finding it shows."""

    title: str
    svg: Markup
    kind: str = "chart"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text."""

    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section."""

    text: str
    kind: str = "heading"


@dataclass(frozen=True)
class DefinitionList:
    """Label/value pairs (methodology facts)."""

    items: tuple[tuple[str, str], ...]
    kind: str = "definitions"


Block = Cards | Table | Chart | Paragraph | Heading | DefinitionList


@dataclass(frozen=True)
class Section:
    """A titled section of the report."""

    id: str
    title: str
    blocks: tuple[Block, ...]


def card(ind: Indicator, lang: Language, label: str | None = None) -> Card:
    """The key-figure card of one indicator."""
    s = ind.share
    return Card(
        label or ind.label(lang),
        pct(s.estimate, lang),
        ci(s.ci_low, s.ci_high, lang),
        f"n\u00a0=\u00a0{number(s.n, lang)}",
    )


def share_cells(s: Share, lang: Language) -> tuple[str, str, str, str]:
    """Estimate, CI, base and raw share of one share, formatted (suppressed -> "—")."""
    if not s.shown:
        return ("—", "—", number(s.n, lang), "—")
    return (
        pct(s.estimate, lang),
        ci(s.ci_low, s.ci_high, lang),
        number(s.n, lang),
        pct(s.unweighted, lang),
    )


def small_cell_note(rows: Sequence[Sequence[str]], lang: Language, min_base: int) -> str:
    """The "« — » : base under n" footnote, only for a table that shows a "—"."""
    shown = any(cell.startswith("—") for row in rows for cell in row[1:])
    return t("suppressed_note", lang, m=min_base) if shown else ""


def indicator_table(
    caption: str, indicators: Sequence[Indicator], lang: Language, min_base: int
) -> Table:
    """One row per indicator: estimate, 95 % CI, base (n), raw share."""
    rows = tuple((i.label(lang), *share_cells(i.share, lang)) for i in indicators)
    note = (
        t("suppressed_note", lang, m=min_base) if any(not i.share.shown for i in indicators) else ""
    )
    return Table(
        caption,
        (
            t("indicator", lang),
            t("estimate", lang),
            t("ci95", lang),
            t("base_n", lang),
            t("unweighted", lang),
        ),
        rows,
        (False, True, True, True, True),
        note,
    )
