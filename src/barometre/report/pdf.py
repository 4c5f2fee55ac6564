"""The PDF: the same HTML printed by WeasyPrint with the stylesheet's print rules."""

from __future__ import annotations

import base64
import logging
import re
from pathlib import Path

from barometre.report.errors import PdfError

_INLINE_SVG = re.compile(r'<svg[^>]*class="chart".*?</svg>', re.S)
_NATURAL = re.compile(r' style="--natural-width: [^"]*"')


_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def _svg_as_image(match: re.Match[str]) -> str:
    svg = _NATURAL.sub("", match.group(0), count=1)
    box = _VIEWBOX.search(svg)
    if box is not None:
        # A natural size in points lets the print stylesheet shrink a tall chart to the page.
        svg = svg.replace("<svg", f'<svg width="{box[1]}pt" height="{box[2]}pt"', 1)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart" alt="" src="data:image/svg+xml;base64,{data}">'


def print_html(html: str) -> str:
    """The report's HTML with each inline chart turned into an image of the same SVG.

    WeasyPrint computes CSS styles for every node of inline SVG; as images, the thousands of
    chart nodes skip the cascade, which halves the PDF time. The charts are unchanged.
    """
    return _INLINE_SVG.sub(_svg_as_image, html)


def write_pdf(html: str, path: Path) -> Path:
    """Render the report's `html` to a PDF file at `path`."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as ex:  # OSError: Pango missing on the machine
        raise PdfError(f"WeasyPrint cannot run here ({ex}); install Pango (libpango-1.0-0)") from ex
    # WeasyPrint logs every CSS property it ignores at WARNING; the screen-only rules of the
    # stylesheet would only be noise.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    path = Path(path)
    try:
        HTML(string=print_html(html), base_url=str(path.parent)).write_pdf(path)
    except Exception as ex:
        raise PdfError(f"could not write the PDF {path}: {ex}") from ex
    return path
