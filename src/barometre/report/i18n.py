"""The report's fixed text in French and English, and number formatting for each language."""

from __future__ import annotations

import datetime as _dt
import re

from babel.dates import format_date
from babel.numbers import format_decimal

from barometre.questionnaire import Language
from barometre.report.errors import ReportError

LANGS: tuple[Language, ...] = ("fr", "en")

TEXT: dict[str, tuple[str, str]] = {
    # key: (French, English)
    "title": ("Baromètre des PME-ETI et des réseaux sociaux", "SMEs and social networks barometer"),
    "subtitle": ("Résultats pondérés de la vague {wave}", "Weighted results of wave {wave}"),
    "generated": ("{n} entreprises répondantes", "{n} responding companies"),
    "contents": ("Sommaire", "Contents"),
    "key_figures": ("Chiffres clés", "Key figures"),
    "key_figures_intro": (
        "Estimations pondérées pour l'ensemble des entreprises du champ, avec leur intervalle de "
        "confiance à 95 % et la base (n) de répondants.",
        "Weighted estimates for all companies in scope, with their 95 % confidence interval and "
        "the base (n) of respondents.",
    ),
    "activity": ("Activité", "Activity"),
    "tempo": ("Tempo", "Tempo"),
    "spend": ("Budget annuel", "Yearly spend"),
    "obstacles": ("Freins", "Obstacles"),
    "networks": ("Réseaux utilisés", "Networks used"),
    "networks_intro": (
        "Parmi les entreprises présentes sur au moins un réseau.",
        "Among companies present on at least one network.",
    ),
    "organisation": ("Organisation", "Organisation"),
    "actions_objectives": ("Actions et objectifs", "Actions and objectives"),
    "actions": ("Actions menées", "Actions carried out"),
    "objectives": ("Objectifs poursuivis", "Objectives pursued"),
    "typology": ("Typologie : quatre comportements", "Typology: four behaviours"),
    "typology_intro": (
        "Croisement de l'activité (inactive ou peu active / active ou très active) et du tempo "
        "ressenti (en retard / dans le bon tempo ou en avance). {nc}",
        "Activity (inactive or barely active / active or very active) crossed with the felt "
        "tempo (late / on time or ahead). {nc}",
    ),
    "profile": ("Profil", "Profile"),
    "over": ("sur-représenté", "over-represented"),
    "under": ("sous-représenté", "under-represented"),
    "in_segment": ("Dans le segment", "In the segment"),
    "overall": ("Ensemble", "Overall"),
    "breakdowns": ("Selon la taille, le secteur et la clientèle", "By size, sector and market"),
    "drivers": ("Ce qui fait l'activité", "What drives activity"),
    "drivers_intro": (
        "Régression logistique pondérée de « active ou très active » (n = {n}). Un rapport de "
        "cotes supérieur à 1 signifie une activité plus fréquente, toutes choses égales par "
        "ailleurs.",
        'Weighted logistic regression of "active or very active" (n = {n}). An odds ratio '
        "above 1 means activity is more frequent, other things being equal.",
    ),
    "importance": ("Poids relatif de chaque facteur", "Relative weight of each factor"),
    "factor": ("Facteur", "Factor"),
    "reference": ("Par rapport à", "Compared with"),
    "category": ("Catégorie", "Category"),
    "segment": ("Segment", "Segment"),
    "modes": ("Modes de collecte", "Modes"),
    "flag": ("Dans ce segment", "In this segment"),
    "importance_share": ("Part du pouvoir explicatif", "Share of explanatory power"),
    "delta_r2": ("Perte de pseudo-R² sans lui", "Pseudo-R² lost without it"),
    "rank_first": ("Premier (bootstrap)", "Ranked first (bootstrap)"),
    "importance_note": (
        "Poids d'un facteur : ce que le modèle perd de pseudo-R² (McFadden) quand on l'en "
        "retire ; intervalle et rang par bootstrap sur le plan de sondage (« — » : non "
        "calculés).",
        "Weight of a factor: the pseudo-R² (McFadden) the model loses without it; interval "
        'and rank from a bootstrap over the design ("—": not computed).',
    ),
    "odds_ratio": ("Rapport de cotes", "Odds ratio"),
    "comparison": ("Comparaison avec l'étude de 2018", "Comparison with the 2018 study"),
    "comparison_intro": (
        "L'étude de 2018 publiait des parts brutes de répondants, sans pondération ni marge "
        "d'erreur. Chaque chiffre de la vague est recalculé sur la base du chiffre de 2018 "
        "(toutes les entreprises, celles qui ont répondu à la question, les entreprises "
        "présentes sur un réseau ou les entreprises classées dans la typologie). Un écart est "
        "dit significatif quand il dépasse l'incertitude des deux chiffres (2018 traité comme "
        "un sondage simple de 1\u00a0657 répondants) après correction de Holm pour le nombre "
        "de chiffres comparés : une comparaison indicative, les répondants de 2018 n'étant pas "
        "un échantillon aléatoire.",
        "The 2018 study published raw shares of respondents, without weighting or margin of "
        "error. Each figure of the wave is recomputed on the base of the 2018 figure (all "
        "companies, those who answered the question, companies present on a network or "
        "companies classified in the typology). A gap is called significant when it exceeds "
        "the uncertainty of both figures (2018 treated as a simple random sample of 1,657 "
        "respondents) after Holm's correction for the number of figures compared: an "
        "indicative comparison, since the 2018 respondents were not a random sample.",
    ),
    "base_2018": ("Base", "Base"),
    "base_all": ("toutes", "all"),
    "base_answered": ("répondantes", "answered"),
    "base_present": ("présentes", "present"),
    "base_typed": ("classées", "classified"),
    "significant_holm": ("Significatif (Holm)", "Significant (Holm)"),
    "published_2018": ("2018 publié", "2018 published"),
    "this_wave": ("Cette vague", "This wave"),
    "difference": ("Écart (points)", "Difference (points)"),
    "significant": ("Significatif", "Significant"),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "trends": ("Évolutions depuis la vague {wave}", "Changes since wave {wave}"),
    "trends_intro": (
        "Différence entre les deux vagues (échantillons indépendants), avec son intervalle de "
        "confiance à 95 %.",
        "Difference between the two waves (independent samples), with its 95 % confidence "
        "interval.",
    ),
    "previous": ("Vague précédente", "Previous wave"),
    "indicator": ("Indicateur", "Indicator"),
    "estimate": ("Estimation", "Estimate"),
    "ci95": ("IC 95 %", "95 % CI"),
    "base_n": ("Base (n)", "Base (n)"),
    "unweighted": ("Part brute", "Raw share"),
    "suppressed": ("effectif trop faible", "base too small"),
    "suppressed_note": (
        "« — » : base de moins de {m} répondants, chiffre non publié.",
        '"—": base under {m} respondents, figure not published.',
    ),
    "methodology": ("Annexe méthodologique", "Methodology annex"),
    "frame": ("Base de sondage", "Sampling frame"),
    "sample_design": ("Plan de sondage et allocation", "Sample design and allocation"),
    "fieldwork": ("Collecte", "Fieldwork"),
    "response_rates": ("Taux de réponse (AAPOR)", "Response rates (AAPOR)"),
    "weighting": ("Pondération", "Weighting"),
    "reading_ci": ("Lire un intervalle de confiance", "How to read a confidence interval"),
    "reading_ci_text": (
        "Chaque pourcentage est une estimation : un autre tirage d'entreprises aurait donné un "
        "chiffre un peu différent. L'intervalle de confiance à 95 % contient la vraie valeur "
        "pour l'ensemble des entreprises du champ dans 95 tirages sur 100. Deux chiffres dont "
        "les intervalles se chevauchent largement ne sont pas nettement différents. Plus la "
        "base (n) est petite, plus l'intervalle est large.",
        "Each percentage is an estimate: another draw of companies would have given a slightly "
        "different figure. The 95 % confidence interval contains the true value for all "
        "companies in scope in 95 draws out of 100. Two figures whose intervals overlap widely "
        "are not clearly different. The smaller the base (n), the wider the interval.",
    ),
    "precision": ("Précision des indicateurs clés", "Precision of key indicators"),
    "precision_intro": (
        "L'effet de plan dit ce que le plan de sondage et la pondération coûtent en précision "
        "à chaque chiffre : un effet de plan de {example} signifie une variance {example} fois "
        "celle d'un sondage aléatoire simple de même base, soit la précision qu'auraient "
        "n/{example} répondants tirés au hasard (la taille effective). Ici, les effets de plan "
        "vont de {low} à {high}.",
        "The design effect says what the sample design and the weighting cost each figure in "
        "precision: a design effect of {example} means a variance {example} times that of a "
        "simple random sample of the same base, the precision n/{example} respondents drawn "
        "at random would give (the effective size). Here the design effects range from {low} "
        "to {high}.",
    ),
    "deff_short": ("Effet de plan", "Design effect"),
    "effective_size": ("Taille effective (n/effet)", "Effective size (n/deff)"),
    "headcount": ("Effectif salarié", "Headcount"),
    "headcount_median": ("Effectif médian (IC 95 %)", "Median headcount (95 % CI)"),
    "headcount_mean": (
        "Effectif moyen (IC 95 % corrigé de l'asymétrie)",
        "Mean headcount (95 % CI corrected for skewness)",
    ),
    "headcount_symmetric": ("IC 95 % symétrique usuel", "Usual symmetric 95 % CI"),
    "headcount_text": (
        "La moitié des entreprises du champ emploient au plus {median}. La moyenne, "
        "{mean}, est tirée vers le haut par quelques grandes entreprises : son intervalle "
        "s'étend davantage vers le haut (correction de Hall pour l'asymétrie), car un "
        "intervalle symétrique manquerait trop souvent la vraie moyenne par au-dessus.",
        "Half the companies in scope employ at most {median}. The mean, {mean}, is "
        "pulled up by a few large companies: its interval reaches further up (Hall's "
        "correction for skewness), since a symmetric interval would too often miss the true "
        "mean from above.",
    ),
    "headcount_text_flat": (
        "La moitié des entreprises du champ emploient au plus {median}. La moyenne est de "
        "{mean} ; les effectifs de l'échantillon sont assez peu asymétriques pour que son "
        "intervalle corrigé (méthode de Hall) reste presque symétrique.",
        "Half the companies in scope employ at most {median}. The mean is {mean}; the "
        "sample's headcounts are little enough skewed for its corrected interval (Hall's "
        "method) to stay almost symmetric.",
    ),
    "size_gaps": ("Écarts entre tailles d'entreprise", "Gaps between company sizes"),
    "size_gaps_intro": (
        "Pour chaque indicateur clé, la part dans la plus grande tranche de taille publiée "
        "moins la part dans la plus petite, en points, avec son intervalle de confiance à "
        "95 %. Un écart est dit significatif s'il le reste après la correction de Holm pour "
        "{tests} ; sinon, aucun écart n'est établi : les deux parts peuvent différer, mais "
        "l'échantillon ne permet pas de l'affirmer.",
        "For each key indicator, the share in the largest published size band minus the "
        "share in the smallest, in points, with its 95 % confidence interval. A gap is called "
        "significant when it stays so after Holm's correction for {tests}; otherwise no gap is "
        "established: the two shares may differ, but the sample cannot tell.",
    ),
    "bands_compared": ("Tranches comparées", "Bands compared"),
    "share_a": ("Part, grande tranche", "Share, larger band"),
    "share_b": ("Part, petite tranche", "Share, smaller band"),
    "p_holm": ("p ajusté (Holm)", "Adjusted p (Holm)"),
    "verdict": ("Conclusion", "Conclusion"),
    "gap_significant": ("écart significatif", "significant gap"),
    "gap_not_established": ("pas d'écart établi", "no gap established"),
    "stratum": ("Strate", "Stratum"),
    "notes": ("Parties non calculées", "Parts not computed"),
    "note_drivers": (
        "Les facteurs d'activité n'ont pas pu être estimés sur cette vague : la section « Ce "
        "qui fait l'activité » est omise. Raison technique : {reason}",
        'The drivers of activity could not be estimated on this wave, so the section "What '
        'drives activity" is left out. Technical reason: {reason}',
    ),
    "note_headcount": (
        "L'effectif salarié n'a pas pu être résumé sur cette vague : son bloc est omis. "
        "Raison technique : {reason}",
        "The headcount could not be summarised on this wave, so its block is left out. "
        "Technical reason: {reason}",
    ),
    "note_typology": (
        "La typologie n'a pas pu être calculée sur cette vague : sa section est omise. Raison "
        "technique : {reason}",
        "The typology could not be computed on this wave, so its section is left out. "
        "Technical reason: {reason}",
    ),
    "respondents": ("Répondants", "Respondents"),
    "weighted_total": ("Total pondéré", "Weighted total"),
    "sampled": ("Tirés", "Sampled"),
    "population": ("Population", "Population"),
    "deff": ("Effet de plan de la pondération (Kish)", "Design effect of weighting (Kish)"),
    "effective_n": ("Taille d'échantillon effective", "Effective sample size"),
    "weight_range": ("Poids min. / max. (rapport)", "Weight min / max (ratio)"),
    "variance_plan": ("Plan des erreurs-types", "Design of the standard errors"),
    "variance_calibrated": (
        "plan stratifié{fpc}, calé sur les marges de la pondération ({margins})\u00a0: les "
        "erreurs-types tiennent compte du calage (résidus de la régression sur les marges, "
        "comme la fonction calibrate de R)",
        "stratified design{fpc}, calibrated to the weighting's margins ({margins}): the "
        "standard errors account for the calibration (residuals of the regression on the "
        "margins, as R's calibrate)",
    ),
    "variance_fpc": (
        "plan stratifié avec correction de population finie, sans calage\u00a0: les "
        "erreurs-types ignorent le gain du calage (elles sont un peu prudentes)",
        "stratified design with the finite population correction, not calibrated: the "
        "standard errors leave out the calibration's gain (they are a little cautious)",
    ),
    "variance_plain": (
        "plan stratifié sur les poids finals, avec remise (ni calage ni correction de "
        "population finie)\u00a0: les erreurs-types sont prudentes",
        "stratified design on the final weights, with replacement (neither calibration nor "
        "finite population correction): the standard errors are cautious",
    ),
    "with_fpc": (
        " avec correction de population finie (effectifs des strates dans la base de sondage)",
        " with the finite population correction (the strata's frame sizes)",
    ),
    "without_fpc": (
        " sans correction de population finie",
        " without finite population correction",
    ),
    "margin_weighting_cell": ("cellules taille × secteur", "size x sector cells"),
    "margin_weighting_region": ("régions", "regions"),
    "trend_se": ("Erreur-type des évolutions", "Standard error of the changes"),
    "trend_se_none": ("sans objet (pas de vague précédente)", "not applicable (no earlier wave)"),
    "trend_se_overlap": (
        "covariance des {n} entreprises répondantes aux deux vagues prise en compte",
        "covariance of the {n} firms that answered both waves included",
    ),
    "trend_se_independent": (
        "vagues traitées comme indépendantes (covariance des entreprises communes aux deux "
        "vagues non prise en compte)",
        "waves taken as independent (covariance of the firms in both waves not included)",
    ),
    "n_respondents": ("Répondants", "Respondents"),
    "dates": ("Dates", "Dates"),
    "not_given": ("non renseigné", "not given"),
    "codebook": ("Dictionnaire des variables", "Codebook"),
    "variable": ("Variable", "Variable"),
    "question": ("Question", "Question"),
    "type": ("Type", "Type"),
    "codes": ("Codes", "Codes"),
    "chosen": ("Choisi", "Chosen"),
    "not_chosen": ("Non choisi", "Not chosen"),
}


