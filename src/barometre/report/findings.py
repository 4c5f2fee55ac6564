"""Plain-language chart titles that state the finding, computed from the numbers.

A title never claims more than the data show: "X is the first obstacle" only when X's share is
the highest; "rises with size" only when the first and last domains' CIs do not overlap.
"""

from __future__ import annotations

from collections.abc import Sequence

from barometre.questionnaire import Language
from barometre.report.i18n import firms_in_ten, pct, points
from barometre.report.results import DomainGap, DriverGroup, Indicator, Segment, Share


def _first(indicators: Sequence[Indicator]) -> Indicator | None:
    shown = [i for i in indicators if i.share.shown and i.share.estimate is not None]
    return max(shown, key=lambda i: i.share.estimate or 0.0) if shown else None


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def first_of(indicators: Sequence[Indicator], kind: str, lang: Language) -> str:
    """ "<label> is the first <kind> (<share>)", kind one of obstacle/action/objective/network."""
    top = _first(indicators)
    if top is None:
        return {
            "fr": "Chiffres non publiés (bases trop faibles)",
            "en": "Figures not published (bases too small)",
        }[lang]
    share = pct(top.share.estimate, lang)
    fr_kind = {
        "obstacle": "premier frein",
        "action": "action la plus répandue",
        "objective": "premier objectif",
        "network": "réseau le plus utilisé",
    }
    en_kind = {
        "obstacle": "first obstacle",
        "action": "most common action",
        "objective": "first objective",
        "network": "most used network",
    }
    if lang == "en":
        return f"{top.label('en')} is the {en_kind[kind]} ({share})"
    return f"« {top.label('fr')} » : {fr_kind[kind]} ({share})"


def presence_title(share: Share, lang: Language) -> str:
    """How many firms in ten are present on at least one network."""
    if not share.shown or share.estimate is None:
        return {"fr": "Présence sur les réseaux", "en": "Presence on networks"}[lang]
    who = firms_in_ten(share.estimate, lang)
    share_text = pct(share.estimate, lang)
    if lang == "en":
        verb = "has" if who.startswith("1 firm ") else "have"
        return f"{who} {verb} an official account on a network ({share_text})"
    verb = "a" if who.startswith("1\u00a0entreprise ") or who.startswith("Moins d'une") else "ont"
    return f"{who} {verb} un compte officiel sur un réseau ({share_text})"


def strategy_title(
    strategy: Sequence[Indicator], items: Sequence[Indicator], lang: Language
) -> str:
    """ "Only 30 % of firms have a social network strategy", or the largest organisation item."""
    if strategy and strategy[0].share.shown:
        share = pct(strategy[0].share.estimate, lang)
        few = (strategy[0].share.estimate or 0.0) < 0.5
        if lang == "en":
            return f"{'Only ' if few else ''}{share} of firms have a social network strategy"
        return (
            f"{'Seules ' if few else ''}{share} des entreprises ont une stratégie pour les "
            "réseaux sociaux"
        )
    top = _first(items)
    if top is None:
        return {"fr": "Organisation", "en": "Organisation"}[lang]
    return (
        f"{top.label(lang)} : {pct(top.share.estimate, lang)}"
        if lang == "fr"
        else (f"{top.label(lang)}: {pct(top.share.estimate, lang)}")
    )


def distribution_title(
    indicators: Sequence[Indicator], lang: Language, topic_fr: str, topic_en: str
) -> str:
    """ "<topic>: <most frequent answer> comes first (<share>)"."""
    top = _first(indicators)
    if top is None:
        return topic_en if lang == "en" else topic_fr
    share = pct(top.share.estimate, lang)
    if lang == "en":
        return f'{topic_en}: "{top.label("en")}" comes first ({share})'
    return f"{topic_fr} : « {_lower(top.label('fr'))} » en tête ({share})"


def typology_title(segments: Sequence[Segment], lang: Language) -> str:
    """The largest segment and its share."""
    shown = [s for s in segments if s.share.shown and s.share.estimate is not None]
    if not shown:
        return {"fr": "Typologie", "en": "Typology"}[lang]
    top = max(shown, key=lambda s: s.share.estimate or 0.0)
    share = pct(top.share.estimate, lang)
    if lang == "en":
        return f"The largest group: {top.label('en')} ({share})"
    return f"Le groupe le plus nombreux : {top.label('fr')} ({share})"


