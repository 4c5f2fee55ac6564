"""Trust: organiser, contact and notice are wave settings shown on letters and e-mails."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.campaign.french import long_date, typeset_fr
from barometre.campaign.letters import LetterRecipient, LetterStudy, render_letters
from barometre.campaign.mailing import (
    EmailRecipient,
    MailStudy,
    MessageKind,
    SmtpSettings,
    compose,
    greeting,
)
from barometre.campaign.settings import SettingsError, WaveSettings
from barometre.campaign.storage import issue_wave_codes, letter_foot, write_codes
from barometre.cli import app
from barometre.store import open_store

from ._wave import Mailbox, sampled_wave, smtp_server

runner = CliRunner()
SETTINGS = """\
organiser: Observatoire régional des PME
contact_name: Claire Martin
contact_email: claire.martin@observatoire.example
purpose: mesurer l'usage des réseaux sociaux par les PME (statistiques agrégées)
legal_basis: intérêt légitime (RGPD, art. 6-1-f)
retention: coordonnées supprimées à la clôture ; réponses pseudonymisées 5 ans
rights: accès, rectification, opposition, effacement
dpo_contact: dpo@observatoire.example
email_sender: etudes@observatoire.example
"""
# A plain space before these marks in French text is the typographic fault being tested.
BAD_FRENCH_SPACE = re.compile(r" [:;!?%»]")


def _recipient(person: str | None) -> EmailRecipient:
    return EmailRecipient(
        case_id="c1", email="d@pme.example", link="https://b.example/r/TOKEN",
        opt_out_link="https://b.example/opt-out/TOKEN", short_code="K7QF-3MZP-X",
        company="HOLDING SIMON ET FILS", person_name=person,
    )  # fmt: skip


def test_emails_greet_the_contact_by_name_never_by_company() -> None:
    """'Madame Durand,' with a civility, 'Bonjour Marie Durand,' without, never the company."""
    assert greeting("Madame Marie Durand", "fr") == "Madame Durand,"
    assert greeting("M. Paul Simon", "fr") == "Monsieur Simon,"
    assert greeting("Marie Durand", "fr") == "Bonjour Marie Durand,"
    assert greeting(None, "fr") == "Madame, Monsieur,"
    assert greeting("Madame Marie Durand", "en") == "Dear Ms Durand,"
    study = MailStudy("baromètre des PME", "L'équipe", "https://b.example", date(2026, 12, 1))
    settings = SmtpSettings(sender="etudes@observatoire.example")
    for kind in MessageKind:
        body = compose(_recipient("Madame Marie Durand"), kind, study, settings).get_content()
        assert body.startswith("Madame Durand,\n")
        assert "HOLDING SIMON ET FILS" not in body
        assert not BAD_FRENCH_SPACE.search(body), BAD_FRENCH_SPACE.search(body)
    invitation = compose(_recipient(None), MessageKind.INVITATION, study, settings).get_content()
    assert invitation.startswith("Madame, Monsieur,\n") and "1er décembre 2026" in invitation


def test_french_typography_helpers() -> None:
    """'1er' for the first of the month; a non-breaking space before : ; ! ? %, not in URLs."""
    assert long_date(date(2026, 12, 1), "fr") == "1er décembre 2026"
    assert long_date(date(2026, 12, 2), "fr") == "2 décembre 2026"
    assert long_date(date(2026, 12, 1), "en") == "1 December 2026"
    assert typeset_fr("Taux : 5 % ; voir https://x.fr/a?b=1") == (
        "Taux\u00a0: 5\u00a0%\u00a0; voir https://x.fr/a?b=1"
    )


def test_settings_are_validated_with_the_field_and_file_named() -> None:
    """Unknown settings and a localhost sender are refused, naming the setting and file."""
    with pytest.raises(SettingsError, match=r"settings\.yaml: unknown setting 'organizer'"):
        WaveSettings.from_mapping({"organizer": "x"}, "settings.yaml")
    with pytest.raises(SettingsError, match="email_sender 'barometre@localhost'"):
        WaveSettings.from_mapping({"email_sender": "barometre@localhost"}, "settings.yaml")
    complete = WaveSettings.from_mapping({"organiser": "Obs", "contact_email": "a@b.fr"})
    assert "purpose" in complete.missing() and "organiser" not in complete.missing()


def test_settings_reach_the_letter_and_the_email(tmp_path: Path) -> None:
    """Set from a YAML file, the organiser, contact and notice are printed and e-mailed."""
    db = f"sqlite:///{tmp_path / 'trust.sqlite'}"
    with open_store(db) as store:
        wave_id = sampled_wave(store, n=3)
        codes_file = tmp_path / "codes.csv"
        write_codes(codes_file, issue_wave_codes(store, wave_id))
    settings_file = tmp_path / "settings.yaml"
    settings_file.write_text(SETTINGS, encoding="utf-8")
    stored = runner.invoke(
        app, ["wave", "settings", "--wave", "2026", "--url", db, "--file", str(settings_file)]
    )
    assert stored.exit_code == 0 and "settings of wave '2026' stored" in stored.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("organizer: x\n", encoding="utf-8")
    refused = runner.invoke(
        app, ["wave", "settings", "--wave", "2026", "--url", db, "--file", str(bad)]
    )
    assert refused.exit_code == 1 and "unknown setting 'organizer'" in refused.output

    with open_store(db) as store:
        from barometre.campaign.storage import wave_settings

        foot = letter_foot(wave_settings(store, wave_id), "fr")
    pdf = tmp_path / "letter.pdf"
    study = LetterStudy(
        sender_lines=("Observatoire régional des PME",), city="Lyon",
        signatory_name="Claire Martin", signatory_title="", entry_url="https://b.example",
        deadline=date(2027, 1, 1), foot_lines=foot,
    )  # fmt: skip
    recipient = LetterRecipient("c1", ("SOCIETE 1", "1 RUE DE LA PAIX", "69002 LYON"),
                                "K7QF-3MZP-X", "https://b.example/r/TOKEN")  # fmt: skip
    render_letters([recipient], study, pdf, letter_date=date(2026, 12, 1))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Lyon, le 1er décembre 2026" in flat and "avant le 1er janvier 2027" in flat
    assert "Enquête conduite par Observatoire régional des PME" in flat
    assert "Délégué à la protection des données" in flat and "dpo@observatoire.example" in flat
    assert "claire.martin@observatoire.example" in flat

    box = Mailbox()
    with smtp_server(box) as port:
        sent = runner.invoke(app, [
            "campaign", "send", "--wave", "2026", "--url", db, "--codes", str(codes_file),
            "--base-url", "https://b.example", "--smtp-host", "127.0.0.1",
            "--smtp-port", str(port), "--smtp-security", "none", "--rate", "1000",
        ])  # fmt: skip
    assert sent.exit_code == 0, sent.output
    assert len(box.envelopes) == 3
    envelope = box.envelopes[0]
    assert envelope.mail_from == "etudes@observatoire.example"
    message = message_from_bytes(envelope.original_content or b"", policy=policy.default)
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert body.startswith("Madame Durand,")
    assert "Observatoire régional des PME" in body and "dpo@observatoire.example" in body
    assert "Base légale\u00a0: intérêt légitime" in body
    assert "Observatoire régional des PME" in str(message["From"])
