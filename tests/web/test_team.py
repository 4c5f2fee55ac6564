"""The study team's area: login, dashboard, paper entry, exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave
from barometre.web.testing import COMPLETE, answer_page, complete_questionnaire, csrf_of

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]
PASSWORD = "correct horse battery staple"


def _login(client: TestClient, store: Store, password: str = PASSWORD) -> object:
    if not any(u.username == "alice" for u in store.users()):
        store.create_user("alice", PASSWORD, "team")
    page = client.get("/equipe/login")
    return client.post(
        "/equipe/login",
        data={"username": "alice", "password": password, "csrf_token": csrf_of(page.text)},
    )


def test_team_area_needs_login(client: TestClient) -> None:
    """The dashboard, paper entry and exports send anonymous visitors to the login page."""
    for path in ("/equipe", "/equipe/saisie", "/equipe/export/1.csv"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/equipe/login"


def test_wrong_password(client: TestClient, store: Store) -> None:
    """A wrong password is refused without saying which part was wrong."""
    r = _login(client, store, "wrong password!!")
    assert r.status_code == 401 and "Identifiant ou mot de passe incorrect" in r.text  # type: ignore[attr-defined]


def test_dashboard(client: TestClient, store: Store, wave: Invited) -> None:
    """After a complete and a partial response and an opt-out, the dashboard shows them."""
    w, codes = wave
    complete_questionnaire(client, client.get(f"/r/{codes[0].token}"), COMPLETE)
    client.cookies.clear()
    client.get(f"/r/{codes[1].token}")  # starts, answers nothing yet
    page = client.get("/q/site")
    answer_page(client, page.text, "/q/site", COMPLETE)
    store.opt_out(w.id, codes[2].case_id)
    client.cookies.clear()
    r = _login(client, store)
    assert r.url.path == "/equipe"  # type: ignore[attr-defined]
    text = r.text  # type: ignore[attr-defined]
    assert "Questionnaire complet" in text and "Questionnaire partiel" in text
    assert "RR1" in text and "Ensemble" in text
    assert "<dd>1</dd>" in text  # one complete, one partial, one opt-out
    export = client.get(f"/equipe/export/{w.id}.csv")
    assert export.status_code == 200 and export.text.startswith("case_id")
    assert "Entreprise" not in export.text  # company names (contact side) never exported


def test_paper_entry(client: TestClient, store: Store, wave: Invited) -> None:
    """A keyed paper questionnaire goes through the web form's validation, then is stored."""
    w, codes = wave
    _login(client, store)
    form = client.get(f"/equipe/saisie?wave={w.id}")
    assert form.status_code == 200
    missing = client.post(
        f"/equipe/saisie?wave={w.id}",
        data={"csrf_token": csrf_of(form.text), "case_id": codes[3].case_id, "website": "vitrine"},
    )
    assert missing.status_code == 422 and "Une réponse est obligatoire." in missing.text
    assert store.response(w.id, codes[3].case_id) is None
    fields = {k: v for k, v in COMPLETE.items()}
    ok = client.post(
        f"/equipe/saisie?wave={w.id}",
        data={"csrf_token": csrf_of(form.text), "case_id": codes[3].short_code, **fields},
    )
    assert ok.status_code == 200 and "enregistré" in ok.text
    stored = store.response(w.id, codes[3].case_id)
    assert stored is not None and stored.source == "paper" and stored.status == "complete"


def test_fieldwork_matches_the_campaign(client: TestClient, store: Store, wave: Invited) -> None:
    """The dashboard's bulk reading gives exactly the campaign's final codes and AAPOR rates."""
    from barometre.campaign.storage import wave_rates
    from barometre.web.fieldwork import fieldwork

    w, codes = wave
    complete_questionnaire(client, client.get(f"/r/{codes[0].token}"), COMPLETE)
    store.record_disposition(w.id, codes[1].case_id, "2.11", "refused by phone")
    store.record_disposition(w.id, codes[2].case_id, "4.10")
    work = fieldwork(store, w.id)
    assert work.rates == wave_rates(store, w.id)
    assert {d.code: d.n for d in work.dispositions} == {"1.1": 1, "2.11": 1, "3.19": 3, "4.10": 1}
    assert work.complete == 1 and work.cases == 6
