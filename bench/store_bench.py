"""Benchmark barometre.store on one wave's worth of rows.

Run by hand from the project root:

    uv run python bench/store_bench.py                       # SQLite in a temp file
    uv run python bench/store_bench.py --url postgresql+psycopg://user@host/db   # an empty db
    uv run python bench/store_bench.py --cases 30000 --responses 3000

Steps: a frame of `--cases` companies with contacts, the same number sampled, one
invitation each (the campaign's scale), `--responses` complete responses saved one at a
time (the web's write path), then the wave dataset. The baseline (the floor) is a bare
executemany of the same number of frame rows into a plain table of the same engine,
timed in the same process; ratios are against it. Peak memory is the process's max RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher

from barometre.questionnaire.vocabulary import SIZE_BANDS as SIZES
from barometre.store import NewInvitation, open_store

ANSWERS: dict[str, Any] = {
    "website": "vitrine", "net_facebook": "yes", "net_linkedin": "yes", "net_twitter": "no",
    "net_youtube": "no", "net_instagram": "no", "activity": "active", "tempo": "bon_tempo",
    "strategy": "yes", "spend": "lt_5k", "managed_by": ["leader"], "staff_trained": "no",
    "marketing_team": "no", "actions": ["company_news"], "objectives": ["visibility"],
    "obstacles": ["lack_time"], "competitive_edge": "yes", "leader_activity": "peu_active",
    "size_band": "20-49", "sector": "services", "market": "b2b", "region": "84",
    "employee_age": "under_40", "leader_age": "50_59", "growth": "up", "headcount": 31,
}  # fmt: skip  # one record per line reads as a table
SECTORS = ("industrie", "agroalimentaire", "construction", "commerce", "transport",
           "tourisme_loisirs", "services")  # fmt: skip  # one record per line reads as a table


def _timed(label: str, work: Callable[[], Any], floor: float | None = None) -> float:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    ratio = f"  ({elapsed / floor:5.1f}x the bare insert)" if floor else ""
    print(f"{label:<44} {elapsed:8.2f} s{ratio}")
    return elapsed


def _frame(n: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    return [
        {
            "siren": f"{100000000 + i:09d}", "name": f"Entreprise {i}", "naf_code": "62.01Z",
            "size_band": rng.choice(SIZES), "sector": rng.choice(SECTORS), "region": "84",
            "category": "PME", "turnover": 3.5e6, "email": f"dirigeant{i}@example.org",
            "address": f"{i} rue de la République", "postal_code": "69001", "city": "Lyon",
        }
        for i in range(n)
    ]  # fmt: skip  # one record per line reads as a table


def run(url: str, n_cases: int, n_responses: int) -> None:
    store = open_store(url, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024))
    engine = store.engine
    frame = _frame(n_cases)
    print(f"{engine.dialect.name}: {n_cases:,} cases, {n_responses:,} responses")

    bare = sa.Table(
        "bench_bare", sa.MetaData(),
        *(sa.Column(c, sa.Float if c == "turnover" else sa.String) for c in frame[0]),
    )  # fmt: skip  # one record per line reads as a table
    bare.create(engine)

    def bare_insert() -> None:
        with engine.begin() as conn:
            conn.execute(sa.insert(bare), frame)

    floor = _timed("floor: bare executemany of the frame rows", bare_insert)
    bare.drop(engine)

    wave = store.create_wave(f"bench-{time.time_ns()}", "bpi2018")
    _timed("add_frame_units (with contacts)", lambda: store.add_frame_units(wave.id, frame), floor)
    sample = [
        {"siren": u["siren"], "stratum": f"{u['size_band']}|{u['sector']}",
         "inclusion_probability": 0.05}
        for u in frame
    ]  # fmt: skip  # one record per line reads as a table
    _timed("add_sample", lambda: store.add_sample(wave.id, sample), floor)
    cases = [c.case_id for c in store.cases(wave.id)]
    invitations = [
        NewInvitation(c, f"token-{c}-{'x' * 24}", f"C{i:07d}") for i, c in enumerate(cases)
    ]
    _timed("issue_invitations", lambda: store.issue_invitations(wave.id, invitations), floor)
    store.set_wave_status(wave.id, "open")

    def respond() -> None:
        for case in cases[:n_responses]:
            store.save_response(wave.id, case, ANSWERS, "complete", "web")

    elapsed = _timed(f"save_response x {n_responses:,} (one at a time)", respond)
    print(f"{'':<44} {n_responses / elapsed:8.0f} responses/s")
    pages = cases[n_responses : n_responses * 2]
    first_page = {k: ANSWERS[k] for k in ("website", "net_facebook", "net_linkedin")}

    def page_saves() -> None:
        for case in pages:
            store.save_response(wave.id, case, first_page, "partial", "web", page="site")

    elapsed = _timed(f"partial page save x {len(pages):,}", page_saves)
    print(f"{'':<44} {len(pages) / max(elapsed, 1e-9):8.0f} page saves/s")
    holder: dict[str, Any] = {}
    _timed("wave_dataset", lambda: holder.setdefault("df", store.wave_dataset(wave.id)))
    print(f"{'':<44} {holder['df'].shape} rows x columns")
    _timed("find_invitation_by_token x 1,000", lambda: [
        store.find_invitation_by_token(inv.token) for inv in invitations[:1000]
    ])  # fmt: skip  # one record per line reads as a table
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS)':<44} {peak_mb:8.0f} MB")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--cases", type=int, default=30_000)
    parser.add_argument("--responses", type=int, default=3_000)
    args = parser.parse_args()
    if args.url:
        run(args.url, args.cases, args.responses)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.cases, args.responses)


if __name__ == "__main__":
    main()
