"""What the team dashboard shows of a wave's fieldwork: labels, formatted figures, charts.

`barometre.web.fieldwork` reads the figures; this module turns them into what a study team
reads (labels for strata and categories, never codes; French number formatting; the charts
with their text alternatives), so that the template only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from barometre.diagnostic.benchmark import sector_label, size_label
from barometre.questionnaire import Language, Questionnaire
from barometre.report.i18n import pct
from barometre.store import Wave
from barometre.web.charts import returns_chart, strata_chart
from barometre.web.fieldwork import TARGET_COMPLETES, Fieldwork, fieldwork
from barometre.web.i18n import translate

_STATUS = {
    "draft": ("en préparation", "draft"),
    "open": ("en cours", "open"),
    "closed": ("close", "closed"),
    "published": ("publiée", "published"),
}


def count(n: int, lang: Language) -> str:
    """A count with thousands grouped: "30 000" in French (narrow no-break space), "30,000"."""
    text = f"{n:,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


def wave_label(wave: Wave, lang: Language) -> str:
    """The wave's name and status, in the page's language."""
    fr, en = _STATUS.get(wave.status, (wave.status, wave.status))
    return f"{wave.name} ({en if lang == 'en' else fr})"


@dataclass(frozen=True)
class Chart:
    """A server-rendered chart, its caption, and its data as a table (the text alternative)."""

    svg: str
    narrow_svg: str
    """The same chart drawn for a phone screen (the page shows one or the other by CSS)."""
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class GapRow:
    """One line of the representativity table, formatted."""

    category: str
    frame: str
    respondents: str
    gap: str


@dataclass(frozen=True)
class GapTable:
    """The representativity of returns by one profile variable."""

    title: str
    rows: tuple[GapRow, ...]


def _choice_labels(questionnaire: Questionnaire, question: str, lang: Language) -> dict[str, str]:
    if question not in questionnaire:
        return {}
    return {c.code: c.label(lang) for c in questionnaire.question(question).choices}


def stratum_label(stratum: str, lang: Language) -> str:
    """A size band x sector stratum for people: "De 10 à 19 salariés · transport"."""
    size, _, sector = stratum.partition("|")
    parts = [size_label(size).get(lang)]
    if sector:
        parts.append(sector_label(sector).get(lang))
    first = parts[0]
    if lang == "fr":
        first = first.removeprefix("de ").capitalize()
    else:
        first = first.removeprefix("with ").capitalize()
    return " · ".join([first, *parts[1:]])


def _points(diff: float, lang: Language) -> str:
    value = f"{diff * 100:+.1f}"
    return value.replace(".", ",").replace("-", "\u2212") if lang == "fr" else value


def returns(work: Fieldwork, lang: Language) -> Chart | None:
    """Completed questionnaires per day, with the days invitations and reminders went out."""
    if not work.per_day:
        return None

    def t(key: str) -> str:
        return translate(key, lang)

    caption = t("chart_returns")
    svg, narrow = (
        returns_chart(
            tuple(d.day for d in work.per_day),
            tuple(d.completed for d in work.per_day),
            tuple(d.sent for d in work.per_day),
            tuple(d.reminded for d in work.per_day),
            title=caption,
            labels=(t("completed"), t("sends"), t("reminders")),
            lang=lang,
            narrow=small,
        )
        for small in (False, True)
    )
    day_format = "%d/%m/%Y" if lang == "fr" else "%d %b %Y"
    rows = tuple(
        (
            d.day.strftime(day_format),
            count(d.started, lang),
            count(d.completed, lang),
            count(d.sent, lang),
            count(d.reminded, lang),
        )
        for d in work.per_day
    )
    header = (t("day"), t("started"), t("completed"), t("sends"), t("reminders"))
    return Chart(svg, narrow, caption, header, rows)


def _order(questionnaire: Questionnaire, question: str) -> dict[str, int]:
    labels = _choice_labels(questionnaire, question, "fr")
    return {code: i for i, code in enumerate(labels)}


def strata(work: Fieldwork, questionnaire: Questionnaire, lang: Language) -> Chart | None:
    """Response rate (RR1) per stratum against the rate that gives it its target completes."""
    if not work.strata:
        return None

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    caption = t("chart_strata", n=TARGET_COMPLETES)
    sizes, sectors = _order(questionnaire, "size_band"), _order(questionnaire, "sector")

    def key(stratum: str) -> tuple[int, int, str]:
        size, _, sector = stratum.partition("|")
        return sizes.get(size, len(sizes)), sectors.get(sector, len(sectors)), stratum

    ordered = sorted(work.strata, key=lambda s: key(s.stratum))
    labels = [stratum_label(s.stratum, lang) for s in ordered]
    svg, narrow = (
        strata_chart(
            tuple(labels),
            tuple(s.rate for s in ordered),
            tuple(s.target for s in ordered),
            title=caption,
            legend=(t("rr1_so_far"), t("target")),
            lang=lang,
            narrow=small,
        )
        for small in (False, True)
    )
    rows = tuple(
        (label, count(s.sampled, lang), count(s.complete, lang), pct(s.rate, lang, 1),
         pct(s.target, lang))
        for label, s in zip(labels, ordered, strict=True)
    )  # fmt: skip
    header = (t("stratum"), t("cases"), t("completes"), "RR1", t("target"))
    return Chart(svg, narrow, caption, header, rows)


def representativity(
    work: Fieldwork, questionnaire: Questionnaire, lang: Language
) -> tuple[GapTable, ...]:
    """Respondents' against the frame's shares, by size band, sector and region."""
    tables: list[GapTable] = []
    for variable in ("size_band", "sector", "region"):
        labels = _choice_labels(questionnaire, variable, lang)
        if variable == "sector":
            # The short names read better in a narrow table than the answering labels.
            labels = {code: sector_label(code).get(lang).capitalize() for code in labels}
        order = _order(questionnaire, variable)
        gaps = sorted(
            (g for g in work.representativity if g.variable == variable),
            key=lambda g: (order.get(g.category, len(order)), g.category),
        )
        if not gaps:
            continue
        rows = tuple(
            GapRow(
                labels.get(g.category, g.category),
                pct(g.frame, lang),
                pct(g.respondents, lang),
                "—" if g.respondents is None else _points(g.respondents - g.frame, lang),
            )
            for g in gaps
        )
        tables.append(GapTable(translate(f"by_{variable}", lang), rows))
    return tuple(tables)


def dashboard_context(app: Any, wave: Wave, lang: Language) -> dict[str, Any]:
    """The dashboard template's figures for one wave (`app` is the request's `Web`)."""
    work = fieldwork(app.store, wave.id)
    questionnaire = app.data.questionnaire(wave.id)
    return {
        "work": work,
        "returns_chart": returns(work, lang),
        "strata_chart": strata(work, questionnaire, lang),
        "gap_tables": representativity(work, questionnaire, lang),
        "target_completes": TARGET_COMPLETES,
        "count": lambda n: count(n, lang),
        "rate": lambda x: pct(x, lang, 1),
        "decimal": lambda x: f"{x:.2f}".replace(".", ",") if lang == "fr" else f"{x:.2f}",
        "wave_label": lambda w: wave_label(w, lang),
        "stratum_label": lambda h: stratum_label(h, lang),
    }
