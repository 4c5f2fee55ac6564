"""The report's sections, built from `WaveResults` alone (no data, no statistics here)."""

from __future__ import annotations

from markupsafe import Markup

from barometre.questionnaire import Language
from barometre.report import charts, findings
from barometre.report.i18n import ci, gaps_tested, number, p_value, pct, points, t
from barometre.report.indicators import YES_NO_NAMES, has_short_name, short_name
from barometre.report.results import (
    Breakdown,
    DomainGap,
    Indicator,
    PublishedComparison,
    Share,
    WaveResults,
)
from barometre.report.trends import TREND_KEYS
from barometre.report.view import (
    Block,
    Card,
    Cards,
    Chart,
    Heading,
    Paragraph,
    Section,
    Table,
    card,
    indicator_table,
    small_cell_note,
)

KEY_CARDS = (
    "presence_any",
    "activity.active_or_tres_active",
    "tempo.en_retard",
    "spend.under_10k",
    "obstacles.lack_time",
)
ORGANISATION = (
    "strategy.yes",
    "staff_trained.yes",
    "marketing_team.yes",
    "competitive_edge.yes",
    "managed_by.leader@all",
    "leader_activity.inactive_or_peu_active",
)
HEADLINE = "activity.active_or_tres_active"
BREAKDOWN_CHART = ("presence_any", HEADLINE, "strategy.yes")
COMPARISON_CHART = (
    "presence_any",
    "activity.active_or_tres_active",
    "tempo.en_retard",
    "obstacles.lack_time",
    "strategy.no",
    "managed_by.leader@all",
    "competitive_edge.yes",
)


def _have(results: WaveResults, ids: tuple[str, ...]) -> list[Indicator]:
    known = {i.id: i for i in results.indicators}
    return [known[i] for i in ids if i in known]


def _bars(indicators: list[Indicator], lang: Language) -> list[charts.Bar]:
    return [charts.Bar(i.label(lang), i.share) for i in indicators]


def _svg(text: str) -> Markup:
    return Markup(text)  # matplotlib's own SVG output, with our escaped title only


def _distribution(results: WaveResults, qid: str, lang: Language, topic: str) -> list[Block]:
    plain = [i for i in results.of_question(qid, "answered") if len(i.codes) == 1]
    if not plain:
        return []
    title = findings.distribution_title(plain, lang, t(topic, "fr"), t(topic, "en"))
    return [
        Chart(title, _svg(charts.bar_chart(_bars(plain, lang), title, lang))),
        indicator_table(
            plain[0].question(lang), results.of_question(qid, "answered"), lang, results.min_base
        ),
    ]


def _multiple(results: WaveResults, qid: str, kind: str, lang: Language) -> list[Block]:
    items = [i for i in results.of_question(qid, "answered") if len(i.codes) == 1]
    if not items:
        return []
    title = findings.first_of(items, kind, lang)
    ordered = sorted(items, key=lambda i: -(i.share.estimate or 0.0))
    return [
        Chart(title, _svg(charts.bar_chart(_bars(ordered, lang), title, lang))),
        indicator_table(items[0].question(lang), ordered, lang, results.min_base),
    ]


# What each key figure says, so that a card reads as a finding ("84 % citent le manque de
# temps comme frein"), not as a bare number beside a choice label.
KEY_CARD_TEXT: dict[str, tuple[str, str]] = {
    "presence_any": (
        "des entreprises ont un compte officiel sur au moins un réseau",
        "of companies have an official account on at least one network",
    ),
    "activity.active_or_tres_active": (
        "se disent actives ou très actives sur les réseaux sociaux",
        "say they are active or very active on social networks",
    ),
    "tempo.en_retard": (
        "se sentent en retard sur leur temps",
        "feel they are behind the times",
    ),
    "spend.under_10k": (
        "y consacrent moins de 10\u00a0k€ par an (rien compris)",
        "spend under €10k a year on them (nothing included)",
    ),
    "obstacles.lack_time": (
        "citent le manque de temps comme frein",
        "name lack of time as an obstacle",
    ),
}


def _key_card(ind: Indicator, lang: Language) -> Card:
    fr, en = KEY_CARD_TEXT.get(ind.id, (ind.label("fr"), ind.label("en")))
    return card(ind, lang, en if lang == "en" else fr)


def key_figures(results: WaveResults, lang: Language) -> Section:
    """Presence, activity, tempo, spend and obstacles up front, with CIs and bases."""
    blocks: list[Block] = [
        Paragraph(t("key_figures_intro", lang)),
        Cards(tuple(_key_card(i, lang) for i in _have(results, KEY_CARDS))),
    ]
    presence = _have(results, ("presence_any",))
    if presence:
        title = findings.presence_title(presence[0].share, lang)
        blocks.append(Chart(title, _svg(charts.bar_chart(_bars(presence, lang), title, lang))))
    blocks += _distribution(results, "activity", lang, "activity")
    blocks += _distribution(results, "tempo", lang, "tempo")
    blocks += _distribution(results, "spend", lang, "spend")
    blocks += _multiple(results, "obstacles", "obstacle", lang)
    return Section("key-figures", t("key_figures", lang), tuple(blocks))


