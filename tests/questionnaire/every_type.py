"""A questionnaire using every type the XLSForm reader added, shared by the web, export and
paper-form tests: two pages, a piped label, a cascading select, a calculation.

The region question is `area`: `region` is the registry's variable, which wins over a
self-reported one in the wave dataset.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from barometre.questionnaire import Questionnaire, read_xlsform

SURVEY: list[list[Any]] = [
    [
        "type",
        "name",
        "label::Français (fr)",
        "label::English (en)",
        "required",
        "relevant",
        "constraint",
        "calculation",
        "choice_filter",
        "parameters",
    ],
    ["begin group", "firm_page", "L'entreprise", "The company"],
    ["text", "firm", "Nom de l'entreprise", "Company name", "yes"],
    ["integer", "staff", "Effectif", "Staff", "yes", None, ". >= 0"],
    ["select_one region", "area", "Région", "Region", "yes"],
    ["end group"],
    ["begin group", "details", "Détails", "Details"],
    ["note", "welcome", "Merci ${firm} !", "Thank you ${firm}!"],
    ["select_one city", "city", "Ville", "City", "yes", None, None, None, "region = ${area}"],
    ["date", "founded", "Date de création", "Founded on", "yes", None, ". <= today()"],
    ["time", "opens", "Heure d'ouverture", "Opening time"],
    ["dateTime", "met", "Rendez-vous", "Meeting"],
    [
        "range",
        "rating",
        "Note de l'année",
        "Rating of the year",
        None,
        None,
        None,
        None,
        None,
        "start=1 end=5 step=1",
    ],
    [
        "decimal",
        "share",
        "Part des ventes en ligne",
        "Share of online sales",
        None,
        None,
        ". <= 100",
    ],
    ["select_multiple uses or_other", "uses", "Usages", "Uses"],
    ["acknowledge", "ok", "J'accepte", "I agree", "yes"],
    ["calculate", "staff2", None, None, None, None, None, "${staff} * 2"],
    ["end group"],
]
CHOICES: list[list[Any]] = [
    ["list_name", "name", "label::Français (fr)", "label::English (en)", "region"],
    ["region", "idf", "Île-de-France", "Ile-de-France"],
    ["region", "bre", "Bretagne", "Brittany"],
    ["city", "paris", "Paris", "Paris", "idf"],
    ["city", "rennes", "Rennes", "Rennes", "bre"],
    ["city", "brest", "Brest", "Brest", "bre"],
    ["uses", "sell", "Vendre", "Sell"],
    ["uses", "hire", "Recruter", "Hire"],
]
SETTINGS: list[list[Any]] = [
    ["form_id", "version", "form_title", "default_language"],
    ["every_type", "1", "Tous les types", "Français (fr)"],
]

ANSWERS: dict[str, Any] = {
    "firm": "Dupont SA",
    "staff": 12,
    "area": "bre",
    "city": "brest",
    "founded": "1999-05-02",
    "opens": "08:30",
    "met": "2026-11-30T10:15",
    "rating": 4,
    "share": 12.5,
    "uses": ["sell", "other"],
    "ok": "OK",
}


def every_type_xlsx() -> bytes:
    """The form as an XLSForm workbook."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in (("survey", SURVEY), ("choices", CHOICES), ("settings", SETTINGS)):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def every_type() -> Questionnaire:
    """The form, read."""
    return read_xlsform(io.BytesIO(every_type_xlsx()))
