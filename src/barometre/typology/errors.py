"""Errors raised by the typology package, each naming the problem and where it is."""

from __future__ import annotations

from barometre.errors import UserError


class TypologyError(UserError, ValueError):
    """Base class: bad input to a typology computation."""


class TypologyDefinitionError(TypologyError):
    """A rule typology file is malformed (missing key, unknown code, overlapping sides)."""


class UnknownCategoryError(TypologyError):
    """An answer uses a category the fitted analysis has never seen."""


class ColumnError(TypologyError):
    """A requested column is missing from the data, or has an unusable type."""


class WeightError(TypologyError):
    """Survey weights are missing, negative, non-finite or sum to zero."""
