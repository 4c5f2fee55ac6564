"""French typography for the campaign's texts: "1er décembre", non-breaking spaces.

French puts a non-breaking space before « : ; ! ? % » and after « and before »; a plain
space there lets the line break leave a colon alone at the start of a line.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date

NBSP = "\u00a0"
_BEFORE = re.compile(r"[ \u00a0\u202f]?([:;!?%»])(?=\s|$|[\"')\]])")
_AFTER = re.compile(r"«[ \u00a0\u202f]?")
_URL = re.compile(r"\w+://\S+")


def typeset_fr(text: str) -> str:
    """`text` with a non-breaking space before : ; ! ? % » (URLs left alone)."""
    parts: list[str] = []
    last = 0
    for url in _URL.finditer(text):
        parts.append(_typeset_plain(text[last : url.start()]))
        parts.append(url.group())
        last = url.end()
    parts.append(_typeset_plain(text[last:]))
    return "".join(parts)


def _typeset_plain(text: str) -> str:
    text = _BEFORE.sub(lambda m: NBSP + m.group(1), text)
    return _AFTER.sub("«" + NBSP, text)


def long_date(day: date, lang: str) -> str:
    """A date as written in a letter: "1er décembre 2026", "2 décembre 2026", "1 December 2026"."""
    if lang != "fr":
        return format_date(day, format="d MMMM y", locale="en_GB")
    text = format_date(day, format="d MMMM y", locale="fr_FR")
    return "1er" + text[1:] if day.day == 1 else text


def number_fr(value: int) -> str:
    """An integer as French writes it: "12 345", a non-breaking space between thousands."""
    return f"{value:,}".replace(",", NBSP)


def decimal_fr(value: float, digits: int = 1) -> str:
    """A decimal number with a decimal comma: "0,833"."""
    return f"{value:,.{digits}f}".replace(",", NBSP).replace(".", ",")


def percent_fr(share: float | None, digits: int = 1) -> str:
    """A share as a French percentage, "7,5 %" (non-breaking space); "–" when undefined."""
    return "–" if share is None else decimal_fr(100 * share, digits) + NBSP + "%"
