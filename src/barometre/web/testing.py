"""Helpers for tests, benchmarks and demos: an open wave with invited companies.

Public so that the web tests, the browser tests and `bench/web_load.py` share one way of
setting a wave up (and so that a study team can try the app on a throw-away database).
"""

from __future__ import annotations

import random
import re
from typing import Any

import numpy as np

from barometre.campaign.codes import InvitationCode, issue_codes
from barometre.questionnaire import load_builtin
from barometre.store import NewInvitation, Store, Wave
from barometre.synth.identifiers import sirens_for


def open_wave_with_invitations(
    store: Store, name: str, n_cases: int, *, seed: int = 1, questionnaire_id: str = "bpi2018"
) -> tuple[Wave, list[InvitationCode]]:
    """An open wave of `n_cases` sampled companies, each with a personal code.

    Another questionnaire (registered with the store first) may be given; the frame's size
    bands and sectors are then the 2018 ones.
    """
    rng = random.Random(seed)
    wave = store.create_wave(name, questionnaire_id)
    questionnaire = store.questionnaire_of(wave.id)
    codes_of = questionnaire if "size_band" in questionnaire else load_builtin("bpi2018")
    size_bands, sectors = (codes_of.question(q).codes for q in ("size_band", "sector"))
    units = [
        {
            "siren": f"{siren:09d}",
            "name": f"Entreprise {i}",
            "size_band": rng.choice(size_bands),
            "sector": rng.choice(sectors),
            "region": "11",
        }
        for i, siren in enumerate(sirens_for(np.arange(n_cases)).tolist())
    ]
    store.add_frame_units(wave.id, units)
    store.add_sample(
        wave.id,
        [
            {
                "siren": u["siren"],
                "stratum": f"{u['size_band']}|{u['sector']}",
                "inclusion_probability": 0.1,
            }
            for u in units
        ],
    )
    case_ids = [c.case_id for c in store.cases(wave.id)]
    codes = issue_codes(case_ids)
    store.issue_invitations(
        wave.id, [NewInvitation(c.case_id, c.token, c.short_code) for c in codes]
    )
    wave = store.set_wave_status(wave.id, "open")
    return wave, codes


COMPLETE: dict[str, Any] = {  # a valid bpi2018 answer set (a present B2B firm)
    "website": "vitrine",
    "net_facebook": "yes",
    "net_linkedin": "yes",
    "net_twitter": "no",
    "net_youtube": "no",
    "net_instagram": "no",
    "activity": "peu_active",
    "tempo": "en_retard",
    "strategy": "no",
    "spend": "lt_5k",
    "managed_by": ["leader"],
    "staff_trained": "no",
    "marketing_team": "no",
    "actions": ["company_news", "market_watch"],
    "objectives": ["visibility"],
    "obstacles": ["lack_time", "lack_skills"],
    "competitive_edge": "yes",
    "leader_activity": "inactive",
    "size_band": "10-19",
    "sector": "services",
    "market": "b2b",
    "region": "11",
    "employee_age": "under_40",
    "leader_age": "40_49",
    "growth": "stable",
    "headcount": "14",
    "comment": "<script>alert('x')</script> très bien",
}


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


def page_fields(html: str) -> set[str]:
    """The names of the enabled answer fields of a page."""
    names = set(
        re.findall(
            r'<input type="(?:radio|checkbox)" id="[^"]+" name="([a-z_]+)"'
            r' value="[^"]*"(?![^>]*disabled)',
            html,
        )
    )
    names |= set(
        re.findall(r'<(?:textarea|input type="text")[^>]* name="([a-z_]+)"(?![^>]*disabled)', html)
    )
    return names


def answer_page(client: Any, html: str, path: str, answers: dict[str, Any], **extra: str) -> Any:
    """Submit one page with the answers its fields ask for."""
    data: dict[str, Any] = {"csrf_token": csrf_of(html), **extra}
    data.update({k: v for k, v in answers.items() if k in page_fields(html)})
    return client.post(path, data=data)


def complete_questionnaire(client: Any, first: Any, answers: dict[str, Any]) -> Any:
    """Answer page after page from `first` (a page response) until the thank-you page."""
    response = first
    for _ in range(20):
        if "/q/" not in response.url.path:
            return response
        response = answer_page(client, response.text, response.url.path, answers)
        assert response.status_code == 200, response.text
    raise AssertionError("the questionnaire never ended")


def random_answers(questionnaire: Any, rng: random.Random) -> dict[str, Any]:
    """A valid, random answer set: every relevant question answered, skip logic respected."""
    from barometre.questionnaire import QuestionType, relevance, validate

    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        if not relevance(questionnaire, answers)[question.id]:
            continue
        if question.type is QuestionType.MULTIPLE:
            codes = [c.code for c in question.choices]
            for _ in range(50):  # draw again until the question's constraint holds
                answers[question.id] = rng.sample(codes, rng.randint(1, min(3, len(codes))))
                if not any(p.question_id == question.id for p in validate(questionnaire, answers)):
                    break
        elif question.type is QuestionType.NUMBER:
            low = int(question.minimum or 0)
            answers[question.id] = str(rng.randint(low, low + 300))
        elif question.type is QuestionType.TEXT:
            answers[question.id] = f"Commentaire n° {rng.randint(1, 10**6)} <b>&</b>"
        else:
            answers[question.id] = rng.choice(question.choices).code
    return answers


def post_scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The ASGI scope uvicorn would build for a POST to `path` from a loopback client."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
