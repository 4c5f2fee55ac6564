"""Bad input refused cleanly, formula-safe exports, links never from Host, an honest OpenAPI
document (issue 15, findings 6 and 9)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.store import Store, Wave
from barometre.web import WebSettings, create_app
from barometre.web.testing import COMPLETE, csrf_of

from .conftest import client_class

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]
PASSWORD = "correct horse battery staple"


def _token(store: Store, role: str = "team") -> dict[str, str]:
    store.create_user(f"api-{role}", PASSWORD, role)  # type: ignore[arg-type]
    _, secret = store.create_api_token(f"api-{role}", "tests")
    return {"Authorization": f"Bearer {secret}", "content-type": "application/json"}


def test_lone_surrogate_is_a_422_naming_the_field(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """A lone surrogate in an answer or a question id gets 422 naming it, not a 500."""
    w, codes = wave
    url = f"/api/v1/waves/{w.id}/responses/{codes[0].case_id}"
    headers = _token(store)
    in_value = client.put(
        url, content=b'{"answers": {"comment": "a\\ud800b"}, "status": "partial"}', headers=headers
    )
    assert in_value.status_code == 422, in_value.text
    assert [p["question_id"] for p in in_value.json()["problems"]] == ["comment"]
    in_key = client.put(
        url, content=b'{"answers": {"x\\udfff": "yes"}, "status": "partial"}', headers=headers
    )
    assert in_key.status_code == 422 and in_key.json()["problems"][0]["question_id"] == "x\\udfff"
    assert store.response(w.id, codes[0].case_id) is None


def test_free_text_and_bodies_have_size_limits(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """A comment over 5,000 characters is a 422 naming it; a body over 256 KiB is a 413."""
    w, codes = wave
    url = f"/api/v1/waves/{w.id}/responses/{codes[0].case_id}"
    headers = _token(store)
    long = client.put(url, json={"answers": {**COMPLETE, "comment": "x" * 5001}}, headers=headers)
    assert long.status_code == 422
    assert [(p["question_id"], p["code"]) for p in long.json()["problems"]] == [
        ("comment", "out_of_bounds")
    ]
    huge = client.put(
        url, json={"answers": {**COMPLETE, "comment": "x" * 2_000_000}}, headers=headers
    )
    assert huge.status_code == 413 and "detail" in huge.json()
    assert store.response(w.id, codes[0].case_id) is None


def test_paper_entry_refuses_overlong_text(client: TestClient, store: Store, wave: Invited) -> None:
    """The team's paper form says a comment is too long, next to it, and stores nothing."""
    w, codes = wave
    store.create_user("alice", PASSWORD, "team")
    page = client.get("/equipe/login")
    client.post(
        "/equipe/login",
        data={"username": "alice", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    form = client.get(f"/equipe/saisie?wave={w.id}")
    r = client.post(
        f"/equipe/saisie?wave={w.id}",
        data={
            "csrf_token": csrf_of(form.text),
            "case_id": codes[1].case_id,
            **{**COMPLETE, "comment": "y" * 6000},
        },
    )
    assert r.status_code == 422 and "Texte trop long" in r.text
    assert store.response(w.id, codes[1].case_id) is None


def test_csv_export_is_spreadsheet_safe(client: TestClient, store: Store, wave: Invited) -> None:
    """A comment starting with = (or + - @) is exported with a leading quote, never raw."""
    w, codes = wave
    payload = '=HYPERLINK("http://evil.example","clic")'
    answers = {**COMPLETE, "headcount": 14, "comment": payload}
    store.save_response(w.id, codes[0].case_id, answers, "complete")
    store.create_user("alice", PASSWORD, "team")
    page = client.get("/equipe/login")
    client.post(
        "/equipe/login",
        data={"username": "alice", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    export = client.get(f"/equipe/export/{w.id}.csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert rows[0]["comment"] == "'" + payload
    assert not any(v.startswith(("=", "+", "@")) for row in rows for v in row.values() if v)


def test_links_never_come_from_the_host_header(store: Store, wave: Invited) -> None:
    """The language link is relative, or built from the configured base URL, never from Host."""
    settings = WebSettings(secret_key="s" * 32)
    with client_class()(create_app(store, settings), base_url="https://testserver") as c:
        page = c.get("/", headers={"host": "evil.example"})
    assert "evil.example" not in page.text and 'href="/?lang=en"' in page.text
    based = WebSettings(secret_key="s" * 32, base_url="https://barometre.example.org")
    with client_class()(create_app(store, based), base_url="https://testserver") as c:
        page = c.get("/", headers={"host": "evil.example"})
    assert "evil.example" not in page.text
    assert 'href="https://barometre.example.org/?lang=en"' in page.text


def test_openapi_documents_security_statuses_and_error_shape(client: TestClient) -> None:
    """The OpenAPI document has the bearer scheme, every status the PUT sends, one error shape."""
    doc = client.get("/api/openapi.json").json()
    assert doc["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    put = doc["paths"]["/api/v1/waves/{wave_id}/responses/{case_id}"]["put"]
    assert put["security"] == [{"apiToken": []}]
    assert set(put["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "422"}
    for status in ("400", "401", "403", "404", "409", "413", "422"):
        schema = put["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]


def test_empty_answers_and_method_not_allowed(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """`{"answers": {}}` as a partial save is a 200; a 405 lists every method of the path."""
    w, codes = wave
    url = f"/api/v1/waves/{w.id}/responses/{codes[2].case_id}"
    headers = _token(store)
    empty = client.put(url, json={"answers": {}, "status": "partial"}, headers=headers)
    assert empty.status_code == 200 and empty.json()["answers"] == {}
    wrong = client.delete(url, headers=headers)
    assert wrong.status_code == 405
    assert set(wrong.headers["allow"].split(", ")) >= {"GET", "PUT"}
    not_json = client.put(url, content=b"{not json", headers=headers)
    assert not_json.status_code == 400 and not_json.json()["detail"]
