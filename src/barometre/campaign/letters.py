"""Invitation letters: a PDF mail merge, one A4 page per company, for window envelopes.

Each page carries the sender, the company's address placed in the window of a standard
French DL/C5 envelope (window on the right), the date, the study's presentation, the
signature, and a box with the personal short code, the address to type it at, and a QR
code of the personal link. The QR code is drawn as vector squares from the `qrcode`
matrix, so it stays sharp whatever the printer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO, Literal
from xml.sax.saxutils import escape

import qrcode
from babel.dates import format_date
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame as LayoutFrame
from reportlab.platypus import Paragraph

from barometre.campaign.errors import CampaignError

Language = Literal["fr", "en"]

PAGE_WIDTH, PAGE_HEIGHT = A4
# Window of a DL envelope with the window on the right (La Poste's usual layout):
# 110 mm from the left edge, 45-85 mm from the top.
ADDRESS_LEFT_MM = 110.0
ADDRESS_TOP_MM = 50.0
ADDRESS_WIDTH_MM = 85.0
# The code box and its QR code (public so tests can find the QR on a rendered page).
CODE_BOX_BOTTOM_MM = 22.0
CODE_BOX_HEIGHT_MM = 48.0
QR_SIZE_MM = 38.0
QR_LEFT_MM = 210.0 - 20.0 - 5.0 - QR_SIZE_MM
QR_BOTTOM_MM = CODE_BOX_BOTTOM_MM + (CODE_BOX_HEIGHT_MM - QR_SIZE_MM) / 2

QR_MASK = 2

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    """DejaVu Sans when installed (any Unicode name prints), else the PDF core Helvetica."""
    regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "subject": "Baromètre des PME-ETI et des réseaux sociaux : votre avis compte",
        "salutation": "Madame, Monsieur,",
        "body": (
            "Votre entreprise a été tirée au sort parmi les PME et ETI françaises pour "
            "participer au baromètre de l'usage des réseaux sociaux par les entreprises.\n\n"
            "Le questionnaire prend une quinzaine de minutes. Vos réponses sont "
            "confidentielles : elles ne sont publiées que sous forme de statistiques "
            "agrégées, sans jamais identifier votre entreprise.\n\n"
            "En remerciement, vous recevrez dès la fin du questionnaire un diagnostic "
            "personnalisé : où se situe votre entreprise par rapport aux entreprises de "
            "même taille et de même secteur, et des pistes d'action concrètes."
        ),
        "closing": (
            "En vous remerciant par avance de votre participation, nous vous prions "
            "d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées."
        ),
        "code_title": "Votre code personnel",
        "code_howto": "Rendez-vous sur {url} et saisissez ce code,",
        "code_qr": "ou scannez le QR code ci-contre avec votre téléphone.",
        "deadline": "Merci de répondre avant le {deadline}.",
        "date": "{city}, le {date}",
    },
    "en": {
        "subject": "Barometer of SMEs and social networks: your view counts",
        "salutation": "Dear Sir or Madam,",
        "body": (
            "Your company has been drawn at random among French SMEs and mid-sized "
            "companies to take part in the barometer of how companies use social "
            "networks.\n\n"
            "The questionnaire takes about fifteen minutes. Your answers are "
            "confidential: they are only published as aggregate statistics and never "
            "identify your company.\n\n"
            "As a thank-you, as soon as you finish you will get a personal diagnostic: "
            "where your company stands against companies of the same size and sector, "
            "and concrete steps to take."
        ),
        "closing": "Thank you in advance for taking part. Yours faithfully,",
        "code_title": "Your personal code",
        "code_howto": "Go to {url} and type this code,",
        "code_qr": "or scan the QR code with your phone.",
        "deadline": "Please answer by {deadline}.",
        "date": "{city}, {date}",
    },
}


@dataclass(frozen=True, slots=True)
class LetterStudy:
    """Who sends the letters and what they say; text left empty uses the built-in wording."""

    sender_lines: tuple[str, ...]
    city: str
    signatory_name: str
    signatory_title: str
    entry_url: str
    """Where people type their short code, printed in the code box."""
    language: Language = "fr"
    subject: str = ""
    body: str = ""
    """Presentation text; paragraphs separated by blank lines."""
    deadline: date | None = None


@dataclass(frozen=True, slots=True)
class LetterRecipient:
    """One letter: the company's address block, its short code and its personal link."""

    case_id: str
    address_lines: tuple[str, ...]
    short_code: str
    link: str


