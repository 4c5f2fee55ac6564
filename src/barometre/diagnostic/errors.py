"""Errors raised by the diagnostic, each naming the problem and where it is."""

from __future__ import annotations

from barometre.errors import UserError


class DiagnosticError(UserError, ValueError):
    """Base class: bad input to a diagnostic computation."""


class NothingToScoreError(DiagnosticError):
    """The answer set's form asked no scored question, so no score can be computed."""


class BenchmarkFormatError(DiagnosticError):
    """A stored benchmark table is malformed (unknown peer cell, missing field...)."""


class WaveDatasetError(DiagnosticError):
    """The wave dataset lacks a column the benchmark table needs, or has unusable values."""
