"""E-mail invitations and reminders over SMTP: one message per recipient, throttled, recorded.

Each message goes to a single address in its own SMTP transaction, so no recipient ever
sees another one. Every message carries the person's own link and an opt-out link (also
as a List-Unsubscribe header, which mail clients show as an unsubscribe button).
What to send when is decided by a `ReminderPolicy`, a pure function of each case's state.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from enum import StrEnum
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from barometre.campaign.errors import CampaignError
from barometre.campaign.french import long_date, typeset_fr

Language = Literal["fr", "en"]
Security = Literal["none", "starttls", "ssl"]

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,  # plain-text mail: nothing is interpreted as HTML
)


class MessageKind(StrEnum):
    """The messages of a campaign."""

    INVITATION = "invitation"
    REMINDER_1 = "reminder_1"
    REMINDER_2 = "reminder_2"
    FINISH = "finish"
    """To partial respondents: finish your questionnaire."""


_TEMPLATE_OF = {
    MessageKind.INVITATION: "invitation",
    MessageKind.REMINDER_1: "reminder",
    MessageKind.REMINDER_2: "reminder",
    MessageKind.FINISH: "finish",
}
_SUBJECTS = {
    ("fr", "invitation"): "{study}: votre entreprise a été tirée au sort",
    ("fr", "reminder"): "Rappel - {study}: votre avis compte",
    ("fr", "finish"): "{study}: terminez votre questionnaire",
    ("en", "invitation"): "{study}: your company has been selected",
    ("en", "reminder"): "Reminder - {study}: your view counts",
    ("en", "finish"): "{study}: finish your questionnaire",
}


class MailingError(CampaignError, RuntimeError):
    """The SMTP server cannot be reached or refuses the login (nothing more is sent)."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """How to reach the SMTP server."""

    host: str = "localhost"
    port: int = 25
    security: Security = "none"
    username: str | None = None
    password: str | None = None
    sender: str = ""
    """From: address; empty means unset, and `send_messages` refuses to send."""
    sender_name: str = ""
    reply_to: str | None = None
    messages_per_second: float = 5.0
    timeout: float = 30.0

    @classmethod
    def from_env(cls, prefix: str = "BAROMETRE_SMTP_") -> SmtpSettings:
        """Settings from ``BAROMETRE_SMTP_HOST``, ``_PORT``, ``_SECURITY``, ``_USERNAME``...."""
        env = os.environ
        security = env.get(prefix + "SECURITY", "starttls")
        if security not in ("none", "starttls", "ssl"):
            raise MailingError(f"{prefix}SECURITY must be none, starttls or ssl, not {security!r}")
        default_port = {"none": 25, "starttls": 587, "ssl": 465}[security]
        return cls(
            host=env.get(prefix + "HOST", "localhost"),
            port=int(env.get(prefix + "PORT", default_port)),
            security=security,  # type: ignore[arg-type]
            username=env.get(prefix + "USERNAME") or None,
            password=env.get(prefix + "PASSWORD") or None,
            sender=env.get(prefix + "SENDER", ""),
            sender_name=env.get(prefix + "SENDER_NAME", ""),
            reply_to=env.get(prefix + "REPLY_TO") or None,
            messages_per_second=float(env.get(prefix + "RATE", "5")),
        )


@dataclass(frozen=True, slots=True)
class MailStudy:
    """What the messages say about the study."""

    study_name: str
    signature: str
    entry_url: str
    deadline: date | None = None
    trust_fr: str = ""
    """Organiser, contact and data-protection notice as printed under the French message."""
    trust_en: str = ""


@dataclass(frozen=True, slots=True)
class EmailRecipient:
    """One person to write to, with their own links."""

    case_id: str
    email: str
    link: str
    opt_out_link: str
    short_code: str
    language: Language = "fr"
    company: str | None = None
    person_name: str | None = None
    """The contact person, e.g. "Madame Marie Durand" or "Marie Durand" (greeted by name)."""


_CIVILITIES = {"madame": "Madame", "mme": "Madame", "monsieur": "Monsieur", "m.": "Monsieur"}
_CIVILITIES_EN = {"Madame": "Ms", "Monsieur": "Mr"}


def greeting(person_name: str | None, lang: Language) -> str:
    """How the message opens: "Madame Durand," or "Bonjour Marie Durand,", never the company.

    With a civility before the name ("Madame Marie Durand"), the formal French opening
    takes the civility and the surname; a bare name gets "Bonjour"; no name at all gets
    "Madame, Monsieur,".
    """
    words = (person_name or "").split()
    civility = _CIVILITIES.get(words[0].lower()) if words else None
    if civility and len(words) >= 2:
        surname = words[-1]
        return (
            f"{civility} {surname},"
            if lang == "fr"
            else f"Dear {_CIVILITIES_EN[civility]} {surname},"
        )
    if words and civility is None:
        name = " ".join(words)
        return f"Bonjour {name}," if lang == "fr" else f"Dear {name},"
    return "Madame, Monsieur," if lang == "fr" else "Dear Sir or Madam,"


@dataclass(frozen=True, slots=True)
class SentMessage:
    """The record of one attempt: accepted by the server, or refused and why."""

    case_id: str
    email: str
    kind: MessageKind
    message_id: str
    at: datetime
    error: str | None = None
    bounced: bool = False
    """The server refused the recipient permanently (5xx): an AAPOR 3.32 bounce."""

    @property
    def accepted(self) -> bool:
        """True when the server took the message."""
        return self.error is None


def compose(
    recipient: EmailRecipient, kind: MessageKind, study: MailStudy, settings: SmtpSettings
) -> EmailMessage:
    """The message for one recipient (pure: no network)."""
    lang = recipient.language
    name = _TEMPLATE_OF[kind]
    deadline = long_date(study.deadline, lang) if study.deadline else ""
    body = _TEMPLATES.get_template(f"{name}.{lang}.txt").render(
        greeting=greeting(recipient.person_name, lang),
        trust=study.trust_fr if lang == "fr" else study.trust_en,
        study_name=study.study_name,
        link=recipient.link,
        opt_out_link=recipient.opt_out_link,
        short_code=recipient.short_code,
        entry_url=study.entry_url,
        deadline=deadline,
        signature=study.signature,
    )
    if lang == "fr":
        body = typeset_fr(body)
    message = EmailMessage()
    message["From"] = formataddr((settings.sender_name, settings.sender))
    message["To"] = recipient.email
    subject = _SUBJECTS[(lang, name)].format(study=study.study_name)
    message["Subject"] = typeset_fr(subject) if lang == "fr" else subject
    message["Date"] = formatdate(localtime=False)
    domain = settings.sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["List-Unsubscribe"] = f"<{recipient.opt_out_link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Barometre-Case"] = recipient.case_id
    message["X-Barometre-Kind"] = kind.value
    message.set_content(body, charset="utf-8")
    return message


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=settings.timeout,
                context=ssl.create_default_context(),
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailingError(f"cannot use SMTP server {where} ({exc})") from exc
    try:
        if settings.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if settings.username:
            server.login(settings.username, settings.password or "")
    except (OSError, smtplib.SMTPException) as exc:
        # Say goodbye so the server does not wait for its timeout on a half-open session.
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
        raise MailingError(f"cannot use SMTP server {where} ({exc})") from exc
    return server


def send_messages(
    recipients: Iterable[EmailRecipient],
    kind: MessageKind,
    study: MailStudy,
    settings: SmtpSettings,
    *,
    on_sent: Callable[[SentMessage], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[SentMessage, ...]:
    """Send `kind` to each recipient, at most `messages_per_second`, and record every attempt."""
    interval = 1.0 / settings.messages_per_second if settings.messages_per_second > 0 else 0.0
    sent: list[SentMessage] = []
    if not settings.sender or settings.sender.endswith("@localhost"):
        raise MailingError(
            "no sender address for the e-mails: set the wave's email_sender "
            "(barometre wave settings --email-sender ...) or $BAROMETRE_SMTP_SENDER"
        )
    server = _connect(settings)
    try:
        next_at = clock()
        for recipient in recipients:
            wait = next_at - clock()
            if wait > 0:
                sleep(wait)
            next_at = max(next_at, clock()) + interval
            message = compose(recipient, kind, study, settings)
            error, bounced = None, False
            try:
                refused = server.send_message(
                    message, from_addr=settings.sender, to_addrs=[recipient.email]
                )
                if refused:
                    code, reason = refused[recipient.email]
                    error, bounced = f"{code} {reason!r}", code >= 500
            except smtplib.SMTPRecipientsRefused as exc:
                code, reason = exc.recipients.get(recipient.email, (550, b"refused"))
                error, bounced = f"{code} {reason.decode(errors='replace')}", code >= 500
            except smtplib.SMTPResponseException as exc:
                error, bounced = f"{exc.smtp_code} {exc.smtp_error!r}", False
                server.rset()
            record = SentMessage(
                case_id=recipient.case_id,
                email=recipient.email,
                kind=kind,
                message_id=str(message["Message-ID"]),
                at=datetime.now(UTC),
                error=error,
                bounced=bounced,
            )
            sent.append(record)
            if on_sent is not None:
                on_sent(record)
    finally:
        try:
            server.quit()
        except smtplib.SMTPException:
            server.close()
    return tuple(sent)


CaseStatus = Literal["none", "partial", "complete", "refused", "ineligible"]


@dataclass(frozen=True, slots=True)
class ReminderRule:
    """Send `kind` `after_days` after the invitation to cases whose status is in `to`."""

    kind: MessageKind
    after_days: int
    to: frozenset[str]


DEFAULT_RULES = (
    ReminderRule(MessageKind.REMINDER_1, 7, frozenset({"none"})),
    ReminderRule(MessageKind.REMINDER_2, 14, frozenset({"none"})),
    ReminderRule(MessageKind.FINISH, 7, frozenset({"partial"})),
)


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """Who gets which reminder when (default: +7, +14 days to non-respondents, +7 to partials)."""

    rules: tuple[ReminderRule, ...] = DEFAULT_RULES


@dataclass(frozen=True, slots=True)
class CaseContactState:
    """What the reminder policy needs to know about one case."""

    case_id: str
    invited_at: datetime | None
    status: CaseStatus = "none"
    opted_out: bool = False
    bounced: bool = False
    already_sent: frozenset[MessageKind] = field(default_factory=frozenset)


def due_reminders(
    cases: Sequence[CaseContactState], now: datetime, policy: ReminderPolicy | None = None
) -> list[tuple[str, MessageKind]]:
    """The one message due to each case now, if any.

    Never to a case that opted out, bounced, completed, refused or is ineligible, nor
    before its invitation. When several rules are due (a late run), only the latest one
    is sent: nobody gets two reminders in the same run.
    """
    rules = (policy or ReminderPolicy()).rules
    due: list[tuple[str, MessageKind]] = []
    for case in cases:
        if case.invited_at is None or case.opted_out or case.bounced:
            continue
        if case.status in ("complete", "refused", "ineligible"):
            continue
        elapsed = now - case.invited_at
        eligible = [
            rule
            for rule in rules
            if case.status in rule.to
            and elapsed >= timedelta(days=rule.after_days)
            and rule.kind not in case.already_sent
        ]
        if not eligible:
            continue
        latest = max(eligible, key=lambda rule: rule.after_days)
        # A later reminder already sent makes earlier ones moot.
        sent_later = any(
            rule.kind in case.already_sent and rule.after_days > latest.after_days
            for rule in rules
            if case.status in rule.to
        )
        if not sent_later:
            due.append((case.case_id, latest.kind))
    return due
