"""The wave package's one user-error base: a wave that cannot be weighted or published as asked."""

from __future__ import annotations

from barometre.errors import UserError


class WaveError(UserError, ValueError):
    """A wave step refused: the message names the wave and what to fix."""


class WeightingError(WaveError):
    """The wave cannot be weighted as asked (missing columns, no respondents, bad counts)."""


class PublicationMismatch(WaveError):
    """The results handed to `publish` do not describe the wave's stored respondents."""