@dataclass(frozen=True, slots=True)
class LetterBatch:
    """What was printed."""

    path: Path | None
    pages: int
    case_ids: tuple[str, ...] = field(default_factory=tuple)


class LetterError(CampaignError, ValueError):
    """A letter cannot be laid out (no address, address too long for the window)."""


def postal_address(
    name: str | None,
    complement: str | None = None,
    street: str | None = None,
    special_delivery: str | None = None,
    postcode: str | None = None,
    city: str | None = None,
) -> tuple[str, ...]:
    """The address block in La Poste's order (at most 6 lines of 38 characters ideally)."""
    lines = [name, complement, street, special_delivery]
    last = " ".join(part for part in (postcode, city) if part)
    return tuple(line.strip() for line in (*lines, last) if line and line.strip())


def qr_matrix(link: str) -> list[list[bool]]:
    """The QR code modules of `link` (error correction M, no quiet zone)."""
    # A fixed mask pattern skips qrcode's trial of all eight (each mask is valid and the
    # personal links are uniform random text); it makes a letter run about twice as fast.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    code.add_data(link)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def _draw_qr(canvas: Canvas, link: str, x: float, y: float, size: float) -> None:
    matrix = qr_matrix(link)
    module = size / len(matrix)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            # One rectangle per run of dark modules keeps the PDF small.
            canvas.rect(
                x + start * module,
                y + size - (r + 1) * module,
                (c - start) * module,
                module,
                stroke=0,
                fill=1,
            )


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


_COMMON_FORM = "letter"


def _draw_common(canvas: Canvas, study: LetterStudy, when: date, fonts: tuple[str, str]) -> None:
    """What every letter shares: drawn once as a PDF form, then reused by each page."""
    regular, bold = fonts
    text = _TEXT[study.language]
    locale = "fr_FR" if study.language == "fr" else "en_GB"
    y = PAGE_HEIGHT - 20 * mm
    for i, line in enumerate(study.sender_lines):
        canvas.setFont(bold if i == 0 else regular, 10 if i == 0 else 9)
        canvas.drawString(20 * mm, y, line)
        y -= 4.5 * mm

    when_text = format_date(when, format="long", locale=locale)
    canvas.setFont(regular, 10)
    canvas.drawString(
        ADDRESS_LEFT_MM * mm,
        PAGE_HEIGHT - 92 * mm,
        text["date"].format(city=study.city, date=when_text),
    )

    body_style = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14, spaceAfter=7)
    subject_style = ParagraphStyle("subject", parent=body_style, fontName=bold)
    flow = [Paragraph(escape(study.subject or text["subject"]), subject_style)]
    flow.append(Paragraph(escape(text["salutation"]), body_style))
    flow += [Paragraph(escape(p), body_style) for p in _paragraphs(study.body or text["body"])]
    if study.deadline is not None:
        deadline = format_date(study.deadline, format="long", locale=locale)
        flow.append(Paragraph(escape(text["deadline"].format(deadline=deadline)), body_style))
    flow.append(Paragraph(escape(text["closing"]), body_style))
    flow.append(Paragraph("<br/>" + escape(study.signatory_name), subject_style))
    flow.append(Paragraph(escape(study.signatory_title), body_style))
    top = PAGE_HEIGHT - 100 * mm
    bottom = (CODE_BOX_BOTTOM_MM + CODE_BOX_HEIGHT_MM + 4) * mm
    frame = LayoutFrame(20 * mm, bottom, 170 * mm, top - bottom, showBoundary=0)
    frame.addFromList(flow, canvas)
    if flow:
        raise LetterError("the presentation text is too long for one page")

    canvas.setLineWidth(0.8)
    canvas.roundRect(
        20 * mm, CODE_BOX_BOTTOM_MM * mm, 170 * mm, CODE_BOX_HEIGHT_MM * mm, 3 * mm, stroke=1
    )
    box_top = (CODE_BOX_BOTTOM_MM + CODE_BOX_HEIGHT_MM) * mm
    canvas.setFont(bold, 11)
    canvas.drawString(26 * mm, box_top - 10 * mm, text["code_title"])
    canvas.setFont(regular, 9.5)
    canvas.drawString(26 * mm, box_top - 31 * mm, text["code_howto"].format(url=study.entry_url))
    canvas.drawString(26 * mm, box_top - 36 * mm, text["code_qr"])


