"""Step 3 of the report: one self-contained HTML file (CSS and charts inline) from `WaveResults`."""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from barometre.questionnaire import Language
from barometre.report import annex, sections
from barometre.report.i18n import check_lang, french_spacing, number, t
from barometre.report.methodology import Methodology
from barometre.report.results import WaveResults
from barometre.report.view import Section

_env = Environment(
    loader=PackageLoader("barometre.report", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def report_sections(
    results: WaveResults, lang: Language, methodology: Methodology | None = None
) -> tuple[Section, ...]:
    """Every section of the report, in reading order (empty parts left out)."""
    parts = [
        sections.key_figures(results, lang),
        sections.networks(results, lang),
        sections.organisation(results, lang),
        sections.actions_objectives(results, lang),
        annex.typology(results, lang),
        sections.breakdowns(results, lang),
        annex.drivers(results, lang),
        sections.comparison(results, lang),
        sections.trends(results, lang),
        annex.precision(results, lang),
        annex.methodology(results, methodology or Methodology(), lang),
    ]
    return tuple(s for s in parts if s is not None and s.blocks)


def render_html(
    results: WaveResults, lang: str = "fr", methodology: Methodology | None = None
) -> str:
    """The report as one HTML document, French by default."""
    language = check_lang(lang)
    css = resources.files("barometre.report").joinpath("templates/report.css").read_text("utf-8")
    html = _env.get_template("report.html.j2").render(
        lang=language,
        css=css,
        title=t("title", language),
        subtitle=t("subtitle", language, wave=results.wave or "—"),
        generated=t("generated", language, n=number(results.n_respondents, language)),
        wave=results.wave,
        contents=t("contents", language),
        ci_label=t("ci95", language),
        sections=report_sections(results, language, methodology),
        footer=f"barometre — {t('title', language)} — {results.questionnaire_id}",
    )
    return french_spacing(html) if lang == "fr" else html
