"""Printable diagnostics: the diagnostic page rendered to PDF by WeasyPrint."""

from __future__ import annotations

from fastapi.responses import Response

from barometre.diagnostic import Diagnostic
from barometre.web.context import HERE, Web
from barometre.web.i18n import translate


def render_diagnostic_pdf(app: Web, lang: str, diagnostic: Diagnostic) -> bytes:
    """The PDF bytes of one diagnostic in `lang`."""
    from weasyprint import CSS, HTML

    html = app.templates.get_template("diagnostic_pdf.html").render(
        lang=lang,
        t=lambda key, **values: translate(key, lang, **values),
        csrf_token="",
        diagnostic=diagnostic,
    )
    pdf: bytes = HTML(string=html, base_url=str(HERE / "static")).write_pdf(
        stylesheets=[CSS(filename=str(HERE / "static" / "style.css"))]
    )
    return pdf


def diagnostic_pdf(app: Web, lang: str, diagnostic: Diagnostic) -> Response:
    """An HTTP response carrying the diagnostic as a PDF download."""
    name = "diagnostic.pdf" if lang == "en" else "diagnostic-reseaux-sociaux.pdf"
    return Response(
        render_diagnostic_pdf(app, lang, diagnostic),
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
