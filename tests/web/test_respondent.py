"""Invited respondents: code or link, pages saved one by one, idempotent final submission."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave
from barometre.web.testing import COMPLETE, answer_page, complete_questionnaire, csrf_of

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]


def _enter_code(client: TestClient, code: str) -> object:
    home = client.get("/")
    return client.post("/code", data={"code": code, "csrf_token": csrf_of(home.text)})


def test_code_entry_then_complete(client: TestClient, store: Store, wave: Invited) -> None:
    """A letter code opens the questionnaire; answering every page ends on the diagnostic."""
    w, codes = wave
    first = _enter_code(client, codes[0].short_code.lower().replace("-", " "))
    assert first.status_code == 200 and first.url.path == "/q/site"  # type: ignore[attr-defined]
    done = complete_questionnaire(client, first, COMPLETE)
    assert done.url.path == "/merci"
    assert "Score de maturité" in done.text and "Votre plan d&#39;action" in done.text
    stored = store.response(w.id, codes[0].case_id)
    assert stored is not None and stored.status == "complete"
    assert stored.answers["managed_by"] == ["leader"] and stored.answers["headcount"] == 14
    assert store.response_counts(w.id) == {"partial": 0, "complete": 1}


def test_typo_unknown_and_used_codes(client: TestClient, wave: Invited) -> None:
    """A typo is caught by its check character, an unknown code said so; a used one leads back."""
    _, codes = wave
    good = codes[1].short_code
    typo = good[:-1] + ("A" if good[-1] != "A" else "B")
    r = _enter_code(client, typo)
    assert r.status_code == 422 and "faute de frappe" in r.text  # type: ignore[attr-defined]
    assert 'aria-invalid="true"' in r.text  # type: ignore[attr-defined]
    r = _enter_code(client, "ABC")
    assert r.status_code == 422 and "9 caractères" in r.text  # type: ignore[attr-defined]
    from barometre.campaign.codes import new_short_code

    r = _enter_code(client, new_short_code())
    assert r.status_code == 422 and "aucune invitation" in r.text  # type: ignore[attr-defined]
    complete_questionnaire(client, _enter_code(client, good), COMPLETE)
    client.cookies.clear()  # a new visit: only the letter's code to get back in
    r = _enter_code(client, good)
    assert r.status_code == 200 and r.url.path == "/merci"  # type: ignore[attr-defined]
    assert "Votre plan d&#39;action" in r.text  # type: ignore[attr-defined]


def test_code_guessing_is_rate_limited(client: TestClient) -> None:
    """After 5 failed codes (the test setting) the next attempt is refused with 429."""
    for _ in range(5):
        assert _enter_code(client, "ZZZZ").status_code == 422  # type: ignore[attr-defined]
    r = _enter_code(client, "ZZZZ")
    assert r.status_code == 429 and "Trop de tentatives" in r.text  # type: ignore[attr-defined]


def test_resume_where_left_off(client: TestClient, store: Store, wave: Invited) -> None:
    """Pages are saved as submitted; the link resumes at the next page to answer, as partial."""
    w, codes = wave
    first = client.get(f"/r/{codes[2].token}")
    assert first.url.path == "/q/site"
    second = answer_page(client, first.text, "/q/site", COMPLETE)
    third = answer_page(client, second.text, second.url.path, COMPLETE)
    assert third.url.path == "/q/activity"
    assert store.response_counts(w.id)["partial"] == 1
    dispositions = store.current_dispositions(w.id)
    assert dispositions[codes[2].case_id] == "1.2"
    client.cookies.clear()  # the browser is closed
    again = client.get(f"/r/{codes[2].token}")
    assert again.url.path == "/q/activity"  # the first page still to answer
    back = client.get("/q/presence")
    assert 'value="yes" checked' in back.text  # what was saved is still there


def test_double_submit_is_idempotent(client: TestClient, store: Store, wave: Invited) -> None:
    """Submitting the last page twice (double click, two tabs) stores one complete response."""
    w, codes = wave
    r = client.get(f"/r/{codes[3].token}")
    last = None
    for _ in range(20):
        if r.url.path == "/q/profile":
            last = r
            break
        r = answer_page(client, r.text, r.url.path, COMPLETE)
    assert last is not None
    first = answer_page(client, last.text, "/q/profile", COMPLETE)
    second = answer_page(client, last.text, "/q/profile", COMPLETE)
    changed = answer_page(client, last.text, "/q/profile", {**COMPLETE, "growth": "up"})
    assert first.url.path == second.url.path == changed.url.path == "/merci"
    stored = store.response(w.id, codes[3].case_id)
    assert (
        stored is not None and stored.status == "complete" and stored.answers["growth"] == "stable"
    )
    assert store.response_counts(w.id) == {"partial": 0, "complete": 1}
    assert client.get("/q/site").url.path == "/merci"  # locked afterwards


def test_validation_message_next_to_question(client: TestClient, wave: Invited) -> None:
    """A missing required answer is shown next to its question and in the error summary."""
    _, codes = wave
    first = client.get(f"/r/{codes[4].token}")
    r = client.post("/q/site", data={"csrf_token": csrf_of(first.text)})
    assert r.status_code == 422
    assert 'id="error-summary"' in r.text and 'role="alert"' in r.text
    assert 'id="err-website"' in r.text and 'aria-describedby="hint-website err-website"' in r.text
    english = client.get("/q/site?lang=en")
    r = client.post("/q/site", data={"csrf_token": csrf_of(english.text)})
    assert "An answer is required." in r.text and 'lang="en"' in r.text
    summary = r.text.split('id="error-summary"')[1].split("</div>")[0]
    assert "Does your company have a website?&nbsp;— An answer is required." in summary


def test_skip_logic_on_the_server(client: TestClient, store: Store, wave: Invited) -> None:
    """A firm with no account never sees the pages about its accounts' uses."""
    w, codes = wave
    no_account = {**COMPLETE, **{k: "no" for k in COMPLETE if k.startswith("net_")}}
    first = client.get(f"/r/{codes[5].token}")
    seen = []
    r = first
    for _ in range(20):
        if "/q/" not in r.url.path:
            break
        seen.append(r.url.path)
        r = answer_page(client, r.text, r.url.path, no_account)
    assert "/q/uses" not in seen
    stored = store.response(w.id, codes[5].case_id)
    assert stored is not None and "managed_by" not in stored.answers