def check_lang(lang: str) -> Language:
    """Return `lang` if the report speaks it, else raise ReportError."""
    if lang == "fr":
        return "fr"
    if lang == "en":
        return "en"
    raise ReportError(f"unknown report language {lang!r}; use 'fr' or 'en'")


def t(key: str, lang: Language, **values: object) -> str:
    """The fixed text `key` in `lang`, with `{placeholders}` filled."""
    fr, en = TEXT[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def pct(share: float | None, lang: Language, digits: int = 0) -> str:
    """A share (0..1) as a percentage: "84 %" in French, "84%" in English; "—" when absent."""
    if share is None:
        return "—"
    number = format_decimal(
        round(share * 100, digits),
        format=f"0.{'0' * digits}" if digits else "0",
        locale="fr_FR" if lang == "fr" else "en_GB",
    )
    return f"{number}\u202f%" if lang == "fr" else f"{number}%"


MINUS = "\u2212"


def minus(text: str) -> str:
    """A formatted number with a true minus sign (U+2212) in place of the hyphen: "−11"."""
    return text.replace("-", MINUS)


def points(diff: float | None, lang: Language) -> str:
    """A difference of shares in percentage points, signed, e.g. "+3,2"."""
    if diff is None:
        return "—"
    # + 0.0 turns a rounded -0.0 into 0.0: no "−0,0".
    number = format_decimal(
        round(diff * 100, 1) + 0.0, format="+0.0;-0.0", locale="fr_FR" if lang == "fr" else "en_GB"
    )
    return minus(number)


def number(x: float | None, lang: Language, digits: int = 0) -> str:
    """A number with the language's separators ("1 657" / "1,657"), negatives with "−"."""
    if x is None:
        return "—"
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    if round(x, digits) == 0:
        x = 0  # no "−0"
    return minus(format_decimal(x, format=fmt, locale="fr_FR" if lang == "fr" else "en_GB"))


def _bracket(lo: str, hi: str, lang: Language) -> str:
    # French "[a ; b]" kept on one line; English "[a–b]", or "[a to b]" when b is negative
    # (an en dash before a minus sign reads as a double sign).
    if lang == "fr":
        return f"[{lo}\u00a0; {hi}]"
    return f"[{lo} to {hi}]" if hi.startswith(MINUS) else f"[{lo}–{hi}]"


def interval(low: float, high: float, lang: Language, digits: int) -> str:
    """An interval of plain numbers, kept on one line: "[0,14 ; 0,32]" / "[0.14–0.32]"."""
    return _bracket(number(low, lang, digits), number(high, lang, digits), lang)


def ci(low: float | None, high: float | None, lang: Language) -> str:
    """A 95 % CI as "[80 ; 88]" (fr) or "[80–88]" (en), in percent; "[−11 ; 4]" below zero."""
    if low is None or high is None:
        return "—"
    lo, hi = round(low * 100), round(high * 100)
    return _bracket(minus(str(lo)), minus(str(hi)), lang)


def p_value(p: float, lang: Language) -> str:
    """A p-value as "< 0,001" / "< 0.001" below a thousandth, else with three decimals."""
    if p < 0.001:
        return f"<\u00a0{number(0.001, lang, 3)}"
    return number(p, lang, 3)


def gaps_tested(k: int, lang: Language) -> str:
    """ "les 8 écarts testés ensemble" / "the 8 gaps tested together", the plural right."""
    if lang == "en":
        return "the one gap tested" if k == 1 else f"the {number(k, lang)} gaps tested together"
    return "le seul écart testé" if k == 1 else f"les {number(k, lang)}\u00a0écarts testés ensemble"


def employees(x: float, lang: Language, digits: int = 0) -> str:
    """A headcount with its noun, the plural right: "1 salarié", "17 salariés", "2.5 people"."""
    text = number(x, lang, digits)
    if lang == "en":
        return f"{text} {'person' if text == '1' else 'people'}"
    # French takes the singular below 2 (0, 1, 1,5 salarié).
    return f"{text}\u00a0{'salarié' if abs(x) < 2 else 'salariés'}"


def not_classified(n: int, lang: Language) -> str:
    """The sentence on respondents the typology leaves out, with its plural right."""
    if lang == "en":
        if n == 0:
            return "Every respondent is classified."
        who = "respondent" if n == 1 else "respondents"
        return f"{number(n, lang)} {who} not classified (one of the two questions unanswered)."
    if n == 0:
        return "Tous les répondants sont classés."
    # French takes the singular for 0 and 1.
    who = "répondant non classé" if n < 2 else "répondants non classés"
    return f"{number(n, lang)}\u00a0{who} (une des deux questions sans réponse)."


def firms_in_ten(share: float, lang: Language) -> str:
    """A share as readers say it: "7 entreprises sur 10", "1 entreprise sur 10"..."""
    tens = round(share * 10)
    if lang == "en":
        if share >= 0.95:
            return "Almost all firms"
        if tens == 0:
            return "Fewer than 1 firm in 20"
        return f"{tens} {'firm' if tens == 1 else 'firms'} in 10"
    if share >= 0.95:
        return "Presque toutes les entreprises"
    if tens == 0:
        return "Moins d'une entreprise sur 20"
    return f"{tens}\u00a0{'entreprise' if tens == 1 else 'entreprises'} sur 10"


def long_date(iso: str, lang: str) -> str:
    """An ISO date as written in a text: "1er mars 2026", "15 June 2026"; as is if not a date."""
    try:
        day = _dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    if lang == "en":
        return format_date(day, "d MMMM y", locale="en_GB")
    text = format_date(day, "d MMMM y", locale="fr_FR")
    return "1er" + text[1:] if day.day == 1 else text


_TEXT_NODE = re.compile(r"(<style.*?</style>|<[^>]*>)", re.S)
_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]*([:;!?%»])")
_SPACE_AFTER = re.compile(r"«[ \u00a0\u202f]*")


def _french_text(text: str) -> str:
    # A colon or a closing guillemet takes a non-breaking space, ; ! ? % a narrow one; none
    # when the sign ends a number or word without a space in the source (URLs, "9:30").
    def before(m: re.Match[str]) -> str:
        if not m.group(0)[:1].isspace() and m.group(0)[:1] not in "\u00a0\u202f":
            return m.group(0)
        sign = m.group(1)
        return ("\u00a0" if sign in ":»" else "\u202f") + sign

    return _SPACE_AFTER.sub("«\u00a0", _SPACE_BEFORE.sub(before, text))


def french_spacing(html: str) -> str:
    """The HTML with French spacing in its text: "Taille\u00a0:", "84\u202f%", "«\u00a0x\u00a0»".

    Tags, attributes and the stylesheet are left as they are; only text between tags changes.
    """
    parts = _TEXT_NODE.split(html)
    return "".join(p if i % 2 else _french_text(p) for i, p in enumerate(parts))
