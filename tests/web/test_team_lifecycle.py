"""The team area moves a wave through its life with buttons (CSRF-protected), refusals in words."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from barometre.campaign.codes import InvitationCode
from barometre.questionnaire import load_builtin
from barometre.report import compute_results
from barometre.report.results_json import to_dict
from barometre.report.testing import example_wave
from barometre.store import Store, Wave
from barometre.web.testing import COMPLETE, complete_questionnaire, csrf_of

from .test_team import _login

if TYPE_CHECKING:
    from starlette.testclient import TestClient

Invited = tuple[Wave, list[InvitationCode]]


def _step(client: TestClient, wave_id: int, step: str, **files: bytes) -> object:
    page = client.get(f"/equipe?wave={wave_id}")
    return client.post(
        f"/equipe/vague/{wave_id}/{step}",
        data={"csrf_token": csrf_of(page.text)},
        files={name: (f"{name}.json", content) for name, content in files.items()} or None,
    )


def test_close_publish_archive_from_the_team_area(
    client: TestClient, store: Store, wave: Invited
) -> None:
    """Close, a refused publish (no weights, said in French with the name), publish, archive."""
    w, codes = wave
    for code in codes[:3]:
        client.cookies.clear()
        complete_questionnaire(client, client.get(f"/r/{code.token}"), COMPLETE)
    client.cookies.clear()
    _login(client, store)
    page = client.get(f"/equipe?wave={w.id}")
    assert "Clore la collecte" in page.text and "en collecte" in page.text

    forged = client.post(f"/equipe/vague/{w.id}/close", data={"csrf_token": "forged"})
    assert forged.status_code == 403 and store.wave(w.id).status == "open"

    closed = _step(client, w.id, "close")
    assert closed.status_code == 200 and store.wave(w.id).status == "closed"  # type: ignore[attr-defined]
    assert f"La collecte de la vague «\u00a0{w.name}\u00a0» est close." in closed.text  # type: ignore[attr-defined]

    results = to_dict(
        compute_results(example_wave(300, seed=3), load_builtin("bpi2018"), wave=w.name,
                        with_drivers=False)
    )  # fmt: skip
    content = json.dumps(results).encode()
    refused = _step(client, w.id, "publish", results=content)
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert f"La vague «\u00a0{w.name}\u00a0» ne peut pas être publiée" in refused.text  # type: ignore[attr-defined]
    assert "pondérés" in refused.text and store.wave(w.id).status == "closed"  # type: ignore[attr-defined]

    store.store_weights(w.id, {c.case_id: 10.0 for c in codes[:3]}, method="test")
    published = _step(client, w.id, "publish", results=content)
    assert published.status_code == 200, published.text  # type: ignore[attr-defined]
    assert store.wave(w.id).status == "published" and store.wave_results(w.id) is not None
    archived = _step(client, w.id, "archive")
    assert archived.status_code == 200 and store.wave(w.id).status == "archived"  # type: ignore[attr-defined]
    assert "est archivée" in archived.text  # type: ignore[attr-defined]
