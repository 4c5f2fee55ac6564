"""The paper entry screen: web-answered cases refused in words, off-route answers flagged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave
from barometre.web.testing import COMPLETE, complete_questionnaire, csrf_of

from .test_team import _login

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]


def test_paper_entry_refuses_a_case_answered_on_the_web(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """A paper form for a web-completed case gets a clear 409, never "enregistré"."""
    w, codes = wave
    complete_questionnaire(client, client.get(f"/r/{codes[0].token}"), COMPLETE)
    before = store.response(w.id, codes[0].case_id)
    client.cookies.clear()
    _login(client, store)
    form = client.get(f"/equipe/saisie?wave={w.id}")
    r = client.post(
        f"/equipe/saisie?wave={w.id}",
        data={"csrf_token": csrf_of(form.text), "case_id": codes[0].case_id, **COMPLETE},
    )
    assert r.status_code == 409
    assert "a déjà répondu en ligne" in r.text and "n\u2019est pas enregistré" in r.text
    assert "Questionnaire du cas" not in r.text  # the "saved" sentence
    assert store.response(w.id, codes[0].case_id) == before


def test_paper_entry_keeps_off_route_answers_flagged(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """Answers to skipped questions do not reject the form; they are named and logged."""
    w, codes = wave
    _login(client, store)
    form = client.get(f"/equipe/saisie?wave={w.id}")
    off_route = {**COMPLETE, "net_facebook": "no", "net_linkedin": "no"}
    r = client.post(
        f"/equipe/saisie?wave={w.id}",
        data={"csrf_token": csrf_of(form.text), "case_id": codes[1].case_id, **off_route},
    )
    assert r.status_code == 200 and "hors parcours" in r.text and "managed_by" in r.text
    stored = store.response(w.id, codes[1].case_id)
    assert stored is not None and "managed_by" not in stored.answers
    assert [e.case_id for e in store.campaign_log(w.id, "paper_off_route")] == [codes[1].case_id]
