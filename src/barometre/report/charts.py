"""Step 2 of the report: charts as self-contained SVG strings, drawn with matplotlib.

One choice for every output: SVG, inlined in the HTML (self-contained, sharp, searchable text)
and rendered by WeasyPrint in the PDF. Each function takes plain numbers and labels and returns
an `<svg>` element; the finding-stating title is the caller's caption, repeated here as the
SVG `<title>` for screen readers. Ids inside each SVG get a unique prefix so that several charts
can live in one HTML page.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import matplotlib

matplotlib.use("Agg")  # no display: the report is rendered on servers and in CI

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from barometre.questionnaire import Language
from barometre.report.i18n import number, pct
from barometre.report.results import Share

INK = "#1f2a44"
ACCENT = "#2a6f97"
MUTED = "#9aa5b1"
PALETTE = ("#2a6f97", "#e07a1f", "#5b8e3e", "#8c4f9f")

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # keep text as text: selectable, and fonts follow the page CSS
        "svg.hashsalt": "barometre",  # stable output for the same numbers
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
    }
)


@dataclass(frozen=True)
class Bar:
    """One labelled share to draw."""

    label: str
    share: Share


def wrap_label(label: str, width: int = 34) -> str:
    """A tick label broken into lines of at most `width` characters (matplotlib's newlines)."""
    return "\n".join(textwrap.wrap(label, width)) or label


def rows_height(labels: Sequence[str], width: int) -> float:
    """Inches of figure height for these labels wrapped at `width`: wrapped labels need
    taller rows, or they run into their neighbours."""
    return sum(0.2 + 0.17 * len(textwrap.wrap(label, width) or [""]) for label in labels)


def to_svg(fig: Figure, title: str) -> str:
    """The figure as an `<svg>` element for inlining: no metadata, ids unique to the chart,
    `title` as its accessible name."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.05, metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # matplotlib's RDF metadata (its version, a URL) is not for readers, and it is bytes.
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # The same numbers give the same file: ids come from the chart's content, not a counter.
    prefix = "c" + hashlib.sha1((title + svg).encode("utf-8")).hexdigest()[:8] + "-"
    # Unique ids per chart: several matplotlib SVGs in one page would otherwise share them.
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', svg)
    # Scale with the page instead of matplotlib's fixed point size.
    # The natural width stays as a CSS variable: on a phone the chart keeps it (its text at
    # least 11 px) and scrolls in its figure rather than shrinking to unreadable labels.
    svg = re.sub(
        r'<svg([^>]*?) width="([^"]+)" height="[^"]+"',
        r'<svg\1 class="chart" style="--natural-width: \2"',
        svg,
        count=1,
    )
    svg = svg.replace(
        ">", f' role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>', 1
    )
    return svg


def _interval(s: Share) -> tuple[float, float] | None:
    if s.ci_low is None or s.ci_high is None or s.estimate is None:
        return None
    return s.estimate - s.ci_low, s.ci_high - s.estimate


def bar_chart(bars: Sequence[Bar], title: str, lang: Language) -> str:
    """Horizontal bars of shares with 95 % CI whiskers and value labels (top bar first)."""
    fig = Figure(figsize=(6.6, 0.45 + rows_height([b.label for b in bars], 34)))
    ax = fig.add_subplot()
    ys = list(range(len(bars)))[::-1]
    for y, b in zip(ys, bars, strict=True):
        s = b.share
        if not s.shown or s.estimate is None:
            ax.text(1, y, pct(None, lang), va="center", color=MUTED, fontweight="bold")
            continue
        ax.barh(y, s.estimate * 100, color=ACCENT, height=0.62)
        err = _interval(s)
        right = s.estimate * 100
        if err is not None:
            ax.errorbar(
                s.estimate * 100,
                y,
                xerr=[[err[0] * 100], [err[1] * 100]],
                fmt="none",
                ecolor=INK,
                elinewidth=1,
                capsize=3,
            )
            right = (s.ci_high or s.estimate) * 100
        ax.text(right + 1.5, y, pct(s.estimate, lang), va="center", color=INK, fontweight="bold")
    ax.set_yticks(ys, [wrap_label(b.label) for b in bars])
    ax.set_xlim(0, 110)
    ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: pct(v / 100, lang)))
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return to_svg(fig, title)


@dataclass(frozen=True)
class Quadrant:
    """One segment of the 2x2 typology, placed by its column (activity) and row (tempo)."""

    label: str
    share: Share
    column: int  # 0 = inactive or barely active, 1 = active or very active
    row: int  # 0 = late, 1 = on time or ahead


def typology_chart(
    quadrants: Sequence[Quadrant],
    axis_labels: tuple[str, str, str, str],
    title: str,
    lang: Language,
) -> str:
    """The 2x2 typology: one square per segment, its area tinted by its share, with CIs.

    `axis_labels` = (left column, right column, bottom row, top row).
    """
    fig = Figure(figsize=(6.2, 4.6))
    ax = fig.add_subplot()
    top = max((q.share.estimate or 0) for q in quadrants) or 1
    for q in quadrants:
        x, y = q.column, q.row
        strength = (q.share.estimate or 0) / top
        ax.add_patch(
            Rectangle(
                (x + 0.02, y + 0.02),
                0.96,
                0.96,
                color=ACCENT,
                alpha=0.15 + 0.6 * strength,
                linewidth=0,
            )
        )
        ax.text(
            x + 0.5,
            y + 0.68,
            wrap_label(q.label, 22),
            ha="center",
            va="center",
            color=INK,
            fontsize=10,
            fontweight="bold",
        )
        ax.text(
            x + 0.5,
            y + 0.42,
            pct(q.share.estimate, lang),
            ha="center",
            va="center",
            color=INK,
            fontsize=20,
            fontweight="bold",
        )
        if q.share.ci_low is not None and q.share.ci_high is not None:
            ci = f"{pct(q.share.ci_low, lang)} – {pct(q.share.ci_high, lang)}"
            ax.text(x + 0.5, y + 0.2, ci, ha="center", va="center", color=INK, fontsize=8.5)
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.set_xticks([0.5, 1.5], [wrap_label(axis_labels[0], 30), wrap_label(axis_labels[1], 30)])
    ax.set_yticks([0.5, 1.5], [wrap_label(axis_labels[2], 16), wrap_label(axis_labels[3], 16)])
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_aspect("auto")
    return to_svg(fig, title)


@dataclass(frozen=True)
class Series:
    """One indicator across the domains of a breakdown."""

    label: str
    shares: tuple[Share, ...]


def dot_plot(domains: Sequence[str], series: Sequence[Series], title: str, lang: Language) -> str:
    """Shares by domain (rows) for one or more indicators (colours), each with its 95 % CI."""
    fig = Figure(figsize=(6.6, 0.9 + max(0.42 * len(domains), rows_height(domains, 26))))
    ax = fig.add_subplot()
    k = len(series)
    ys = list(range(len(domains)))[::-1]
    for j, s in enumerate(series):
        offset = (j - (k - 1) / 2) * 0.22
        color = PALETTE[j % len(PALETTE)]
        for y, share in zip(ys, s.shares, strict=True):
            if not share.shown or share.estimate is None:
                ax.plot([2], [y + offset], marker="x", color=MUTED, markersize=5)
                continue
            err = _interval(share)
            if err is not None:
                ax.plot(
                    [(share.ci_low or 0) * 100, (share.ci_high or 0) * 100],
                    [y + offset] * 2,
                    color=color,
                    linewidth=1.4,
                )
            ax.plot(
                [share.estimate * 100],
                [y + offset],
                "o",
                color=color,
                markersize=6,
            )
        # The legend's key is drawn apart from the data: the first domain may be suppressed.
        ax.plot([], [], "o", color=color, markersize=6, label=s.label)
    ax.set_yticks(ys, [wrap_label(d, 26) for d in domains])
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: pct(v / 100, lang)))
    ax.grid(axis="x", color="#e4e7eb", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if k > 1 and ax.get_legend_handles_labels()[1]:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(k, 3), frameon=False)
    return to_svg(fig, title)


@dataclass(frozen=True)
class OddsRatio:
    """One term of a logistic model."""

    label: str
    odds_ratio: float
    ci_low: float
    ci_high: float


def forest_plot(
    terms: Sequence[OddsRatio], title: str, reference_label: str, lang: Language = "fr"
) -> str:
    """Odds ratios with 95 % CIs on a log scale, a vertical line at 1 (no effect)."""
    fig = Figure(figsize=(6.6, 0.8 + rows_height([t.label for t in terms], 46)))
    ax = fig.add_subplot()
    ys = list(range(len(terms)))[::-1]
    for y, term in zip(ys, terms, strict=True):
        significant = term.ci_low > 1 or term.ci_high < 1
        color = ACCENT if significant else MUTED
        ax.plot([term.ci_low, term.ci_high], [y, y], color=color, linewidth=1.5)
        ax.plot([term.odds_ratio], [y], "s", color=color, markersize=6)
    ax.axvline(1, color=INK, linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    lows = [t.ci_low for t in terms if t.ci_low > 0] or [0.5]
    highs = [t.ci_high for t in terms] or [2.0]
    ax.set_xlim(min(0.5, min(lows) * 0.8), max(2.0, max(highs) * 1.25))
    ticks = [
        v for v in (0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32) if ax.get_xlim()[0] <= v <= ax.get_xlim()[1]
    ]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _odds_tick(v, lang)))
    ax.set_yticks(ys, [wrap_label(t.label, 46) for t in terms])
    ax.set_xlabel(reference_label)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return to_svg(fig, title)


def trend_chart(
    labels: Sequence[str],
    previous: Sequence[Share],
    current: Sequence[Share],
    names: tuple[str, str],
    title: str,
    lang: Language,
) -> str:
    """Each indicator in the earlier wave (hollow) and this one (filled), with 95 % CIs."""
    fig = Figure(figsize=(6.6, 0.9 + max(0.42 * len(labels), rows_height(labels, 34))))
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    for y, p, c in zip(ys, previous, current, strict=True):
        for share, dy, filled in ((p, 0.13, False), (c, -0.13, True)):
            if not share.shown or share.estimate is None:
                continue
            if share.ci_low is not None and share.ci_high is not None:
                ax.plot(
                    [share.ci_low * 100, share.ci_high * 100],
                    [y + dy] * 2,
                    color=ACCENT,
                    linewidth=1.2,
                )
            ax.plot(
                [share.estimate * 100],
                [y + dy],
                "o",
                color=ACCENT,
                markersize=6,
                markerfacecolor=ACCENT if filled else "white",
            )
    ax.plot([], [], "o", color=ACCENT, markerfacecolor="white", label=names[0])
    ax.plot([], [], "o", color=ACCENT, label=names[1])
    ax.set_yticks(ys, [wrap_label(label, 34) for label in labels])
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: pct(v / 100, lang)))
    ax.grid(axis="x", color="#e4e7eb", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    return to_svg(fig, title)


def _odds_tick(value: float, lang: Language) -> str:
    # "0,25" in French, as many decimals as the tick needs (0.1, 0.25, 1, 4).
    digits = next((d for d in range(4) if abs(round(value, d) - value) < 1e-9), 3)
    return number(value, lang, digits)
