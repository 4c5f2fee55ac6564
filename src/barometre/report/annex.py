"""The report's typology, drivers and methodology sections."""

from __future__ import annotations

from markupsafe import Markup

from barometre.questionnaire import Language
from barometre.report import charts, findings
from barometre.report.i18n import (
    employees,
    interval,
    long_date,
    not_classified,
    number,
    p_value,
    pct,
    t,
)
from barometre.report.methodology import Methodology
from barometre.report.results import NumericSummary, WaveResults
from barometre.report.view import (
    Block,
    Chart,
    DefinitionList,
    Heading,
    Paragraph,
    Section,
    Table,
    share_cells,
    small_cell_note,
)


def typology(results: WaveResults, lang: Language) -> Section | None:
    """The 2x2 chart with shares and CIs, then each segment's profile."""
    typ = results.typology
    if typ is None or not typ.segments:
        return None
    blocks: list[Block] = [
        Paragraph(t("typology_intro", lang, nc=not_classified(typ.not_classified, lang)))
    ]
    title = findings.typology_title(typ.segments, lang)
    axes = typ.axis_labels_en if lang == "en" else typ.axis_labels_fr
    quads = [
        charts.Quadrant(s.label(lang), s.share, s.position[0], s.position[1])
        for s in typ.segments
        if s.position is not None
    ]
    if len(quads) == 4 and len(axes) == 4:
        # The chart wants (left, right, bottom, top); the definition lists each axis' sides.
        svg = charts.typology_chart(quads, (axes[0], axes[1], axes[2], axes[3]), title, lang)
        blocks.append(Chart(title, Markup(svg)))
    rows = tuple((s.label(lang), *share_cells(s.share, lang)) for s in typ.segments)
    blocks.append(
        Table(
            t("typology", lang),
            (
                t("segment", lang),
                t("estimate", lang),
                t("ci95", lang),
                t("base_n", lang),
                t("unweighted", lang),
            ),
            rows,
            (False, True, True, True, True),
            small_cell_note(rows, lang, results.min_base),
        )
    )
    for s in typ.segments:
        # The profile shows what sets the segment apart: its significantly over- or
        # under-represented categories (all of them are in results.json).
        flagged = [p for p in s.profile if p.flag]
        if not flagged:
            continue
        blocks.append(
            Heading(
                f"{t('profile', lang)} : {s.label(lang)} (n = {number(s.share.n, lang)})"
                if lang == "fr"
                else f"{t('profile', lang)}: {s.label(lang)} (n = {number(s.share.n, lang)})"
            )
        )
        description = s.description_en if lang == "en" else s.description_fr
        if description:
            blocks.append(Paragraph(description))
        prow = tuple(
            (
                p.label_en if lang == "en" else p.label_fr,
                pct(p.share_in_segment, lang),
                pct(p.share_overall, lang),
                t(p.flag, lang) if p.flag else "",
            )
            for p in flagged
        )
        blocks.append(
            Table(
                s.label(lang),
                (t("category", lang), t("in_segment", lang), t("overall", lang), t("flag", lang)),
                prow,
                (False, True, True, False),
            )
        )
    return Section("typology", t("typology", lang), tuple(blocks))


def drivers(results: WaveResults, lang: Language) -> Section | None:
    """The forest plot of odds ratios and the relative weight of each driver group."""
    d = results.drivers
    if d is None or not d.terms:
        return None
    title = findings.drivers_title(d.groups, lang)
    terms = [
        charts.OddsRatio(
            x.label_en if lang == "en" else x.label_fr, x.odds_ratio, x.ci_low, x.ci_high
        )
        for x in d.terms
    ]
    blocks: list[Block] = [
        Paragraph(t("drivers_intro", lang, n=number(d.n, lang))),
        Chart(title, Markup(charts.forest_plot(terms, title, t("odds_ratio", lang), lang))),
        Table(
            t("odds_ratio", lang),
            (t("factor", lang), t("reference", lang), t("odds_ratio", lang), t("ci95", lang), "p"),
            tuple(
                (
                    x.label_en if lang == "en" else x.label_fr,
                    x.reference_en if lang == "en" else x.reference_fr,
                    number(x.odds_ratio, lang, 2),
                    interval(x.ci_low, x.ci_high, lang, 2),
                    p_value(x.p_value, lang),
                )
                for x in d.terms
            ),
            (False, False, True, True, True),
        ),
    ]
    if d.groups:
        rows = tuple(
            (
                g.label_en if lang == "en" else g.label_fr,
                pct(g.share, lang),
                number(g.delta_r2, lang, 3),
                "—"
                if g.ci_low is None or g.ci_high is None
                else interval(g.ci_low, g.ci_high, lang, 3),
                pct(g.rank_first, lang),
            )
            for g in sorted(d.groups, key=lambda g: -g.delta_r2)
        )
        headers = ("factor", "importance_share", "delta_r2", "ci95", "rank_first")
        blocks.append(
            Table(
                t("importance", lang),
                tuple(t(h, lang) for h in headers),
                rows,
                (False, True, True, True, True),
                t("importance_note", lang),
            )
        )
    return Section("drivers", t("drivers", lang), tuple(blocks))


