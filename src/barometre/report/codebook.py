"""The codebook of a wave's exports, generated from the questionnaire (Markdown and HTML).

It is also the single source of the variable and value labels the SPSS, Stata and Excel
exports carry, so that the codebook and the files can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from barometre.questionnaire import Language, Questionnaire, QuestionType
from barometre.report.i18n import check_lang, t

DESIGN_VARIABLES: dict[str, tuple[str, str]] = {
    "case_id": ("Identifiant pseudonyme de l'entreprise", "Pseudonymous company id"),
    "stratum": ("Strate de tirage (taille|secteur)", "Sampling stratum (size|sector)"),
    "design_weight": (
        "Poids de sondage (1 / probabilité d'inclusion)",
        "Design weight (1 / inclusion probability)",
    ),
    "fpc": (
        "Effectif de la strate dans la base de sondage (correction de population finie)",
        "Frame size of the stratum (finite population correction)",
    ),
    "weight": ("Poids final (non-réponse et calage)", "Final weight (non-response and raking)"),
    "present": ("Présente sur au moins un réseau", "Present on at least one network"),
}


@dataclass(frozen=True)
class Variable:
    """One column of the exports: name, label, type, and numeric codes with their labels."""

    name: str
    question_id: str
    label: str
    type: str
    codes: tuple[tuple[int, str, str], ...]  # (numeric code, choice code, label)
    measure: str = "nominal"  # SPSS measure level: nominal, ordinal or scale


# SPSS measure level of a question type: a 4-point scale is ordered, numbers and moments are
# quantities, everything else names categories.
MEASURES = {
    "scale4": "ordinal",
    "number": "scale",
    "date": "scale",
    "time": "scale",
    "datetime": "scale",
}


def variables(questionnaire: Questionnaire, lang: Language = "fr") -> tuple[Variable, ...]:
    """Every question column of the wave format, with labels in `lang`."""
    check_lang(lang)
    out: list[Variable] = []
    for q in questionnaire.questions:
        kind = q.type.value
        if kind == "note":
            continue  # read, never answered: no column
        label = q.label_en if lang == "en" else q.label_fr
        if kind == "calculate" and not label:
            label = q.id
        choices: tuple[Any, ...] = q.offered_choices
        if kind == "acknowledge":
            choices = (_Acknowledged(),)
        if q.type is QuestionType.MULTIPLE:
            for c in choices:
                choice = c.label_en if lang == "en" else c.label_fr
                out.append(
                    Variable(
                        f"{q.id}__{c.code}",
                        q.id,
                        f"{label} — {choice}",
                        "multiple",
                        ((0, "0", t("not_chosen", lang)), (1, "1", t("chosen", lang))),
                    )
                )
            continue
        codes = tuple(
            (k, c.code, c.label_en if lang == "en" else c.label_fr)
            for k, c in enumerate(choices, start=1)
        )
        out.append(Variable(q.id, q.id, label, kind, codes, MEASURES.get(kind, "nominal")))
    return tuple(out)


@dataclass(frozen=True)
class _Acknowledged:
    """The one answer of an acknowledge question, coded like a choice."""

    code: str = "OK"
    label_fr: str = "Accepté (OK)"
    label_en: str = "Acknowledged (OK)"


def design_variables(lang: Language) -> tuple[Variable, ...]:
    """The design columns every export carries."""
    return tuple(
        Variable(name, "", fr if lang == "fr" else en, "design", ())
        for name, (fr, en) in DESIGN_VARIABLES.items()
    )


def codebook_markdown(
    questionnaire: Questionnaire, lang: Language = "fr", *, replicates: int = 0
) -> str:
    """The codebook as Markdown: one table of variables, then each variable's codes.

    `replicates` (the number of replicate weights exported) adds how to declare them.
    """
    title = t("codebook", lang)
    lines = [f"# {title} — {questionnaire.id} {questionnaire.version}".rstrip(), ""]
    lines += [
        "| " + " | ".join(t(k, lang) for k in ("variable", "question", "type", "codes")) + " |",
        "|---|---|---|---|",
    ]
    for v in (*design_variables(lang), *variables(questionnaire, lang)):
        codes = "; ".join(f"{n} = `{code}` {label}" for n, code, label in v.codes)
        lines.append(f"| `{v.name}` | {_md(v.label)} | {v.type} | {_md(codes)} |")
    lines += ["", f"## {DECLARE_TITLE[lang]}", "", DECLARE_INTRO[lang], ""]
    for software, code in DECLARE_DESIGN:
        lines += [f"**{software}**", "", "```", code, "```", ""]
    if replicates:
        lines += replicate_section(replicates, lang)
    return "\n".join(lines)


REPLICATES_TITLE = {
    "fr": "Poids de réplication (jackknife JKn recalé)",
    "en": "Replicate weights (calibrated JKn jackknife)",
}
REPLICATES_INTRO = {
    "fr": "Les colonnes `repw_1` à `repw_{r}` de `wave.csv` et `wave.parquet` (et "
    "`replicate_weights.dta`, par `case_id`) sont les {r}\u00a0poids de réplication du "
    "jackknife stratifié (JKn)\u00a0: chaque réplique retire une entreprise, repondère les "
    "autres de sa strate par n_h / (n_h − 1) et refait le calage de la vague. La variance "
    "d’une estimation est scale × Σ rscale_r (θ_r − moyenne des θ_r)², avec `scale` et "
    "`rscale` donnés par `replicate_scales.csv` (rscale_r = (1 − f_h)(n_h − 1)/n_h, la "
    "correction de population finie comprise). Elle tient compte du calage, à la "
    "différence du plan déclaré ci-dessus.",
    "en": "Columns `repw_1` to `repw_{r}` of `wave.csv` and `wave.parquet` (and "
    "`replicate_weights.dta`, by `case_id`) are the {r} replicate weights of the stratified "
    "jackknife (JKn): each replicate drops one firm, reweights the others of its stratum by "
    "n_h / (n_h - 1) and redoes the wave's calibration. The variance of an estimate is "
    "scale x sum_r rscale_r (theta_r - mean theta)^2, with `scale` and `rscale` in "
    "`replicate_scales.csv` (rscale_r = (1 - f_h)(n_h - 1)/n_h, the finite population "
    "correction included). Unlike the design declared above, it accounts for the calibration.",
}
REPLICATES_SPSS = {
    "fr": "SPSS Complex Samples ne lit pas de poids de réplication\u00a0: calculez la variance "
    "avec la formule ci-dessus (une estimation par colonne `repw_r`, par exemple avec "
    "AGGREGATE), ou utilisez le plan linéarisé déclaré plus haut.",
    "en": "SPSS Complex Samples reads no replicate weights: compute the variance with the "
    "formula above (one estimate per `repw_r` column, e.g. with AGGREGATE), or use the "
    "linearised design declared above.",
}


def replicate_section(replicates: int, lang: Language) -> list[str]:
    """Markdown lines saying how to declare the replicate weights in R, Stata and SPSS."""
    r = replicates
    return [
        f"## {REPLICATES_TITLE[lang]}",
        "",
        REPLICATES_INTRO[lang].format(r=r),
        "",
        "**R (survey)**",
        "",
        "```",
        'd <- read.csv("wave.csv")\n'
        's <- read.csv("replicate_scales.csv")\n'
        'rep <- svrepdesign(data = d, weights = ~weight, repweights = "repw_[0-9]+",\n'
        '                   type = "JKn", scale = s$scale[1], rscales = s$rscale,\n'
        "                   combined.weights = TRUE, mse = FALSE)\n"
        "svymean(~factor(activity), rep, na.rm = TRUE)",
        "```",
        "",
        "**Stata**",
        "",
        "```",
        "do replicate_weights.do  "
        + (
            "// fusionne wave.dta et replicate_weights.dta, puis :"
            if lang == "fr"
            else "// merges wave.dta and replicate_weights.dta, then:"
        )
        + f"\nsvyset [pweight = weight], vce(jackknife) jkrweight(repw_1-repw_{r}, "
        "multiplier(...))\nsvy: proportion activity",
        "```",
        "",
        "**SPSS**",
        "",
        REPLICATES_SPSS[lang],
        "",
    ]


DECLARE_TITLE = {"fr": "Déclarer le plan de sondage", "en": "Declaring the survey design"}
DECLARE_INTRO = {
    "fr": "Strates `stratum`, correction de population finie `fpc` (effectif de la strate), "
    "poids final `weight`. Le poids final intègre la non-réponse et le calage ; la variance "
    "ainsi déclarée ignore le gain du calage (elle est un peu prudente).",
    "en": "Strata `stratum`, finite population correction `fpc` (the stratum's frame size), "
    "final weight `weight`. The final weight includes non-response and calibration; the "
    "variance declared this way leaves out the calibration's gain (it is a little cautious).",
}
DECLARE_DESIGN: tuple[tuple[str, str], ...] = (
    (
        "R (survey)",
        'd <- read.csv("wave.csv")\n'
        "des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = d)\n"
        "svymean(~factor(activity), des, na.rm = TRUE)",
    ),
    (
        "Stata",
        'import delimited "wave.csv", clear\n'
        "svyset _n [pweight = weight], strata(stratum) fpc(fpc)\n"
        "svy: proportion activity",
    ),
    (
        "SPSS",
        "CSPLAN ANALYSIS /PLAN FILE='wave.csaplan' /PLANVARS ANALYSISWEIGHT=weight\n"
        "  /DESIGN STRATA=stratum /ESTIMATOR TYPE=EQUAL_WOR /POPSIZE VARIABLE=fpc.\n"
        "CSDESCRIPTIVES /PLAN FILE='wave.csaplan' /SUMMARY VARIABLES=headcount /MEAN.",
    ),
)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codebook_html(questionnaire: Questionnaire, lang: Language = "fr") -> str:
    """The codebook as a self-contained HTML page."""
    rows = []
    for v in (*design_variables(lang), *variables(questionnaire, lang)):
        codes = "<br>".join(
            f"{n} = <code>{escape(code)}</code> {escape(label)}" for n, code, label in v.codes
        )
        rows.append(
            f"<tr><th scope='row'><code>{escape(v.name)}</code></th><td>{escape(v.label)}</td>"
            f"<td>{escape(v.type)}</td><td>{codes}</td></tr>"
        )
    title = escape(f"{t('codebook', lang)} — {questionnaire.id}")
    head = "".join(
        f"<th scope='col'>{escape(t(k, lang))}</th>"
        for k in ("variable", "question", "type", "codes")
    )
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:64rem;margin:auto;"
        "padding:1rem}table{border-collapse:collapse;width:100%;font-size:.85rem}"
        "th,td{border-bottom:1px solid #d9dee4;padding:.3rem;text-align:left;vertical-align:top}"
        "</style></head><body>"
        f"<h1>{title}</h1><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
        "</tbody></table></body></html>"
    )


def write_codebook(
    questionnaire: Questionnaire, out_dir: Path, lang: str = "fr", *, replicates: int = 0
) -> tuple[Path, Path]:
    """Write `codebook.md` and `codebook.html` into `out_dir`; return both paths."""
    language = check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "codebook.md"
    html = out_dir / "codebook.html"
    md.write_text(
        codebook_markdown(questionnaire, language, replicates=replicates), encoding="utf-8"
    )
    html.write_text(codebook_html(questionnaire, language), encoding="utf-8")
    return md, html
