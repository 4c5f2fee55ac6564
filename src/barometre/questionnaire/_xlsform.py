"""XLSForm import and export (in progress: the reader and writer land in the next commit)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from barometre.questionnaire._errors import XLSFormError
from barometre.questionnaire._model import Questionnaire


def read_xlsform(source: str | Path | BinaryIO) -> Questionnaire:
    """Read a questionnaire from an XLSForm workbook."""
    raise XLSFormError("XLSForm import is not available yet", sheet="survey")


def write_xlsform(questionnaire: Questionnaire, target: str | Path | BinaryIO) -> None:
    """Write a questionnaire as an XLSForm workbook."""
    raise XLSFormError("XLSForm export is not available yet", sheet="survey")
