"""The PDF: the same HTML printed by WeasyPrint with the stylesheet's print rules."""

from __future__ import annotations

import logging
from pathlib import Path

from barometre.report.errors import PdfError


def write_pdf(html: str, path: Path) -> Path:
    """Render `html` to a PDF file at `path`."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as ex:  # OSError: Pango missing on the machine
        raise PdfError(f"WeasyPrint cannot run here ({ex}); install Pango (libpango-1.0-0)") from ex
    # WeasyPrint logs every unsupported CSS property at WARNING; the report uses a few on purpose
    # (screen-only grid tweaks), which would only be noise.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    path = Path(path)
    try:
        HTML(string=html, base_url=str(path.parent)).write_pdf(path)
    except Exception as ex:
        raise PdfError(f"could not write the PDF {path}: {ex}") from ex
    return path
