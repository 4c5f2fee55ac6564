"""The root of every error a user can fix: bad input, a refused step, a missing thing.

Each package has one base class deriving from `UserError` (`QuestionnaireError`,
`StatsError`, `CampaignError`, `StoreError`, ...). The command line catches `UserError`
once, in its root group, and prints the message with exit code 1 (click's
`ClickException` idiom); anything else is a bug and keeps its traceback.

This module imports nothing, so that every package, pure ones included, may derive from it.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["fr", "en"]


class UserError(Exception):
    """An error the user can fix; its message names the problem and its place."""

    def message(self, language: Language = "en") -> str:
        """The message in `language`; packages with translated messages override this."""
        return str(self)