def test_csrf_is_required(client: TestClient, wave: Invited) -> None:
    """A form posted without the session's CSRF token changes nothing."""
    _, codes = wave
    client.get(f"/r/{codes[0].token}")
    r = client.post("/q/site", data={"website": "vitrine", "csrf_token": "forged"})
    assert r.status_code == 403


def test_unknown_link(client: TestClient) -> None:
    """An unknown personal link says so, with a 404."""
    r = client.get("/r/not-a-real-token-aaaaaaaaaaaaaaaa")
    assert r.status_code == 404 and "pas valide" in r.text


def test_relevance_endpoint_for_the_browser(client: TestClient, wave: Invited) -> None:
    """The endpoint the page script calls says which questions the answers make relevant."""
    _, codes = wave
    first = client.get(f"/r/{codes[1].token}")
    token = csrf_of(first.text)
    none = {f"net_{n}": "no" for n in ("facebook", "linkedin", "twitter", "youtube", "instagram")}
    asked = client.post("/q/presence/relevance", data={"csrf_token": token, **none}).json()
    assert asked["relevant"]["net_facebook"] is True
    answer_page(client, first.text, "/q/site", COMPLETE)
    client.post("/q/presence", data={"csrf_token": token, **none})
    organisation = client.post("/q/organisation/relevance", data={"csrf_token": token}).json()
    assert organisation["relevant"]["managed_by"] is False
    assert client.post("/q/organisation/relevance", data={}).status_code == 403


def test_answer_to_a_skipped_question_is_dropped(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """An answer sent for a question the skip logic skips (no JavaScript) is dropped, not fatal."""
    w, codes = wave
    first = client.get(f"/r/{codes[3].token}")
    token = csrf_of(first.text)
    none = {f"net_{n}": "no" for n in ("facebook", "linkedin", "twitter", "youtube", "instagram")}
    answer_page(client, first.text, "/q/site", COMPLETE)
    client.post("/q/presence", data={"csrf_token": token, **none})
    organisation = {
        "csrf_token": token,
        "strategy": "no",
        "spend": "zero",
        "managed_by": "leader",  # skipped: the firm has no account
        "staff_trained": "no",
        "marketing_team": "no",
    }
    r = client.post("/q/organisation", data=organisation, follow_redirects=False)
    assert r.status_code == 303
    stored = store.response(w.id, codes[3].case_id)
    assert stored is not None and "managed_by" not in stored.answers
    assert stored.answers["spend"] == "zero"
