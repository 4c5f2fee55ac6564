"""The paper questionnaire: French and English, code and QR on the first page, tick boxes,
skip instructions in words, boxes for numbers, dates and times, black and white only."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from barometre.campaign.letters import qr_matrix
from barometre.campaign.paper_form import (
    QR_LEFT_MM,
    QR_SIZE_MM,
    QR_TOP_MM,
    paper_questionnaire_pdf,
    skip_instructions,
)
from barometre.questionnaire import Question, Questionnaire, QuestionType, Section, load_builtin

from ..questionnaire.every_type import every_type

DPI = 200
LINK = "https://barometre.example.fr/r/Zx8-secret-token"


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "form.pdf") -> str:
    """The PDF's text, laid out."""
    path = tmp_path / name
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return run.stdout


def page_image(pdf: bytes, page: int, tmp_path: Path) -> Image.Image:
    """One page rasterised by poppler."""
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    stem = tmp_path / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile",
         str(path), str(stem)],
        check=True,
    )  # fmt: skip
    return Image.open(f"{stem}.png")


def test_french_form_has_code_numbered_questions_and_filters(tmp_path: Path) -> None:
    """The 2018 instrument prints in French with the code, every question numbered and the
    network filter said in words."""
    text = pdf_text(paper_questionnaire_pdf(load_builtin(), "fr", "ABCD-EFGH", LINK), tmp_path)
    assert "Votre code personnel" in text and "ABCD-EFGH" in text and LINK in text
    assert "1. Votre entreprise dispose-t-elle d'un site internet ?" in text
    assert "(plusieurs réponses possibles)" in text
    assert "Répondez si vous avez répondu « Oui » à l'une des questions 2, 3, 4, 5 ou 6." in text
    pages = text.count("\f")
    assert pages >= 3 and text.count("· ABCD-EFGH · Page") == pages  # the code on every page
    questions = len(load_builtin().questions)
    assert f"\n{questions}. " in text and f"\n{questions + 1}. " not in text


def test_english_form(tmp_path: Path) -> None:
    """The English form speaks English throughout."""
    text = pdf_text(paper_questionnaire_pdf(load_builtin(), "en"), tmp_path)
    assert "Paper questionnaire" in text and "(several answers possible)" in text
    assert "Answer if you answered 'Yes' to any of questions 2, 3, 4, 5 or 6." in text
    assert "Votre" not in text


def test_qr_code_on_the_first_page_is_the_link(tmp_path: Path) -> None:
    """Sampling the printed QR module by module gives back the personal link's matrix."""
    image = page_image(paper_questionnaire_pdf(load_builtin(), "fr", "ABCD", LINK), 1, tmp_path)
    gray = image.convert("L")
    matrix = qr_matrix(LINK)
    px_per_mm = DPI / 25.4
    left, top = QR_LEFT_MM * px_per_mm, QR_TOP_MM * px_per_mm
    module = QR_SIZE_MM * px_per_mm / len(matrix)
    read = [
        [gray.getpixel((int(left + (c + 0.5) * module), int(top + (r + 0.5) * module))) < 128
         for c in range(len(matrix))]
        for r in range(len(matrix))
    ]  # fmt: skip
    assert read == matrix


def test_black_and_white_only(tmp_path: Path) -> None:
    """Every pixel of a rendered page is a grey (no colour), and there is real ink."""
    image = page_image(paper_questionnaire_pdf(every_type(), "fr", "XY12"), 1, tmp_path)
    rgb = image.convert("RGB")
    colours = {pixel for pixel in rgb.getdata() if not pixel[0] == pixel[1] == pixel[2]}
    assert colours == set()
    assert rgb.convert("L").getextrema()[0] < 50


def test_new_types_are_printable(tmp_path: Path) -> None:
    """Date and time boxes, a range's values, a cascading select said in words, a piped
    label pointing to its question; notes are printed, calculations are not."""
    text = pdf_text(paper_questionnaire_pdf(every_type(), "fr", "XY12"), tmp_path)
    assert "JJ / MM / AAAA" in text and "HH : MM" in text
    assert "Entourez ou cochez une valeur" in text and "1" in text and "5" in text
    assert "Rennes (Bretagne)" in text and "Paris (Île-de-France)" in text
    assert "Merci (votre réponse à la question 1) !" in text
    assert "J'ai lu et j'accepte" in text and "Autre, précisez" in text
    assert "staff2" not in text


def skip_form() -> Questionnaire:
    """A yes/no question whose "no" skips the next two questions."""
    yes_no = QuestionType.YES_NO
    questions = (
        Question("site", yes_no, "Avez-vous un site ?", "Do you have a website?"),
        Question("shop", yes_no, "Vend-il ?", "Does it sell?", relevant="${site} = 'yes'"),
        Question("pay", yes_no, "Paiement ?", "Payment?", relevant="${site} = 'yes'"),
        Question("size", QuestionType.NUMBER, "Effectif", "Staff", integer=True),
    )
    return Questionnaire("skip", "1", "Saut", "Skip", (Section("s", "S", "S", questions),))


def test_skip_instruction_in_words(tmp_path: Path) -> None:
    """ "Si « Non », passez à la question 4." is printed under the filtering question."""
    form = skip_form()
    assert skip_instructions(form, form.question("site"), "fr") == [
        "Si « Non », passez à la question 4."
    ]
    assert skip_instructions(form, form.question("site"), "en") == ["If 'No', go to question 4."]
    text = pdf_text(paper_questionnaire_pdf(form, "fr"), tmp_path)
    assert "Si « Non », passez à la question 4." in text
    assert "Répondez si vous avez répondu « Oui » à la question 1." in text


def test_letters_can_include_the_paper_form(tmp_path: Path) -> None:
    """With paper_form, each letter is followed by that company's form, its code on it."""
    from datetime import date

    from barometre.campaign.letters import render_letters

    from .test_letters import RECIPIENTS, STUDY

    pdf = tmp_path / "letters.pdf"
    render_letters(RECIPIENTS[:2], STUDY, pdf, letter_date=date(2026, 3, 2), paper_form=skip_form())
    text = pdf_text(pdf.read_bytes(), tmp_path, "copy.pdf")
    pages = text.split("\f")
    assert "K7QF-3MZP-X" in pages[0] and "Questionnaire papier" not in pages[0]
    assert "Questionnaire papier" in pages[1] and "K7QF-3MZP-X" in pages[1]
    assert "Si « Non », passez à la question 4." in pages[1]
    assert "0ABC-DEFG-H" in pages[2] and "Questionnaire papier" in pages[3]
    assert "0ABC-DEFG-H" in pages[3]