def variance_lines(results: WaveResults, lang: Language) -> tuple[tuple[str, str], ...]:
    """The annex's words for the variance plan: the design of the SEs, and of the changes'."""
    plan = results.design
    lines: list[tuple[str, str]] = []
    if plan is not None:
        if plan.kind == "calibrated":
            margins = ", ".join(_margin_name(m, lang) for m in plan.margins)
            fpc = t("with_fpc" if plan.fpc else "without_fpc", lang)
            text = t("variance_calibrated", lang, fpc=fpc, margins=margins)
        else:
            text = t("variance_fpc" if plan.kind == "fpc" else "variance_plain", lang)
        lines.append((t("variance_plan", lang), text[:1].upper() + text[1:] + "."))
    if not results.changes:
        trend = t("trend_se_none", lang)
    elif plan is not None and plan.trend_covariance:
        trend = t("trend_se_overlap", lang, n=number(plan.overlap, lang))
    else:
        trend = t("trend_se_independent", lang)
    lines.append((t("trend_se", lang), trend[:1].upper() + trend[1:] + "."))
    return tuple(lines)


def _margin_name(column: str, lang: Language) -> str:
    key = f"margin_{column}"
    try:
        return t(key, lang)
    except KeyError:
        return column.removeprefix("weighting_").replace("_", " ")


def methodology(results: WaveResults, meta: Methodology, lang: Language) -> Section:
    """Frame, design and allocation, fieldwork, AAPOR rates, weighting, how to read a CI."""
    given = t("not_given", lang)
    w = results.weights
    blocks: list[Block] = [
        Heading(t("frame", lang)),
        DefinitionList(
            (
                (t("frame", lang), meta.frame or given),
                (
                    t("population", lang),
                    number(meta.frame_size, lang) if meta.frame_size else given,
                ),
            )
        ),
        Heading(t("sample_design", lang)),
        DefinitionList(
            (
                (t("sample_design", lang), meta.sample_design or given),
                (t("sampled", lang), number(meta.sample_size, lang) if meta.sample_size else given),
                (t("n_respondents", lang), number(results.n_respondents, lang)),
            )
        ),
    ]
    allocation = {a.stratum: a for a in meta.allocation}
    if results.strata:
        rows = []
        for s in results.strata:
            a = allocation.get(s.stratum)
            rows.append(
                (
                    s.label(lang),
                    number(a.population, lang) if a else "—",
                    number(a.sampled, lang) if a else "—",
                    number(s.respondents, lang),
                    number(s.weighted, lang),
                )
            )
        blocks.append(
            Table(
                t("sample_design", lang),
                (
                    t("stratum", lang),
                    t("population", lang),
                    t("sampled", lang),
                    t("respondents", lang),
                    t("weighted_total", lang),
                ),
                tuple(rows),
                (False, True, True, True, True),
            )
        )
    dates = (
        " – ".join(long_date(d, lang) for d in (meta.fieldwork_start, meta.fieldwork_end) if d)
        or given
    )
    blocks += [
        Heading(t("fieldwork", lang)),
        DefinitionList(((t("dates", lang), dates), (t("modes", lang), meta.modes or given))),
        Heading(t("response_rates", lang)),
        DefinitionList(
            tuple((r.name, pct(r.value, lang, 1)) for r in meta.response_rates)
            or ((t("response_rates", lang), given),)
        ),
        Heading(t("weighting", lang)),
        DefinitionList(
            (
                (t("weighting", lang), meta.weighting or given),
                (t("deff", lang), number(w.deff_kish, lang, 2)),
                (t("effective_n", lang), number(w.effective_n, lang)),
                (
                    t("weight_range", lang),
                    f"{number(w.min_weight, lang, 1)} / "
                    f"{number(w.max_weight, lang, 1)} ({number(w.ratio, lang, 1)})",
                ),
                *variance_lines(results, lang),
            )
        ),
        Heading(t("reading_ci", lang)),
        Paragraph(t("reading_ci_text", lang)),
    ]
    if results.notes:
        blocks.append(Heading(t("notes", lang)))
        blocks += [Paragraph(_note(note, lang)) for note in results.notes]
    return Section("methodology", t("methodology", lang), tuple(blocks))


