"""The codebook lists every export column with its label and codes."""

from __future__ import annotations

from typing import Any

from barometre.report import codebook_html, codebook_markdown


def test_markdown_codebook_lists_every_column(questionnaire: Any) -> None:
    """Each question (and each multiple-choice code) appears with its numeric codes."""
    md = codebook_markdown(questionnaire, "en")
    assert "| `activity` |" in md
    assert "1 = `inactive` Inactive" in md
    assert "`obstacles__lack_time`" in md
    assert "`weight`" in md and "`case_id`" in md


def test_html_codebook_in_french(questionnaire: Any) -> None:
    """The HTML codebook is a French page with the French labels."""
    html = codebook_html(questionnaire, "fr")
    assert html.startswith("<!DOCTYPE html><html lang='fr'>")
    assert "Dictionnaire des variables" in html
    assert "Très active" in html
