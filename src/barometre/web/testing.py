"""Helpers for tests, benchmarks and demos: an open wave with invited companies.

Public so that the web tests, the browser tests and `bench/web_load.py` share one way of
setting a wave up (and so that a study team can try the app on a throw-away database).
"""

from __future__ import annotations

import random

from barometre.campaign.codes import InvitationCode, issue_codes
from barometre.store import NewInvitation, Store, Wave

SIZE_BANDS = ("0-9", "10-19", "20-49", "50-249", "250+")
SECTORS = ("industrie", "agroalimentaire", "construction", "commerce", "transport",
           "tourisme_loisirs", "services")  # fmt: skip


def _siren(number: int) -> str:
    """A SIREN with a valid Luhn check digit."""
    body = f"{number:08d}"
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def open_wave_with_invitations(
    store: Store, name: str, n_cases: int, *, seed: int = 1
) -> tuple[Wave, list[InvitationCode]]:
    """An open wave of `n_cases` sampled companies, each with a personal code."""
    rng = random.Random(seed)
    wave = store.create_wave(name, "bpi2018")
    units = [
        {
            "siren": _siren(10_000_000 + i),
            "name": f"Entreprise {i}",
            "size_band": rng.choice(SIZE_BANDS),
            "sector": rng.choice(SECTORS),
            "region": "11",
        }
        for i in range(n_cases)
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
