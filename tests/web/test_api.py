"""The JSON API: token auth, responses in and out, published results, OpenAPI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.diagnostic import BenchmarkCell, BenchmarkTable, PeerLevel, Share
from barometre.store import Store, Wave
from barometre.web.testing import COMPLETE

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]
ANSWERS = {**COMPLETE, "headcount": 14}


def _token(store: Store, role: str = "team") -> dict[str, str]:
    store.create_user(f"api-{role}", "a long enough password", role)  # type: ignore[arg-type]
    _, secret = store.create_api_token(f"api-{role}", "tests")
    return {"Authorization": f"Bearer {secret}"}


def test_api_needs_a_token(client: TestClient) -> None:
    """Without a valid bearer token the API answers 401."""
    assert client.get("/api/v1/waves").status_code == 401
    bad = client.get("/api/v1/waves", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"


def test_put_and_get_response(client: TestClient, store: Store, wave: Invited) -> None:
    """A response PUT through the API is validated, stored once, and read back."""
    w, codes = wave
    headers = _token(store)
    case = codes[0].case_id
    bad = client.put(
        f"/api/v1/waves/{w.id}/responses/{case}",
        json={"answers": {"website": "castle"}, "status": "partial"},
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["problems"][0]["code"] == "unknown_choice"
    url = f"/api/v1/waves/{w.id}/responses/{case}"
    first = client.put(url, json={"answers": ANSWERS}, headers=headers)
    again = client.put(url, json={"answers": ANSWERS}, headers=headers)
    assert first.status_code == again.status_code == 200
    changed = client.put(url, json={"answers": {**ANSWERS, "growth": "up"}}, headers=headers)
    assert changed.status_code == 409
    got = client.get(url, headers=headers).json()
    assert (
        got["status"] == "complete"
        and got["source"] == "import"
        and got["answers"]["headcount"] == 14
    )
    listed = client.get(f"/api/v1/waves/{w.id}/responses", headers=headers).json()
    assert [r["case_id"] for r in listed] == [case]
    assert "siren" not in str(listed)


def test_viewer_cannot_write(client: TestClient, store: Store, wave: Invited) -> None:
    """A viewer token reads but may not submit responses."""
    w, codes = wave
    headers = _token(store, "viewer")
    assert client.get("/api/v1/waves", headers=headers).status_code == 200
    r = client.put(
        f"/api/v1/waves/{w.id}/responses/{codes[0].case_id}",
        json={"answers": ANSWERS},
        headers=headers,
    )
    assert r.status_code == 403


def test_results(client: TestClient, store: Store, wave: Invited) -> None:
    """A published wave's results and benchmark table come back as stored."""
    w, _ = wave
    headers = _token(store)
    assert client.get(f"/api/v1/waves/{w.id}/results", headers=headers).status_code == 404
    store.set_wave_status(w.id, "closed")
    cell = BenchmarkCell(PeerLevel.ALL, None, None, 100, False, {"present": Share(0.7, 0.6, 0.8)})
    table = BenchmarkTable(w.name, 30, 0.95, (cell,))
    store.publish_wave(w.id, {"indicators": [{"id": "present", "estimate": 0.7}]}, table)
    body = client.get(f"/api/v1/waves/{w.id}/results", headers=headers).json()
    assert body["wave"]["status"] == "published"
    assert body["results"]["indicators"][0]["estimate"] == 0.7
    assert body["benchmark"] == [
        {
            "peer_cell": "all",
            "indicator": "present",
            "estimate": 0.7,
            "ci_low": 0.6,
            "ci_high": 0.8,
            "n": 100,
            "suppressed": False,
        }
    ]


def test_openapi(client: TestClient) -> None:
    """The OpenAPI document lists the API's paths and nothing of the HTML pages."""
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/waves/{wave_id}/responses/{case_id}" in spec["paths"]
    assert not any(p.startswith("/q/") or p.startswith("/equipe") for p in spec["paths"])


def test_unknown_query_parameters_are_refused(client: TestClient, store: Store) -> None:
    """A query parameter the operation does not declare gets a 422 naming it."""
    r = client.get("/api/v1/waves", params={"filtre": "x"}, headers=_token(store))
    assert r.status_code == 422 and "filtre" in r.text
