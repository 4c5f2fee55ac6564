"""The wave package's one user-error base: a wave that cannot be weighted or published as asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barometre.errors import UserError

if TYPE_CHECKING:
    from barometre.questionnaire import Language


class WaveError(UserError, ValueError):
    """A wave step refused: the message names the wave and what to fix."""


class WeightingError(WaveError):
    """The wave cannot be weighted as asked (missing columns, no respondents, bad counts)."""


class PublicationMismatch(WaveError):
    """The results handed to `publish` do not describe the wave's stored respondents."""

    def __init__(self, english: str, french: str) -> None:
        super().__init__(english)
        self.french = french

    def message(self, language: Language = "en") -> str:
        """The message in French or English."""
        return self.french if language == "fr" else str(self)
