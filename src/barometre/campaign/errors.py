"""The campaign's user errors: one base, so the command line catches them in one place."""

from __future__ import annotations

from barometre.errors import UserError


class CampaignError(UserError):
    """Base of every error the campaign raises on purpose (bad registry file, refused step...)."""
