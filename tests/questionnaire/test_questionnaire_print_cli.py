"""`barometre questionnaire print` writes the paper questionnaire; `import` shows warnings."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner, Result

from barometre.campaign.storage import write_codes
from barometre.cli import app
from barometre.store import open_store
from barometre.web.testing import open_wave_with_invitations

from .every_type import every_type_xlsx

runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(app, ["questionnaire", *args])


def text_of(pdf: Path) -> str:
    """The text of a PDF (poppler)."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return done.stdout


def test_print_a_blank_form_from_an_xlsform(tmp_path: Path) -> None:
    """A blank paper form of an imported XLSForm, in English."""
    form = tmp_path / "every.xlsx"
    form.write_bytes(every_type_xlsx())
    out = tmp_path / "blank.pdf"
    result = run("print", str(out), "--file", str(form), "--lang", "en")
    assert result.exit_code == 0, result.output
    text = text_of(out)
    assert "Paper questionnaire" in text and "1. Company name" in text
    assert "Your personal code" not in text


def test_print_one_form_per_case_of_a_wave(tmp_path: Path) -> None:
    """With --wave and --codes, each case's form carries its own code."""
    db = tmp_path / "w.sqlite"
    store = open_store(f"sqlite:///{db}")
    _, codes = open_wave_with_invitations(store, "2026", 3, seed=5)
    store.close()
    codes_file = tmp_path / "codes.csv"
    write_codes(codes_file, codes)
    out = tmp_path / "forms.pdf"
    result = run(
        "print", str(out), "--wave", "2026", "--codes", str(codes_file),
        "--base-url", "https://enquete.example.fr", "--url", f"sqlite:///{db}",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 paper questionnaires written" in result.stdout
    text = text_of(out)
    assert all(code.short_code in text for code in codes)
    assert text.count("Votre code personnel") == 3
    missing = run("print", str(out), "--wave", "2026")
    assert missing.exit_code == 1 and "--codes" in missing.output


def test_import_prints_warnings(tmp_path: Path) -> None:
    """Warnings (here: a README sheet) are printed with their place; the import succeeds."""
    from openpyxl import load_workbook

    form = tmp_path / "every.xlsx"
    form.write_bytes(every_type_xlsx())
    book = load_workbook(form)
    book.create_sheet("README").append(["Read me first"])
    book.save(form)
    result = run("import", str(form), "--output", str(tmp_path / "q.yaml"))
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "sheet 'README'" in result.output
    assert (tmp_path / "q.yaml").exists()
