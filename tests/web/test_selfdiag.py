"""The public self-diagnostic: short form, validated, then the diagnostic page and its PDF."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from barometre.diagnostic import BenchmarkCell, BenchmarkTable, PeerLevel, Share
from barometre.store import Store, Wave
from barometre.web.testing import csrf_of

if TYPE_CHECKING:
    from starlette.testclient import TestClient

SHORT = {
    "net_facebook": "yes",
    "net_linkedin": "no",
    "net_twitter": "no",
    "net_youtube": "no",
    "net_instagram": "yes",
    "activity": "active",
    "tempo": "bon_tempo",
    "strategy": "no",
    "spend": "zero",
    "staff_trained": "no",
    "marketing_team": "no",
    "leader_activity": "peu_active",
    "size_band": "20-49",
    "sector": "commerce",
    "market": "b2c",
}


def _take(client: TestClient, answers: dict[str, str], lang: str = "fr") -> object:
    form = client.get(f"/diagnostic?lang={lang}")
    assert form.status_code == 200
    return client.post("/diagnostic", data={"csrf_token": csrf_of(form.text), **answers})


def test_self_diagnostic_in_french(client: TestClient) -> None:
    """The short form gives the segment, the score, the plan, and says no wave is published."""
    result = _take(client, SHORT)
    assert result.url.path == "/diagnostic/resultat"  # type: ignore[attr-defined]
    text = result.text  # type: ignore[attr-defined]
    assert "Pionnières" in text and "Score de maturité" in text
    assert "Aucune vague publiée" in text
    assert "Être présent là où sont vos clients" not in text  # already on Facebook/Instagram
    assert "Animer une communauté" in text or "service client" in text  # a B2C step


def test_self_diagnostic_in_english(client: TestClient) -> None:
    """The English switch gives the whole page, questions and diagnostic, in English."""
    form = client.get("/diagnostic?lang=en")
    assert 'lang="en"' in form.text and "Self-diagnostic" in form.text
    result = _take(client, SHORT, "en")
    text = result.text  # type: ignore[attr-defined]
    assert "Pioneers" in text and "Maturity score" in text and "Your action plan" in text


def test_missing_answers_are_reported(client: TestClient) -> None:
    """Unanswered required questions come back with messages and the answers kept."""
    r = _take(client, {"net_facebook": "yes"})
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert r.text.count('class="error-message"') >= 10  # type: ignore[attr-defined]
    assert 'name="net_facebook" value="yes" checked' in r.text  # type: ignore[attr-defined]


def test_tampered_result_address_is_refused(client: TestClient) -> None:
    """A result address whose signature does not match sends back to the form."""
    r = client.get("/diagnostic/resultat?d=eyJhIjoxfQ.forged", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/diagnostic"


def test_pdf(client: TestClient) -> None:
    """The diagnostic downloads as a PDF."""
    result = _take(client, SHORT)
    link = re.search(r'href="(/diagnostic/diagnostic\.pdf[^"]+)"', result.text)  # type: ignore[attr-defined]
    assert link
    pdf = client.get(link.group(1).replace("&amp;", "&"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5_000


def test_peer_benchmark_from_published_wave(
    client: TestClient, store: Store, wave: tuple[Wave, list]
) -> None:  # type: ignore[type-arg]
    """Once a wave is published with its benchmark table, the page compares with peers."""
    w, _ = wave
    shares = {
        "present": Share(0.62, 0.55, 0.69),
        "score": Share(38.0, 35.0, 41.0),
        "segment:pionnieres": Share(0.3, 0.24, 0.36),
    }
    table = BenchmarkTable(
        w.name,
        30,
        0.95,
        (
            BenchmarkCell(PeerLevel.ALL, None, None, 400, False, shares),
            BenchmarkCell(PeerLevel.SIZE, "20-49", None, 120, False, shares),
            BenchmarkCell(PeerLevel.SIZE_SECTOR, "20-49", "commerce", 12, True, {}),
        ),
    )
    store.set_wave_status(w.id, "closed")
    store.publish_wave(w.id, {"indicators": []}, table)
    client.app.state.web.data.ttl = 0  # type: ignore[attr-defined]
    text = _take(client, SHORT).text  # type: ignore[attr-defined]
    assert "comparaison élargie aux entreprises de 20-49 salariés" in text
    assert "62 %" in text and "(55 % – 69 %)" in text
    assert "30 % ont ce profil (IC à 95 % : 24 % – 36 %)" in text
