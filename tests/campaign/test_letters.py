"""Letters: one page per company, the code printed, and the QR code of the personal link."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from barometre.campaign.letters import (
    QR_BOTTOM_MM,
    QR_LEFT_MM,
    QR_SIZE_MM,
    LetterError,
    LetterRecipient,
    LetterStudy,
    postal_address,
    qr_matrix,
    render_letters,
)

STUDY = LetterStudy(
    sender_lines=("Observatoire des PME", "12 place de la Bourse", "75002 PARIS"),
    city="Paris",
    signatory_name="Claire Martin",
    signatory_title="Directrice des études",
    entry_url="https://barometre.example.fr/code",
    deadline=date(2026, 4, 15),
)

RECIPIENTS = [
    LetterRecipient(
        case_id=f"case{i}",
        address_lines=postal_address(
            f"SOCIÉTÉ NUMÉRO {i}", None, f"{i} RUE DE LA PAIX", None, "69002", "LYON"
        ),
        short_code=code,
        link=f"https://barometre.example.fr/r/tok{i}-AbCdEfGhIjKlMnOpQrStUvWxYz012345",
    )
    for i, code in enumerate(["K7QF-3MZP-X", "0ABC-DEFG-H", "MNPQ-RSTV-W"])
]

DPI = 200


def _render(tmp_path: Path, study: LetterStudy = STUDY) -> Path:
    pdf = tmp_path / "letters.pdf"
    batch = render_letters(RECIPIENTS, study, pdf, letter_date=date(2026, 3, 2))
    assert batch.pages == 3
    return pdf


def _page_png(pdf: Path, page: int, tmp_path: Path) -> Image.Image:
    prefix = tmp_path / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile",
         str(pdf), str(prefix)],
        check=True,
    )  # fmt: skip  # an option and its value stay on one line
    return Image.open(f"{prefix}.png").convert("L")


def test_one_page_per_company_with_code_and_address(tmp_path: Path) -> None:
    """The PDF has a page per company showing its code, address, date and the entry URL."""
    pdf = _render(tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == 3
    for recipient, page in zip(RECIPIENTS, pages, strict=False):
        assert recipient.short_code in page
        assert recipient.address_lines[0] in page
        assert "69002 LYON" in page
        assert "Paris, le 2 mars 2026" in page
        assert "https://barometre.example.fr/code" in page
        assert "15 avril 2026" in page


def test_qr_code_on_the_page_is_the_personal_link(tmp_path: Path) -> None:
    """Sampling the rendered QR area module by module gives back the link's QR matrix."""
    pdf = _render(tmp_path)
    image = _page_png(pdf, 2, tmp_path)
    assert image.getextrema()[0] < 50  # something dark was printed
    matrix = qr_matrix(RECIPIENTS[1].link)
    px_per_mm = DPI / 25.4
    left = QR_LEFT_MM * px_per_mm
    top = image.height - (QR_BOTTOM_MM + QR_SIZE_MM) * px_per_mm
    module = QR_SIZE_MM * px_per_mm / len(matrix)
    read = [
        [image.getpixel((int(left + (c + 0.5) * module), int(top + (r + 0.5) * module))) < 128
         for c in range(len(matrix))]
        for r in range(len(matrix))
    ]  # fmt: skip  # the comprehension reads as the grid it builds
    assert read == matrix
    assert read != qr_matrix(RECIPIENTS[0].link)


def test_english_letters(tmp_path: Path) -> None:
    """The English option prints the English wording."""
    pdf = _render(tmp_path, replace(STUDY, language="en"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Your personal code" in text
    assert "Paris, 2 March 2026" in text


def test_missing_address_is_an_error(tmp_path: Path) -> None:
    """A recipient without an address raises LetterError naming the case."""
    bad = LetterRecipient("caseX", (), "K7QF-3MZP-X", "https://x")
    with pytest.raises(LetterError, match="caseX"):
        render_letters([bad], STUDY, tmp_path / "x.pdf")
