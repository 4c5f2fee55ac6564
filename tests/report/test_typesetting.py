"""The French report read as a typesetter would: decimals, codes, plurals, order, spacing."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from barometre.report import Methodology, WaveResults, render_html
from barometre.report.i18n import (
    ci,
    employees,
    firms_in_ten,
    gaps_tested,
    interval,
    long_date,
    not_classified,
    number,
    p_value,
    points,
)
from barometre.report.order import natural_key, stratum_label

SIZE_CODES = ("0-9", "10-19", "20-49", "50-249", "250+")


class _Text(HTMLParser):
    """Collects the text a reader sees (charts' text included), and each table's row heads."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.tables: list[list[str]] = []
        self._style = False
        self._row_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self._style = True
        elif tag == "table":
            self.tables.append([])
        elif tag == "th" and ("scope", "row") in attrs:
            self._row_head = True
            self.tables[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False
        elif tag == "th":
            self._row_head = False

    def handle_data(self, data: str) -> None:
        if self._style:
            return
        self.chunks.append(data)
        if self._row_head:
            self.tables[-1][-1] += data


@pytest.fixture(scope="module")
def report_fr(results: WaveResults) -> _Text:
    """The French report of the test wave, with a methodology whose fieldwork opens on a 1st."""
    meta = Methodology(fieldwork_start="2026-03-01", fieldwork_end="2026-06-15")
    parser = _Text()
    parser.feed(render_html(results, "fr", meta))
    return parser


def _text(report: _Text) -> str:
    return "\n".join(report.chunks)


def test_french_report_has_no_english_decimal(report_fr: _Text) -> None:
    """No "0.25" or "< 0.001" anywhere in the French text, charts' axes included."""
    bad = re.findall(r"\d\.\d", _text(report_fr))
    assert bad == []


def test_french_report_shows_no_raw_code(report_fr: _Text, questionnaire: Any) -> None:
    """No questionnaire code (snake_case choice, "size|sector" stratum) reaches the reader."""
    text = _text(report_fr)
    codes = {
        c.code
        for q in questionnaire.questions
        for c in (getattr(q, "choices", None) or ())
        if "_" in c.code
    }
    found = sorted(c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text))
    assert found == []
    assert not re.search(r"[\w+-]+\|[\w]+", text), "a raw stratum code is shown"


def test_french_report_plurals(report_fr: _Text) -> None:
    """No "1 entreprises", "0 répondants" or "10 entreprises sur 10"."""
    text = _text(report_fr)
    assert not re.search(
        r"(?<![\d\s\u00a0\u202f,])[01][\s\u00a0]+(entreprises|répondants|chiffres|salariés|écarts)",
        text,
    )
    assert "10 entreprises sur 10" not in text.replace("\u00a0", " ")


def test_size_bands_in_natural_order_in_every_table(report_fr: _Text, questionnaire: Any) -> None:
    """In every table that lists size bands (breakdowns, strata, drivers), 250+ comes last."""
    labels = [c.label_fr for c in questionnaire.question("size_band").choices]
    checked = 0
    for rows in report_fr.tables:
        ranks = [
            next(i for i, lab in enumerate(labels) if lab in r)
            for r in rows
            if any(lab in r for lab in labels)
        ]
        if len(ranks) > 1:
            checked += 1
            assert ranks == sorted(ranks), rows
    assert checked >= 2


def test_french_spacing_before_signs(report_fr: _Text) -> None:
    """A plain space never comes before « : ; ! ? % » in the French text."""
    assert not re.search(r" [:;!?%»]", _text(report_fr))


def test_first_of_the_month_and_counts_read_right() -> None:
    """1er mars, "< 0,001", "1 répondant non classé", "Presque toutes les entreprises"."""
    assert long_date("2026-03-01", "fr") == "1er mars 2026"
    assert long_date("2026-06-15", "en") == "15 June 2026"
    assert p_value(0.0004, "fr") == "<\u00a00,001"
    assert p_value(0.0041, "fr") == "0,004"
    assert not_classified(1, "fr").startswith("1\u00a0répondant non classé")
    assert not_classified(0, "fr") == "Tous les répondants sont classés."
    assert firms_in_ten(0.98, "fr") == "Presque toutes les entreprises"
    assert firms_in_ten(0.12, "fr") == "1\u00a0entreprise sur 10"
    assert firms_in_ten(0.72, "en") == "7 firms in 10"


def test_strata_sort_and_read_as_labels(questionnaire: Any) -> None:
    """Strata sort by size band as numbers and read as "Moins de 10 salariés · ..."."""
    assert sorted(SIZE_CODES[::-1], key=natural_key) == list(SIZE_CODES)
    assert stratum_label(questionnaire, "0-9|agroalimentaire", "fr") == (
        "Moins de 10 salariés · Industrie agroalimentaire"
    )


def test_french_report_writes_negatives_with_a_minus_sign(report_fr: _Text) -> None:
    """Intervals and differences below zero read "[−11 ; 4]", "−6,1": never a hyphen."""
    text = _text(report_fr)
    assert not re.search(r"(?:^|[\s\[(;\u00a0\u202f])-\d", text, re.M)
    # French spacing gives ";" its narrow no-break space.
    assert re.search(r"\[\u2212\d+[\u00a0\u202f]; \u2212?\d+\]", text), "no negative interval"


def test_numbers_intervals_and_plurals_read_right() -> None:
    """One helper puts a true minus in every number; no "−0"; plurals of salariés, écarts."""
    assert ci(-0.113, 0.04, "fr") == "[\u221211\u00a0; 4]"
    assert ci(-0.113, -0.04, "en") == "[\u221211 to \u22124]"
    assert interval(-0.25, 0.5, "fr", 2) == "[\u22120,25\u00a0; 0,50]"
    assert number(-1234.5, "fr", 1) == "\u22121\u202f234,5" or number(-1234.5, "fr", 1) == (
        "\u22121\u00a0234,5"
    )
    assert number(-0.004, "fr", 2) == "0,00"
    assert points(-0.0004, "fr") == "+0,0"
    assert points(-0.061, "fr") == "\u22126,1"
    assert employees(1, "fr") == "1\u00a0salarié"
    assert employees(17, "fr") == "17\u00a0salariés"
    assert employees(244.3, "fr", 1) == "244,3\u00a0salariés"
    assert employees(1, "en") == "1 person"
    assert gaps_tested(1, "fr") == "le seul écart testé"
    assert gaps_tested(8, "fr") == "les 8\u00a0écarts testés ensemble"