def breakdown_title(
    indicator_label: str,
    domains: Sequence[str],
    shares: Sequence[Share],
    by: str,
    lang: Language,
) -> str:
    """Which domain has the highest and the lowest share, and whether the gap is clear."""
    pairs = [
        (d, s) for d, s in zip(domains, shares, strict=True) if s.shown and s.estimate is not None
    ]
    if len(pairs) < 2:
        return f"{indicator_label} — {by}"
    hi = max(pairs, key=lambda p: p[1].estimate or 0.0)
    lo = min(pairs, key=lambda p: p[1].estimate or 0.0)
    clear = (lo[1].ci_high or 1.0) < (hi[1].ci_low or 0.0)
    a, b = pct(hi[1].estimate, lang), pct(lo[1].estimate, lang)
    if lang == "en":
        verdict = "a clear gap" if clear else "a gap within the margin of error"
        return f"{indicator_label}: from {b} ({lo[0]}) to {a} ({hi[0]}), {verdict}"
    verdict = "un écart net" if clear else "un écart dans la marge d'erreur"
    return f"{indicator_label} : de {b} ({lo[0]}) à {a} ({hi[0]}), {verdict}"


def gap_verdict(gap: DomainGap, lang: Language) -> str:
    """ "écart significatif" only when Holm's adjusted p < 0.05, else "pas d'écart établi"."""
    if lang == "en":
        return "significant gap" if gap.significant else "no gap established"
    return "écart significatif" if gap.significant else "pas d'écart établi"


def gap_title(
    indicator_label: str, gap: DomainGap, label_a: str, label_b: str, lang: Language
) -> str:
    """The tested gap between two size bands: "X : 41 % (50-249) contre 33 % (0-9), ..."."""
    a, b = pct(gap.share_a, lang), pct(gap.share_b, lang)
    verdict = gap_verdict(gap, lang)
    if gap.significant:
        how = f" de {points(gap.difference, lang)} points" if lang == "fr" else ""
        verdict = (
            f"{verdict}{how}"
            if lang == "fr"
            else f"a {verdict} of {points(gap.difference, lang)} points"
        )
    if lang == "en":
        return f"{indicator_label}: {a} ({label_a}) against {b} ({label_b}), {verdict}"
    return f"{indicator_label} : {a} ({label_a}) contre {b} ({label_b}), {verdict}"


def drivers_title(groups: Sequence[DriverGroup], lang: Language) -> str:
    """The driver group that weighs most, as sure as the bootstrap allows."""
    ranked = sorted(groups, key=lambda g: -g.delta_r2)
    if not ranked:
        return {"fr": "Facteurs de l'activité", "en": "Drivers of activity"}[lang]
    top = ranked[0].label_en if lang == "en" else ranked[0].label_fr
    first = ranked[0].rank_first
    if first is not None and first < 0.8 and len(ranked) > 1:
        second = ranked[1].label_en if lang == "en" else ranked[1].label_fr
        if lang == "en":
            return f"{top} and {second} weigh most; their order is uncertain"
        return f"{top} et {second} pèsent le plus ; leur ordre est incertain"
    sure = (
        ""
        if first is None
        else f" (en tête dans {pct(first, lang)} des tirages)"
        if lang == "fr"
        else (f" (first in {pct(first, lang)} of replicates)")
    )
    if lang == "en":
        return f"{top} weighs most in a company's activity{sure}"
    return f"{top} : le facteur qui pèse le plus sur l'activité{sure}"


def trend_title(
    n_significant: int, n_total: int, previous: str, lang: Language, *, adjusted: bool = False
) -> str:
    """How many indicators changed significantly since the earlier wave (and how tested)."""
    if lang == "en":
        how = f" (Holm correction for {n_total} tests)" if adjusted else ""
        return (
            f"{n_significant} of {n_total} key indicators changed significantly since "
            f"{previous}{how}"
        )
    many = n_significant > 1
    how = f" (correction de Holm pour {n_total} tests)" if adjusted else ""
    return (
        f"{n_significant} indicateur{'s' if many else ''} clé{'s' if many else ''} sur "
        f"{n_total} {'ont' if many else 'a'} changé significativement depuis {previous}{how}"
    )


def comparison_title(n_significant: int, n_total: int, lang: str) -> str:
    """How many of the figures compared with 2018 differ after Holm's correction."""
    if lang == "en":
        figures = "figure" if n_total == 1 else "figures"
        verb = "differs" if n_significant == 1 else "differ"
        return (
            f"{n_significant} of {n_total} {figures} {verb} clearly from those published "
            "in 2018 (Holm's correction)"
        )
    if n_significant == 0:
        return (
            f"Aucun des {n_total} chiffres ne s'écarte nettement de ceux publiés en 2018 "
            "(correction de Holm)"
        )
    many = n_significant > 1
    return (
        f"{n_significant}\u00a0chiffre{'s' if many else ''} sur {n_total} "
        f"s'écarte{'nt' if many else ''} nettement de ceux publiés en 2018 (correction de Holm)"
    )
