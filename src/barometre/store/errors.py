"""Errors raised by the store: each names the problem and the wave, case or row concerned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from barometre.errors import UserError


class StoreError(UserError):
    """Base class of every error the store raises on purpose."""


class StoreConfigError(StoreError):
    """The database URL or store settings are unusable."""


class NotFoundError(StoreError, LookupError):
    """A wave, case, user or other record does not exist."""


class DuplicateError(StoreError):
    """A record that must be unique already exists (wave name, SIREN in a frame, code...)."""


class WaveStatusError(StoreError):
    """The wave's status forbids the operation (answering a draft wave, reopening...)."""


class InputError(StoreError, ValueError):
    """Bad input rows (unknown column, missing SIREN, bad probability...), with their place."""


class ResponseInvalid(StoreError):
    """An answer set fails validation against the questionnaire; nothing was stored.

    `problems` are the questionnaire's `Problem` records (code, question_id,
    message_fr, message_en), every one of them, in the questionnaire's order.
    """

    def __init__(self, case_id: str, problems: Sequence[Any]) -> None:
        self.case_id = case_id
        self.problems = tuple(problems)
        listed = "; ".join(f"{p.question_id}: {p.code}" for p in self.problems)
        super().__init__(f"case {case_id}: answers rejected ({listed})")


class ResponseLocked(StoreError):
    """The response was submitted as complete; its answers can no longer change."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"case {case_id}: the response is already complete and locked")


class WriteFailed(StoreError):
    """The database refused a write; the transaction was rolled back and nothing changed."""
