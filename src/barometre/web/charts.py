"""The dashboard's charts: server-rendered SVG in the report's chart style (matplotlib).

Drawn with `barometre.report.charts`' colours, fonts and SVG post-processing (title as
`<title>` and `aria-label`, unique ids, scaling with the page). One step more for the web:
the app's Content-Security-Policy forbids inline styles, so matplotlib's `style="..."`
attributes become SVG presentation attributes and its `<style>` element goes; the chart then
renders the same under the CSP, without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from barometre.questionnaire import Language
from barometre.report.charts import ACCENT, INK, MUTED, PALETTE, rows_height, to_svg, wrap_label
from barometre.report.i18n import pct

_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
_FONT = re.compile(r"^(?:(?P<style>italic|oblique|normal)\s+)?(?:(?P<weight>bold|\d{3}|normal)\s+)?"
                   r"(?P<size>[\d.]+px)\s+(?P<family>.+)$")  # fmt: skip


def _presentation(match: re.Match[str]) -> str:
    attributes: list[str] = []
    for declaration in match.group(1).split(";"):
        name, _, value = (part.strip() for part in declaration.partition(":"))
        if not name or not value:
            continue
        if name == "font":
            font = _FONT.match(value)
            if font is None:
                continue
            attributes.append(f'font-size="{font["size"]}"')
            attributes.append(f'font-family="{font["family"].replace(chr(34), chr(39))}"')
            if font["weight"]:
                attributes.append(f'font-weight="{font["weight"]}"')
            continue
        attributes.append(f'{name}="{value.replace(chr(34), chr(39))}"')
    return " ".join(attributes)


def csp_safe(svg: str) -> str:
    """The SVG with inline styles turned into presentation attributes (allowed by the CSP)."""
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<defs>\s*</defs>", "", svg)
    return _STYLE_ATTRIBUTE.sub(_presentation, svg)


def _svg(fig: Figure, title: str) -> str:
    return csp_safe(to_svg(fig, title))


def _day(first: date, offset: int, lang: Language) -> str:
    day = date.fromordinal(first.toordinal() + offset)
    return f"{day.day:02d}/{day.month:02d}" if lang == "fr" else day.strftime("%d %b")


# A dashboard reloaded with the same figures gets the same charts without redrawing them
# (drawing costs about a quarter of a second per chart); callers pass tuples.
@lru_cache(maxsize=64)
def returns_chart(
    days: Sequence[date],
    completed: Sequence[int],
    sends: Sequence[int],
    reminders: Sequence[int],
    *,
    title: str,
    labels: tuple[str, str, str],
    lang: Language,
    narrow: bool = False,
) -> str:
    """Completed questionnaires per day (bars), invitation and reminder days marked.

    `narrow` draws it for a phone screen (about 360 px): fewer ticks, the legend stacked.
    """
    fig = Figure(figsize=(3.7, 2.6) if narrow else (6.6, 2.9))
    ax = fig.add_subplot()
    # Days as numbers from the first one: gaps in fieldwork (week-ends) stay visible.
    first = days[0]
    xs = [(day - first).days for day in days]
    ax.bar(xs, list(completed), color=ACCENT, width=0.8, label=labels[0])
    top = max([*completed, 1])
    for marks, color, style in ((sends, PALETTE[1], "-"), (reminders, PALETTE[2], "--")):
        for x, n in zip(xs, marks, strict=True):
            if n:
                ax.axvline(x, color=color, linestyle=style, linewidth=1.4)
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", "\u202f")))
    span = xs[-1] + 1
    wanted = 3 if narrow else 6
    step = max(1, round(span / wanted / 7) * 7) if span > 14 else max(1, span // wanted or 1)
    ticks = list(range(0, span, step))
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _day(first, int(v), lang)))
    ax.set_xlim(-0.8, span - 0.2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e4e7eb", linewidth=0.6)
    ax.set_axisbelow(True)
    handles = [
        Line2D([], [], color=ACCENT, linewidth=6, label=labels[0]),
        Line2D([], [], color=PALETTE[1], linewidth=1.4, label=labels[1]),
        Line2D([], [], color=PALETTE[2], linewidth=1.4, linestyle="--", label=labels[2]),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14),
              ncol=1 if narrow else 3, frameon=False)  # fmt: skip
    return _svg(fig, title)


@lru_cache(maxsize=64)
def strata_chart(
    labels: Sequence[str],
    rates: Sequence[float | None],
    targets: Sequence[float],
    *,
    title: str,
    legend: tuple[str, str],
    lang: Language,
    narrow: bool = False,
) -> str:
    """Response rate per stratum (bars) with each stratum's target (a tick), top first.

    Targets above 100 % (strata too small to reach them) are drawn at 100 %.
    """
    rows = len(labels)
    wrap = 24 if narrow else 44
    fig = Figure(figsize=(3.7 if narrow else 6.6, 0.7 + rows_height(labels, wrap)))
    ax = fig.add_subplot()
    ys = list(range(rows))[::-1]
    for y, rate, target in zip(ys, rates, targets, strict=True):
        if rate is None:
            ax.text(0.5, y, "—", va="center", color=MUTED)
        else:
            reached = rate >= target
            ax.barh(y, rate * 100, color=ACCENT if reached else MUTED, height=0.62)
        ax.plot([min(target, 1.0) * 100] * 2, [y - 0.4, y + 0.4], color=INK, linewidth=2)
    ax.set_yticks(ys, [wrap_label(label, wrap) for label in labels])
    ax.set_ylim(-0.6, rows - 0.4)
    top = max([*(r or 0 for r in rates), *targets, 0.1])
    ax.set_xlim(0, min(100, top * 100 * 1.1))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: pct(v / 100, lang)))
    ax.grid(axis="x", color="#e4e7eb", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=8)
    handles = [
        Line2D([], [], color=ACCENT, linewidth=6, label=legend[0]),
        Line2D([], [], color=INK, linewidth=2, label=legend[1]),
    ]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2,
              frameon=False, fontsize=8)  # fmt: skip
    return _svg(fig, title)
