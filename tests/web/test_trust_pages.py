"""The home page and the questionnaire show the wave's name, organiser, contact and notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]
SETTINGS = {
    "organiser": "Observatoire régional des PME",
    "contact_email": "claire.martin@observatoire.example",
    "purpose": "mesurer l'usage des réseaux sociaux",
    "legal_basis": "intérêt légitime",
    "dpo_contact": "dpo@observatoire.example",
}


def test_home_and_questionnaire_pages_carry_the_wave_and_its_notice(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """The title names wave 2026, not 2018; organiser, contact and DPO are on both pages."""
    w, codes = wave
    store.set_wave_settings(w.id, SETTINGS)
    home = client.get("/")
    assert home.status_code == 200
    for page in (home.text, client.get(f"/r/{codes[0].token}", follow_redirects=True).text):
        assert "(2026)" in page and "(2018)" not in page
        assert "Enquête conduite par Observatoire régional des PME" in page
        assert "claire.martin@observatoire.example" in page
        assert "Délégué à la protection des données\u00a0: dpo@observatoire.example" in page
        assert "questionnaire aux dirigeants (2026)" in page


def test_pages_without_settings_show_no_empty_notice(client: TestClient, wave: Invited) -> None:
    """Before the team sets anything, no empty notice block is shown (and the title is right)."""
    _, codes = wave
    page = client.get(f"/r/{codes[0].token}", follow_redirects=True).text
    assert 'class="trust' not in page and "(2026)" in page