def _reaches_up(h: NumericSummary) -> bool:
    """True when the corrected interval reaches clearly further above the mean than below."""
    if h.mean is None or h.skewed_ci_low is None or h.skewed_ci_high is None:
        return False
    return h.skewed_ci_high - h.mean > 1.05 * (h.mean - h.skewed_ci_low)


def precision(results: WaveResults, lang: Language) -> Section | None:
    """Each key estimate's design effect and effective size, then median and mean headcount."""
    known = {i.id: i for i in results.indicators}
    rows_in = [p for p in results.precision if p.indicator_id in known]
    blocks: list[Block] = []
    if rows_in:
        deffs = sorted(p.deff for p in rows_in)
        example = deffs[len(deffs) // 2]
        blocks.append(
            Paragraph(
                t(
                    "precision_intro",
                    lang,
                    example=number(example, lang, 1),
                    low=number(deffs[0], lang, 2),
                    high=number(deffs[-1], lang, 2),
                )
            )
        )
        rows = tuple(
            (
                known[p.indicator_id].label(lang),
                pct(known[p.indicator_id].share.estimate, lang)
                if known[p.indicator_id].share.shown
                else "—",
                number(p.deff, lang, 2),
                number(p.n, lang),
                number(p.effective_n, lang),
            )
            for p in rows_in
        )
        blocks.append(
            Table(
                t("precision", lang),
                (
                    t("indicator", lang),
                    t("estimate", lang),
                    t("deff_short", lang),
                    t("base_n", lang),
                    t("effective_size", lang),
                ),
                rows,
                (False, True, True, True, True),
            )
        )
    h = results.headcount
    if h is not None and h.median is not None and h.mean is not None:
        items = [(t("base_n", lang), number(h.n, lang))]
        if h.median_ci_low is not None and h.median_ci_high is not None:
            items.append(
                (
                    t("headcount_median", lang),
                    f"{number(h.median, lang)} "
                    f"{interval(h.median_ci_low, h.median_ci_high, lang, 0)}",
                )
            )
        if h.skewed_ci_low is not None and h.skewed_ci_high is not None:
            items.append(
                (
                    t("headcount_mean", lang),
                    f"{number(h.mean, lang, 1)} "
                    f"{interval(h.skewed_ci_low, h.skewed_ci_high, lang, 1)}",
                )
            )
        if h.mean_ci_low is not None and h.mean_ci_high is not None:
            items.append(
                (t("headcount_symmetric", lang), interval(h.mean_ci_low, h.mean_ci_high, lang, 1))
            )
        blocks += [
            Heading(t("headcount", lang)),
            DefinitionList(tuple(items)),
            Paragraph(
                t(
                    "headcount_text" if _reaches_up(h) else "headcount_text_flat",
                    lang,
                    median=employees(h.median, lang),
                    mean=employees(h.mean, lang, 1),
                )
            ),
        ]
    if not blocks:
        return None
    return Section("precision", t("precision", lang), tuple(blocks))


def _note(note: str, lang: Language) -> str:
    """A part left out, said in words: "drivers: <reason>" becomes a sentence in `lang`."""
    part, _, reason = note.partition(": ")
    if part in ("drivers", "typology", "headcount") and reason:
        return t(f"note_{part}", lang, reason=reason)
    return note
