"""A short text in the study's two languages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """The same sentence in French (the default) and English."""

    fr: str
    en: str

    def get(self, language: str) -> str:
        """The text in `language`, French for any language other than English."""
        return self.en if language == "en" else self.fr
