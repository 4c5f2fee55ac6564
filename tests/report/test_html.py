"""The HTML report, read as text: sections, bases, languages, self-containment."""

from __future__ import annotations

import re

from markupsafe import escape

from barometre.report import WaveResults
from barometre.report.i18n import TEXT, french_spacing


def test_french_by_default_with_every_section(html_fr: str) -> None:
    """The French report has every section, from key figures to the methodology annex."""
    html = html_fr
    assert '<html lang="fr">' in html
    for key in (
        "key_figures",
        "networks",
        "actions_objectives",
        "typology",
        "breakdowns",
        "drivers",
        "comparison",
        "methodology",
        "reading_ci",
    ):
        assert french_spacing(str(escape(TEXT[key][0]))) in html, key
    assert "Évolutions depuis la vague 2024" in html


def test_english_on_request(html_en: str) -> None:
    """The English report uses the English fixed text and labels, none of the French."""
    html = html_en
    assert '<html lang="en">' in html
    assert "Key figures" in html and "Chiffres clés" not in html
    assert "Lack of time" in html or "lack of time" in html.lower()


def test_self_contained(html_fr: str) -> None:
    """No external stylesheet, script or image: CSS and charts are inline."""
    html = html_fr
    assert not re.search(r'<link[^>]+stylesheet|<script[^>]+src=|<img[^>]+src="http', html)
    assert html.count("<svg") >= 10


def test_chart_titles_state_findings(results: WaveResults, html_en: str) -> None:
    """The obstacles chart is titled by the first obstacle and its share."""
    html = html_en
    top = max(results.of_question("obstacles"), key=lambda i: i.share.estimate or 0)
    share = round((top.share.estimate or 0) * 100)
    assert f"{top.label_en} is the first obstacle ({share}%)" in html


def test_tables_show_bases(html_fr: str) -> None:
    """Tables carry a base (n) column and the n of each breakdown cell."""
    html = html_fr
    assert "Base (n)" in html
    assert re.search(r"\(n\u00a0=\u00a0\d+\)", html)


def test_same_results_same_report(results: WaveResults, html_fr: str) -> None:
    """Rendering twice gives the same bytes (chart ids come from their content)."""
    from barometre.report import render_html

    assert render_html(results, "fr") == html_fr