def _draw_page(canvas: Canvas, recipient: LetterRecipient, fonts: tuple[str, str]) -> None:
    regular, bold = fonts
    if not recipient.address_lines:
        raise LetterError(f"case {recipient.case_id}: no postal address")
    if len(recipient.address_lines) > 7:
        raise LetterError(f"case {recipient.case_id}: address has more than 7 lines")
    canvas.doForm(_COMMON_FORM)
    y = PAGE_HEIGHT - ADDRESS_TOP_MM * mm
    for i, line in enumerate(recipient.address_lines):
        canvas.setFont(bold if i == 0 else regular, 10.5)
        canvas.drawString(ADDRESS_LEFT_MM * mm, y, line[:45])
        y -= 4.8 * mm
    box_top = (CODE_BOX_BOTTOM_MM + CODE_BOX_HEIGHT_MM) * mm
    canvas.setFont("Courier-Bold", 22)
    canvas.drawString(26 * mm, box_top - 21 * mm, recipient.short_code)
    _draw_qr(canvas, recipient.link, QR_LEFT_MM * mm, QR_BOTTOM_MM * mm, QR_SIZE_MM * mm)


def render_letters(
    recipients: Iterable[LetterRecipient],
    study: LetterStudy,
    output: Path | BinaryIO,
    letter_date: date | None = None,
    on_page: Callable[[int], None] | None = None,
) -> LetterBatch:
    """Write one page per recipient to `output` (a path or a binary file object)."""
    when = letter_date or date.today()
    fonts = _fonts()
    target = str(output) if isinstance(output, Path) else output
    canvas = Canvas(target, pagesize=A4, pageCompression=1)
    canvas.setTitle(
        "Baromètre PME-ETI et réseaux sociaux" if study.language == "fr" else "SME barometer"
    )
    canvas.beginForm(_COMMON_FORM)
    _draw_common(canvas, study, when, fonts)
    canvas.endForm()
    done: list[str] = []
    for recipient in recipients:
        _draw_page(canvas, recipient, fonts)
        canvas.showPage()
        done.append(recipient.case_id)
        if on_page is not None:
            on_page(len(done))
    canvas.save()
    return LetterBatch(
        path=output if isinstance(output, Path) else None, pages=len(done), case_ids=tuple(done)
    )


def recipients_from_rows(
    rows: Sequence[dict[str, str | None]], link_of: Callable[[str], str]
) -> list[LetterRecipient]:
    """Letters from rows holding ``case_id``, ``short_code`` and frame address columns."""
    out = []
    for row in rows:
        case_id = str(row["case_id"])
        out.append(
            LetterRecipient(
                case_id=case_id,
                address_lines=postal_address(
                    row.get("name"),
                    row.get("address_complement"),
                    row.get("street"),
                    row.get("special_delivery"),
                    row.get("postcode"),
                    row.get("city"),
                ),
                short_code=str(row["short_code"]),
                link=link_of(case_id),
            )
        )
    return out
