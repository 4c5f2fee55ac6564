"""Errors of report building, each naming the problem and where it is."""

from __future__ import annotations

from barometre.errors import UserError


class ReportError(UserError):
    """Base class of every error raised by `barometre.report`."""


class WaveFormatError(ReportError):
    """The wave dataset does not follow the wave format (a column is missing or mistyped)."""


class ExportError(ReportError):
    """A wave could not be exported in the requested format."""


class PdfError(ReportError):
    """The PDF could not be rendered (WeasyPrint or its Pango library is missing or failed)."""
