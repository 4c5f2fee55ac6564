"""The results explorer: an indicator by a domain (size, sector, region, market, a pair of them).

Every figure comes from a published wave's stored results (`WaveResults.crossings`, estimated
once with the wave's design and small-cell rule when the report was built): a request only
picks cells, formats them and draws an SVG. It works without JavaScript (a GET form), in
French and English, and `/explorer.csv` downloads exactly the rows shown.
"""

from __future__ import annotations

import csv
import io
import textwrap
import threading
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from barometre.questionnaire import Language
from barometre.report.crossings import EXPLORER_VARIABLES, domain_name
from barometre.report.i18n import ci, number, pct
from barometre.report.indicators import short_name
from barometre.report.results import Breakdown, Indicator, Share, WaveResults
from barometre.report.results_json import results_from_mapping
from barometre.store import Store, Wave
from barometre.web.app import language, web

router = APIRouter(include_in_schema=False)

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Explorer les résultats", "Explore the results"),
    "intro": (
        "Choisissez un indicateur et un domaine : l'estimation pondérée de chaque groupe "
        "d'entreprises s'affiche avec son intervalle de confiance à 95\u00a0% et sa base.",
        "Pick an indicator and a domain: the weighted estimate for each group of companies "
        "is shown with its 95% confidence interval and its base.",
    ),
    "wave": ("Vague", "Wave"),
    "indicator": ("Indicateur", "Indicator"),
    "by": ("Selon", "By"),
    "cross": ("Croisé avec", "Crossed with"),
    "none": ("(aucun croisement)", "(no crossing)"),
    "show": ("Afficher", "Show"),
    "domain": ("Groupe", "Group"),
    "estimate": ("Estimation", "Estimate"),
    "ci": ("IC 95\u00a0%", "95% CI"),
    "base": ("Base (n)", "Base (n)"),
    "all": ("Ensemble", "All companies"),
    "csv": ("Télécharger ces chiffres (CSV)", "Download these figures (CSV)"),
    "small": (
        "«\u00a0—\u00a0»\u00a0: moins de {m}\u00a0répondants dans le groupe, chiffre non publié.",
        '"—": fewer than {m} respondents in the group, figure not published.',
    ),
    "none_published": (
        "Aucune vague n'est encore publiée : les résultats s'afficheront ici après publication.",
        "No wave is published yet: the results will show here once one is.",
    ),
    "no_domains": (
        "Les résultats de cette vague ne contiennent pas les domaines de l'explorateur "
        "(rapport construit par une version antérieure) : reconstruisez-le et publiez-le.",
        "This wave's results hold no explorer domains (a report built by an earlier "
        "version): build and publish it again.",
    ),
    "chart": ("{indicator} — {domain}", "{indicator}, by {domain}"),
}


