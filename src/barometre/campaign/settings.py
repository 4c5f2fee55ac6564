"""A wave's trust settings: who runs it, whom to ask, the data-protection notice, the sender.

Respondents are asked for data about their company by people they do not know; the
letter, the e-mail, the home page and the questionnaire all say who the organiser is, how
to reach a person, and what is done with the answers (GDPR art. 13: purpose, legal basis,
retention, rights, the data-protection officer's contact). The study team sets these once
per wave (`barometre wave settings`), from options or a YAML file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from barometre.campaign.errors import CampaignError
from barometre.campaign.french import typeset_fr


class SettingsError(CampaignError, ValueError):
    """A settings file or value is unusable; the message names the field and the file."""


@dataclass(frozen=True, slots=True)
class WaveSettings:
    """What respondents are told about the wave, and who the e-mails come from."""

    organiser: str = ""
    """Who runs the study (and is the data controller), e.g. "Observatoire des PME"."""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    purpose: str = ""
    legal_basis: str = ""
    retention: str = ""
    rights: str = ""
    dpo_contact: str = ""
    """The data-protection officer's address (e-mail or postal)."""
    email_sender: str = ""
    """From: address of the e-mails; a real send refuses to go without one."""
    email_sender_name: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "settings") -> WaveSettings:
        """Settings from a mapping (a YAML file's content); unknown fields are refused."""
        known = {f.name for f in fields(cls)}
        values: dict[str, str] = {}
        for key, value in data.items():
            if key not in known:
                raise SettingsError(
                    f"{source}: unknown setting {key!r}; known settings: {', '.join(sorted(known))}"
                )
            if value is not None and not isinstance(value, str | int | float):
                raise SettingsError(f"{source}: setting {key!r} must be text, not {value!r}")
            values[key] = "" if value is None else str(value).strip()
        sender = values.get("email_sender", "")
        if sender and ("@" not in sender or sender.endswith("@localhost")):
            raise SettingsError(
                f"{source}: email_sender {sender!r} is not an address respondents can reply to"
            )
        return cls(**values)

    def to_mapping(self) -> dict[str, str]:
        """The settings as stored (only the fields that are set)."""
        return {k: v for k, v in asdict(self).items() if v}

    def merged(self, changes: Mapping[str, str | None]) -> WaveSettings:
        """These settings with the non-None `changes` applied (validated again)."""
        data: dict[str, Any] = {**self.to_mapping()}
        data.update({k: v for k, v in changes.items() if v is not None})
        return WaveSettings.from_mapping(data, "options")

    def missing(self) -> tuple[str, ...]:
        """The trust fields still empty (organiser, contact, every part of the notice)."""
        wanted = ("organiser", "contact_email", "purpose", "legal_basis", "retention", "rights",
                  "dpo_contact")  # fmt: skip
        return tuple(name for name in wanted if not getattr(self, name))

    def contact_line(self, lang: str) -> str:
        """ "Contact : Claire Martin, etudes@exemple.fr, 01 23 45 67 89" (empty if none)."""
        parts = [p for p in (self.contact_name, self.contact_email, self.contact_phone) if p]
        if not parts:
            return ""
        joined = ", ".join(parts)
        return _fr(lang, f"Contact : {joined}") if lang == "fr" else f"Contact: {joined}"

    def organiser_line(self, lang: str) -> str:
        """ "Enquête conduite par ..." (empty if no organiser)."""
        if not self.organiser:
            return ""
        return (
            f"Enquête conduite par {self.organiser}"
            if lang == "fr"
            else f"Survey run by {self.organiser}"
        )

    def notice_lines(self, lang: str) -> tuple[str, ...]:
        """The data-protection notice, one line per item that is set, typeset for `lang`."""
        labels = _NOTICE_LABELS[lang if lang in _NOTICE_LABELS else "fr"]
        lines = []
        for name, label in labels.items():
            value = getattr(self, name)
            if value:
                lines.append(
                    _fr(lang, f"{label} : {value}" if lang == "fr" else f"{label}: {value}")
                )
        return tuple(lines)

    def trust_text(self, lang: str) -> str:
        """Organiser, contact and notice as a plain-text block (the e-mails' footer)."""
        lines = [self.organiser_line(lang), self.contact_line(lang)]
        notice = self.notice_lines(lang)
        if notice:
            lines += ["", self.notice_heading(lang), *notice]
        return "\n".join(line for i, line in enumerate(lines) if line or (i and notice)).strip()

    def notice_heading(self, lang: str) -> str:
        """The notice's heading."""
        return "Protection des données personnelles" if lang == "fr" else "Data protection"


_NOTICE_LABELS = {
    "fr": {
        "organiser": "Responsable du traitement",
        "purpose": "Finalité",
        "legal_basis": "Base légale",
        "retention": "Durée de conservation",
        "rights": "Vos droits",
        "dpo_contact": "Délégué à la protection des données",
    },
    "en": {
        "organiser": "Data controller",
        "purpose": "Purpose",
        "legal_basis": "Legal basis",
        "retention": "Retention",
        "rights": "Your rights",
        "dpo_contact": "Data protection officer",
    },
}


def _fr(lang: str, text: str) -> str:
    return typeset_fr(text) if lang == "fr" else text