def networks(results: WaveResults, lang: Language) -> Section:
    """Each network's share among firms present on at least one."""
    nets = [i for i in results.indicators if i.base == "present"]
    blocks: list[Block] = []
    if nets:
        title = findings.first_of(nets, "network", lang)
        ordered = sorted(nets, key=lambda i: -(i.share.estimate or 0.0))
        blocks += [
            Chart(title, _svg(charts.bar_chart(_bars(ordered, lang), title, lang))),
            indicator_table(t("networks_intro", lang), ordered, lang, results.min_base),
        ]
    return Section("networks", t("networks", lang), tuple(blocks))


def organisation(results: WaveResults, lang: Language) -> Section:
    """Strategy, training, marketing team, who publishes, the leader's own activity."""
    items = _have(results, ORGANISATION)
    blocks: list[Block] = []
    if items:
        title = findings.strategy_title(_have(results, ("strategy.yes",)), items, lang)
        blocks.append(Chart(title, _svg(charts.bar_chart(_bars(items, lang), title, lang))))
        blocks.append(indicator_table(t("organisation", lang), items, lang, results.min_base))
    blocks += _multiple(results, "managed_by", "action", lang)[1:]
    return Section("organisation", t("organisation", lang), tuple(blocks))


def actions_objectives(results: WaveResults, lang: Language) -> Section:
    """What present firms do on networks and what for."""
    blocks = _multiple(results, "actions", "action", lang) + _multiple(
        results, "objectives", "objective", lang
    )
    return Section("actions", t("actions_objectives", lang), tuple(blocks))


def breakdowns(results: WaveResults, lang: Language) -> Section:
    """Key indicators by size band, sector and market, each cell with its base."""
    blocks: list[Block] = []
    known = {i.id: i for i in results.indicators}
    for b in results.breakdowns:
        labels = [b.domain_label(d, lang) for d in b.domains]
        by = short_name(b.variable, lang)
        ids = [i for i in dict.fromkeys(c.indicator_id for c in b.cells) if i in known]
        charted = [i for i in BREAKDOWN_CHART if i in ids]
        series = [
            charts.Series(known[i].label(lang), tuple(_cell_share(b, i, d) for d in b.domains))
            for i in charted
        ]
        gaps = {g.indicator_id: g for g in results.size_gaps if g.variable == b.variable}
        if series:
            # The title states the headline indicator's gap: activity when it is charted; by
            # size, the tested gap (Holm) rather than the overlap of two CIs.
            lead_id = HEADLINE if HEADLINE in charted else charted[0]
            lead = series[charted.index(lead_id)]
            gap = gaps.get(lead_id)
            title = (
                findings.gap_title(
                    lead.label,
                    gap,
                    b.domain_label(gap.domain_a, lang),
                    b.domain_label(gap.domain_b, lang),
                    lang,
                )
                if gap is not None
                else findings.breakdown_title(lead.label, labels, lead.shares, by, lang)
            )
            blocks.append(Chart(title, _svg(charts.dot_plot(labels, series, title, lang))))
        # Domains as rows: sector names are long, indicator names short.
        headers = (by, *(known[i].label(lang) for i in ids))
        rows = []
        for d, label in zip(b.domains, labels, strict=True):
            cells = []
            for ind_id in ids:
                s = _cell_share(b, ind_id, d)
                value = pct(s.estimate, lang) if s.shown else "—"
                cells.append(f"{value} (n\u00a0=\u00a0{number(s.n, lang)})")
            rows.append((label, *cells))
        blocks.append(
            Table(
                by,
                headers,
                tuple(rows),
                (False, *[True] * len(ids)),
                small_cell_note(rows, lang, results.min_base),
            )
        )
        if gaps:
            blocks += _gap_blocks(b, [gaps[i] for i in ids if i in gaps], len(gaps), known, lang)
    return Section("breakdowns", t("breakdowns", lang), tuple(blocks))


def _gap_blocks(
    b: Breakdown,
    gaps: list[DomainGap],
    family: int,
    known: dict[str, Indicator],
    lang: Language,
) -> list[Block]:
    """The tested gaps between size bands: each in points with its CI, Holm's p, a verdict.

    `family` is the number of gaps adjusted together (Holm), named in the introduction.
    """
    if not gaps:
        return []
    rows = tuple(
        (
            known[g.indicator_id].label(lang),
            f"{b.domain_label(g.domain_a, lang)} / {b.domain_label(g.domain_b, lang)}",
            pct(g.share_a, lang),
            pct(g.share_b, lang),
            points(g.difference, lang),
            ci(g.ci_low, g.ci_high, lang),
            p_value(g.p_adjusted, lang),
            findings.gap_verdict(g, lang),
        )
        for g in gaps
    )
    return [
        Heading(t("size_gaps", lang)),
        Paragraph(t("size_gaps_intro", lang, tests=gaps_tested(family, lang))),
        Table(
            t("size_gaps", lang),
            (
                t("indicator", lang),
                t("bands_compared", lang),
                t("share_a", lang),
                t("share_b", lang),
                t("difference", lang),
                t("ci95", lang),
                t("p_holm", lang),
                t("verdict", lang),
            ),
            rows,
            (False, False, True, True, True, True, True, False),
        ),
    ]