def _t(key: str, lang: str, **values: object) -> str:
    fr, en = TEXT[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Row:
    """One group of the domain as shown: label, formatted share, CI, base, and the numbers."""

    domain: str
    label: str
    share: Share
    estimate: str
    interval: str
    base: str


class _Cache:
    """Decoded stored results per wave; a wave published again is read again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[int, tuple[object, WaveResults]] = {}

    def get(self, store: Store, wave: Wave) -> WaveResults | None:
        stored = store.wave_results(wave.id)
        if stored is None:
            return None
        with self._lock:
            hit = self._items.get(wave.id)
            if hit is not None and hit[0] == stored.stored_at:
                return hit[1]
        results = results_from_mapping(stored.results, source=f"wave {wave.name!r}")
        with self._lock:
            self._items[wave.id] = (stored.stored_at, results)
        return results


_cache = _Cache()


def published_waves(store: Store) -> list[Wave]:
    """Published waves, newest first."""
    return [w for w in reversed(store.waves()) if w.status == "published"]


def _indicators(results: WaveResults) -> list[Indicator]:
    explored = {c.indicator_id for b in results.crossings for c in b.cells}
    return [i for i in results.indicators if i.id in explored]


def _domain(variable: str, cross: str) -> tuple[str, ...]:
    chosen = [v for v in EXPLORER_VARIABLES if v in (variable, cross)]
    return tuple(chosen) or (EXPLORER_VARIABLES[0],)


def rows_of(
    results: WaveResults, indicator: Indicator, domain: Breakdown, lang: Language
) -> list[Row]:
    """The overall figure, then one row per group of the domain, in the domain's order."""
    rows = [_row("", _t("all", lang), indicator.share, lang)]
    for d in domain.domains:
        cell = domain.cell(indicator.id, d)
        share = cell.share if cell is not None else Share(None, None, None, None, 0, None, True)
        rows.append(_row(d, domain.domain_label(d, lang), share, lang))
    return rows


def _row(domain: str, label: str, share: Share, lang: Language) -> Row:
    shown = share.shown
    return Row(
        domain,
        label,
        share,
        pct(share.estimate, lang) if shown else "—",
        ci(share.ci_low, share.ci_high, lang) if shown else "—",
        number(share.n, lang),
    )


def chart_svg(rows: list[Row], title: str, lang: Language) -> Markup:
    """A dot plot of the rows (estimate and 95 % CI on 0-100 %), drawn as plain SVG.

    Labels sit above their line so that long crossed labels keep the full width; 12 px text
    in a 360-unit-wide drawing stays at 11 px or more on a 390 px phone.
    """
    width, left, right = 360.0, 8.0, 344.0
    scale = (right - left) / 100
    parts: list[str] = []
    y = 8.0
    for r in rows:
        lines = textwrap.wrap(r.label, 52) or [""]
        for line in lines:
            y += 14
            parts.append(
                f'<text x="{left}" y="{y:.0f}" font-size="12" fill="#1f2a44">{escape(line)}</text>'
            )
        y += 12
        s = r.share
        if s.shown and s.estimate is not None:
            x = left + s.estimate * 100 * scale
            if s.ci_low is not None and s.ci_high is not None:
                x0, x1 = left + s.ci_low * 100 * scale, left + s.ci_high * 100 * scale
                parts.append(
                    f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.0f}" y2="{y:.0f}" '
                    'stroke="#2a6f97" stroke-width="2"/>'
                )
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.0f}" r="4.5" fill="#2a6f97"/>')
            # The value sits beside the interval, on the dot's line, never over a label.
            end = left + (s.ci_high if s.ci_high is not None else s.estimate) * 100 * scale
            start = left + (s.ci_low if s.ci_low is not None else s.estimate) * 100 * scale
            beside, anchor = (end + 6, "start") if end + 48 < right else (start - 6, "end")
            parts.append(
                f'<text x="{beside:.1f}" y="{y + 4:.0f}" font-size="12" font-weight="bold" '
                f'text-anchor="{anchor}" fill="#1f2a44">{escape(r.estimate)}</text>'
            )
        else:
            parts.append(
                f'<text x="{left}" y="{y + 4:.0f}" font-size="12" fill="#5f6b7a">'
                f"— (n\u00a0=\u00a0{escape(r.base)})</text>"
            )
        y += 10
    y += 6
    axis = [f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#9aa5b1"/>']
    for tick in (0, 25, 50, 75, 100):
        x = left + tick * scale
        axis.append(f'<line x1="{x}" x2="{x}" y1="{y}" y2="{y + 4}" stroke="#9aa5b1"/>')
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        axis.append(
            f'<text x="{x}" y="{y + 17}" font-size="12" text-anchor="{anchor}" '
            f'fill="#1f2a44">{escape(pct(tick / 100, lang))}</text>'
        )
    height = y + 24
    return Markup(
        f'<svg class="explorer-chart" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(parts)}{''.join(axis)}</svg>"
    )


@dataclass(frozen=True)
class Choice:
    """What the visitor asked for, resolved against a wave's results."""

    wave: Wave
    results: WaveResults
    indicator: Indicator
    variable: str
    cross: str
    domain: Breakdown | None


def _choose(request: Request) -> tuple[list[Wave], Choice | None]:
    app = web(request)
    waves = published_waves(app.store)
    q = request.query_params
    wave = next((w for w in waves if w.name == q.get("wave")), waves[0] if waves else None)
    if wave is None:
        return waves, None
    results = _cache.get(app.store, wave)
    if results is None:
        return waves, None
    indicators = _indicators(results)
    if not indicators:
        return waves, None
    indicator = next((i for i in indicators if i.id == q.get("indicator")), indicators[0])
    variable = str(q.get("by")) if q.get("by") in EXPLORER_VARIABLES else EXPLORER_VARIABLES[0]
    cross = q.get("cross", "") if q.get("cross", "") in EXPLORER_VARIABLES else ""
    cross = "" if cross == variable else cross
    domain = results.crossing(domain_name(_domain(variable, cross)))
    return waves, Choice(wave, results, indicator, variable, cross, domain)


@router.get("/explorer")
async def explorer(request: Request) -> Response:
    """The explorer page: the form, then the chosen indicator by the chosen domain."""
    app = web(request)
    lang = language(request)
    waves, choice = _choose(request)
    context: dict[str, Any] = {
        "x": lambda key, **v: _t(key, lang, **v),
        "waves": waves,
        "variables": [(v, short_name(v, lang)) for v in EXPLORER_VARIABLES],
        "choice": choice,
        "rows": [],
        "chart": "",
        "heading": "",
        "csv_url": "",
        "indicators": [],
        "small_note": "",
    }
    if choice is not None:
        context["indicators"] = [(i.id, i.label(lang)) for i in _indicators(choice.results)]
    if choice is not None and choice.domain is not None:
        rows = rows_of(choice.results, choice.indicator, choice.domain, lang)
        domain_label = choice.domain.label_en if lang == "en" else choice.domain.label_fr
        heading = _t("chart", lang, indicator=choice.indicator.label(lang), domain=domain_label)
        params = {"wave": choice.wave.name, "indicator": choice.indicator.id,
                  "by": choice.variable, "cross": choice.cross, "lang": lang}  # fmt: skip
        context.update(
            rows=rows,
            heading=heading,
            chart=chart_svg(rows, heading, lang),
            csv_url="/explorer.csv?" + urlencode(params),
            small_note=(
                _t("small", lang, m=choice.results.min_base)
                if any(not r.share.shown for r in rows)
                else ""
            ),
        )
    return app.render(request, "explorer.html", 200, **context)


@router.get("/explorer.csv")
async def explorer_csv(request: Request) -> Response:
    """The rows the page shows, as CSV (fractions as in results.json, labels in the language)."""
    lang = language(request)
    _, choice = _choose(request)
    if choice is None or choice.domain is None:
        return Response(_t("none_published", lang), status_code=404, media_type="text/plain")
    rows = rows_of(choice.results, choice.indicator, choice.domain, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["wave", "indicator", "indicator_label", "domain_variable", "domain", "domain_label",
         "estimate", "ci_low", "ci_high", "n", "suppressed"]
    )  # fmt: skip
    for r in rows:
        s = r.share
        writer.writerow(
            [
                choice.wave.name,
                choice.indicator.id,
                choice.indicator.label(lang),
                choice.domain.variable if r.domain else "",
                r.domain,
                r.label,
                "" if not s.shown else s.estimate,
                "" if not s.shown else s.ci_low,
                "" if not s.shown else s.ci_high,
                s.n,
                str(not s.shown).lower(),
            ]
        )
    name = f"barometre-{choice.wave.name}-{choice.indicator.id}-{choice.domain.variable}.csv"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )
