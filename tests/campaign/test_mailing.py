"""E-mail through a real local SMTP server (aiosmtpd): personal links, opt-out, no leaks, policy."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from barometre.campaign.mailing import (
    CaseContactState,
    EmailRecipient,
    MailingError,
    MailStudy,
    MessageKind,
    ReminderPolicy,
    SmtpSettings,
    due_reminders,
    send_messages,
)

STUDY = MailStudy(
    study_name="Baromètre PME-ETI et réseaux sociaux",
    signature="L'équipe du baromètre",
    entry_url="https://barometre.example.fr/code",
    deadline=date(2026, 4, 15),
)


class Mailbox:
    """An aiosmtpd handler keeping every envelope; refuses addresses at bounce.example."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.endswith("@bounce.example"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, SmtpSettings]]:
    """A running SMTP server on 127.0.0.1 and settings pointing at it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield (
            mailbox,
            SmtpSettings(
                host="127.0.0.1",
                port=controller.port,
                security="none",
                sender="etudes@observatoire.example",
                sender_name="Observatoire des PME",
                messages_per_second=1000,
            ),
        )
    finally:
        controller.stop()


def _recipient(i: int, domain: str = "pme.example", language: str = "fr") -> EmailRecipient:
    return EmailRecipient(
        case_id=f"case{i}",
        email=f"dirigeant{i}@{domain}",
        link=f"https://barometre.example.fr/r/TOKEN{i}xyz",
        opt_out_link=f"https://barometre.example.fr/optout/TOKEN{i}xyz",
        short_code=f"K7QF-3MZP-{i}",
        language=language,  # type: ignore[arg-type]
        company=f"Société {i}",
    )


def _parse(envelope: Envelope) -> EmailMessage:
    raw = envelope.original_content or envelope.content
    assert isinstance(raw, bytes)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_invitations_reach_each_recipient_alone(smtp: tuple[Mailbox, SmtpSettings]) -> None:
    """Each recipient gets one message with their own link and opt-out, and nobody else's."""
    mailbox, settings = smtp
    recipients = [_recipient(i) for i in range(4)] + [_recipient(9, language="en")]
    sent = send_messages(recipients, MessageKind.INVITATION, STUDY, settings)
    assert all(s.accepted for s in sent)
    assert len(mailbox.envelopes) == 5
    for recipient, envelope in zip(recipients, mailbox.envelopes, strict=True):
        assert envelope.rcpt_tos == [recipient.email]
        message = _parse(envelope)
        body = message.get_content()
        assert message["To"] == recipient.email
        assert message["List-Unsubscribe"] == f"<{recipient.opt_out_link}>"
        assert recipient.link in body
        assert recipient.opt_out_link in body
        assert recipient.short_code in body
        others = [r for r in recipients if r is not recipient]
        raw = (envelope.original_content or b"").decode()
        assert not any(o.email in raw or o.link in body for o in others)
    first = _parse(mailbox.envelopes[0])
    assert "tirée au sort" in first["Subject"]
    assert "15 avril 2026" in first.get_content()
    assert "Observatoire des PME" in first["From"]
    english = _parse(mailbox.envelopes[4])
    assert "selected" in english["Subject"]
    assert "Your company has been drawn" in english.get_content()


def test_refused_recipient_is_recorded_as_a_bounce(smtp: tuple[Mailbox, SmtpSettings]) -> None:
    """A 550 on RCPT is recorded as a bounce and the other messages still go out."""
    mailbox, settings = smtp
    recipients = [_recipient(1), _recipient(2, domain="bounce.example"), _recipient(3)]
    sent = send_messages(recipients, MessageKind.REMINDER_1, STUDY, settings)
    assert [s.accepted for s in sent] == [True, False, True]
    assert sent[1].bounced
    assert sent[1].error is not None and "550" in sent[1].error
    assert [e.rcpt_tos for e in mailbox.envelopes] == [
        ["dirigeant1@pme.example"],
        ["dirigeant3@pme.example"],
    ]
    assert "Rappel" in _parse(mailbox.envelopes[0])["Subject"]


def test_sending_is_throttled(smtp: tuple[Mailbox, SmtpSettings]) -> None:
    """At 2 messages per second, 5 messages wait about 0.5 s before each after the first."""
    mailbox, settings = smtp
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    slow = replace(settings, messages_per_second=2.0)
    send_messages(
        [_recipient(i) for i in range(5)], MessageKind.INVITATION, STUDY, slow,
        clock=lambda: now[0], sleep=sleep,
    )  # fmt: skip
    assert waits == pytest.approx([0.5] * 4)
    assert len(mailbox.envelopes) == 5


def test_unreachable_server_is_a_clear_error() -> None:
    """No server listening raises MailingError naming host and port."""
    settings = SmtpSettings(
        host="127.0.0.1", port=_free_port(), timeout=2, sender="etudes@observatoire.example"
    )
    with pytest.raises(MailingError, match=r"127\.0\.0\.1"):
        send_messages([_recipient(1)], MessageKind.INVITATION, STUDY, settings)


def test_reminder_policy() -> None:
    """+7 days: reminder 1 to non-respondents, finish to partials; nobody else; +14: reminder 2."""
    invited = datetime(2026, 3, 2, 9)
    cases = [
        CaseContactState("none", invited),
        CaseContactState("partial", invited, status="partial"),
        CaseContactState("complete", invited, status="complete"),
        CaseContactState("optout", invited, opted_out=True),
        CaseContactState("bounce", invited, bounced=True),
        CaseContactState("refused", invited, status="refused"),
        CaseContactState("never_invited", None),
        CaseContactState("had_r1", invited, already_sent=frozenset({MessageKind.REMINDER_1})),
    ]
    assert due_reminders(cases, invited + timedelta(days=6)) == []
    assert due_reminders(cases, invited + timedelta(days=7)) == [
        ("none", MessageKind.REMINDER_1),
        ("partial", MessageKind.FINISH),
    ]
    assert due_reminders(cases, invited + timedelta(days=14)) == [
        ("none", MessageKind.REMINDER_2),
        ("partial", MessageKind.FINISH),
        ("had_r1", MessageKind.REMINDER_2),
    ]
    after_r2 = CaseContactState("x", invited, already_sent=frozenset({MessageKind.REMINDER_2}))
    assert due_reminders([after_r2], invited + timedelta(days=30), ReminderPolicy()) == []


# The local test server takes a login over plain text; real servers get STARTTLS or SSL.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_login_is_used_when_configured() -> None:
    """With a username, the client logs in; the server refuses mail without it."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        return AuthResult(success=ok)

    mailbox = Mailbox()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=_free_port(), authenticator=authenticator,
        auth_required=True, auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    try:
        base = SmtpSettings(
            host="127.0.0.1", port=controller.port, messages_per_second=1000,
            sender="etudes@observatoire.example",
        )  # fmt: skip
        sent = send_messages(
            [_recipient(1)], MessageKind.INVITATION, STUDY,
            replace(base, username="etudes", password="s3cret"),
        )  # fmt: skip
        assert sent[0].accepted
        anonymous = send_messages([_recipient(2)], MessageKind.INVITATION, STUDY, base)
        assert not anonymous[0].accepted
        assert anonymous[0].error is not None and anonymous[0].error.startswith("530")
    finally:
        controller.stop()
    assert [e.rcpt_tos for e in mailbox.envelopes] == [["dirigeant1@pme.example"]]


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """BAROMETRE_SMTP_* variables fill the settings; the port follows the security mode."""
    monkeypatch.setenv("BAROMETRE_SMTP_HOST", "smtp.example.fr")
    monkeypatch.setenv("BAROMETRE_SMTP_SECURITY", "ssl")
    monkeypatch.setenv("BAROMETRE_SMTP_USERNAME", "etudes")
    monkeypatch.setenv("BAROMETRE_SMTP_RATE", "2.5")
    settings = SmtpSettings.from_env()
    assert (settings.host, settings.port, settings.security) == ("smtp.example.fr", 465, "ssl")
    assert (settings.username, settings.messages_per_second) == ("etudes", 2.5)
    monkeypatch.setenv("BAROMETRE_SMTP_SECURITY", "tls1.0")
    with pytest.raises(MailingError, match="SECURITY"):
        SmtpSettings.from_env()