def _cell_share(b: Breakdown, ind_id: str, domain: str) -> Share:
    c = b.cell(ind_id, domain)
    return c.share if c is not None else Share(None, None, None, None, 0, None, True)


def _published_label(c: PublishedComparison, known: dict[str, Indicator], lang: Language) -> str:
    if c.indicator_id in known:
        return _long_label(known[c.indicator_id], lang)
    label = c.label_en if lang == "en" else c.label_fr
    return f"{t('segment', lang)}{' : ' if lang == 'fr' else ': '}{label}"


def comparison(results: WaveResults, lang: Language) -> Section | None:
    """This wave against the 2018 published figures, each on the 2018 figure's base."""
    if not results.published:
        return None
    known = {i.id: i for i in results.indicators}
    rows = []
    for c in results.published:
        sig = "—" if c.significant is None else t("yes" if c.significant else "no", lang)
        rows.append(
            (
                _published_label(c, known, lang),
                t(f"base_{c.base}", lang),
                pct(c.published, lang),
                pct(c.share.estimate, lang) if c.share.shown else "—",
                ci(c.share.ci_low, c.share.ci_high, lang),
                number(c.share.n, lang),
                points(c.difference, lang),
                sig,
            )
        )
    # The chart keeps to the study's headline figures and every significant gap (all the
    # figures are in the table): thirty rows would shrink it past reading on a page.
    charted = [
        (row[0], c)
        for row, c in zip(rows, results.published, strict=True)
        if c.significant
        or c.indicator_id in COMPARISON_CHART
        or c.indicator_id.startswith("typology.")
    ]
    labels = [label for label, _ in charted]
    prev = [Share(c.published, None, None, None, 1657, c.published) for _, c in charted]
    cur = [c.share for _, c in charted]
    n_sig = sum(bool(c.significant) for c in results.published)
    title = findings.comparison_title(n_sig, len(rows), lang)
    names = (t("published_2018", lang), t("this_wave", lang))
    suppressed = any(not c.share.shown for c in results.published)
    return Section(
        "comparison",
        t("comparison", lang),
        (
            Paragraph(t("comparison_intro", lang)),
            Chart(title, _svg(charts.trend_chart(labels, prev, cur, names, title, lang))),
            Table(
                t("comparison", lang),
                (
                    t("indicator", lang),
                    t("base_2018", lang),
                    t("published_2018", lang),
                    t("this_wave", lang),
                    t("ci95", lang),
                    t("base_n", lang),
                    t("difference", lang),
                    t("significant_holm", lang),
                ),
                tuple(rows),
                (False, False, True, True, True, True, True, False),
                t("suppressed_note", lang, m=results.min_base) if suppressed else "",
            ),
        ),
    )


def trends(results: WaveResults, lang: Language) -> Section | None:
    """Every indicator's change since the earlier wave, key ones charted."""
    if not results.changes:
        return None
    known = {i.id: i for i in results.indicators}
    previous = results.previous_wave or t("previous", lang)
    key = [c for c in results.changes if c.indicator_id in TREND_KEYS]
    n_sig = sum(c.significant for c in key)
    adjusted = any(c.adjustment for c in key)
    title = findings.trend_title(n_sig, len(key), previous, lang, adjusted=adjusted)
    blocks: list[Block] = []
    if key:
        svg = charts.trend_chart(
            [known[c.indicator_id].label(lang) for c in key],
            [c.previous for c in key],
            [c.current for c in key],
            (previous, results.wave or t("this_wave", lang)),
            title,
            lang,
        )
        blocks.append(Chart(title, _svg(svg)))
    rows = tuple(
        (
            _long_label(known[c.indicator_id], lang),
            pct(c.previous.estimate, lang) if c.previous.shown else "—",
            pct(c.current.estimate, lang) if c.current.shown else "—",
            number(c.current.n, lang),
            points(c.difference, lang),
            ci(c.ci_low, c.ci_high, lang),
            "—" if c.p_value is None else t("yes" if c.significant else "no", lang),
        )
        for c in results.changes
    )
    blocks.append(
        Table(
            t("trends_intro", lang),
            (
                t("indicator", lang),
                previous,
                results.wave or t("this_wave", lang),
                t("base_n", lang),
                t("difference", lang),
                t("ci95", lang),
                t("significant", lang),
            ),
            rows,
            (False, True, True, True, True, True, False),
        )
    )
    return Section("trends", t("trends", lang, wave=previous), tuple(blocks))


def _long_label(ind: Indicator, lang: Language) -> str:
    # In the full list of changes a choice label alone ("Oui", "Rien") is ambiguous.
    if ind.question_id in YES_NO_NAMES or ind.base == "present":
        return ind.label(lang)
    if has_short_name(ind.question_id):
        sep = " : " if lang == "fr" else ": "
        return f"{short_name(ind.question_id, lang)}{sep}{ind.label(lang)}"
    return f"{ind.label(lang)} ({ind.question(lang)})"
