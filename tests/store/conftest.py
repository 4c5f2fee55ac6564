"""Fixtures of the store tests: a migrated store per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from barometre.store import NewInvitation, Store, open_store

# A complete, valid answer set to the 2018 instrument (a firm present on two networks).
COMPLETE_ANSWERS: dict[str, object] = {
    "website": "vitrine",
    "net_facebook": "yes",
    "net_linkedin": "yes",
    "net_twitter": "no",
    "net_youtube": "no",
    "net_instagram": "no",
    "activity": "active",
    "tempo": "bon_tempo",
    "strategy": "yes",
    "spend": "lt_5k",
    "managed_by": ["leader", "employee"],
    "staff_trained": "no",
    "marketing_team": "no",
    "actions": ["company_news", "recruit"],
    "objectives": ["visibility"],
    "obstacles": ["lack_time"],
    "competitive_edge": "yes",
    "leader_activity": "peu_active",
    "size_band": "20-49",
    "sector": "services",
    "market": "b2b",
    "region": "84",
    "employee_age": "under_40",
    "leader_age": "50_59",
    "growth": "up",
    "headcount": 31,
    "comment": "Très utile",
}

# Cheap argon2 parameters keep the tests fast; test_team.py checks the production ones.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

FIRST_PAGES = {k: COMPLETE_ANSWERS[k] for k in ("website", "net_facebook", "net_linkedin")}

FRAME = [
    {"siren": "732829320", "name": "Alpha SA", "naf_code": "62.01Z", "size_band": "20-49",
     "sector": "services", "region": "84", "category": "PME", "turnover": 4.2e6,
     "person_name": "Mme Dupont", "email": "dirigeant@alpha.example", "address": "1 rue A",
     "postal_code": "69001", "city": "Lyon"},
    {"siren": "552100554", "name": "Beta SARL", "naf_code": "47.11A", "size_band": "10-19",
     "sector": "commerce", "region": "11", "category": "PME", "turnover": 2.5e6,
     "email": "contact@beta.example"},
    {"siren": "383474814", "name": "Gamma SAS", "naf_code": "25.62A", "size_band": "50-249",
     "sector": "industrie", "region": "32", "category": "ETI", "turnover": 60e6},
]  # fmt: skip  # one record per line reads as a table


@dataclass(frozen=True)
class OpenWave:
    """A store with an open wave of three sampled, invited companies."""

    store: Store
    wave_id: int
    case_ids: tuple[str, ...]
    tokens: tuple[str, ...]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session, copied for each test (migrating is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_store(f"sqlite:///{path}").close()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    """A PostgreSQL database migrated once per session, the template of each test's database."""
    name = "barometre_store_template"
    admin = sa.create_engine(postgres_server + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    open_store(f"{postgres_server}/{name}").close()  # no connection may stay open on a template
    return name


def _migrated_copy(database_url: str, request: pytest.FixtureRequest) -> None:
    """Replace the fresh empty database by a copy of the migrated template (same name)."""
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        shutil.copyfile(request.getfixturevalue("sqlite_template"), url.database)
        return
    template = request.getfixturevalue("postgres_template")
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{url.database}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"')
    admin.dispose()


@pytest.fixture
def store(database_url: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A store on a fresh database at the newest schema (test_migrations.py covers migrating)."""
    _migrated_copy(database_url, request)
    s = open_store(database_url, password_hasher=FAST_HASHER)
    yield s
    s.close()
    _drop(database_url)


def _drop(database_url: str) -> None:
    """Drop a test's PostgreSQL database: fewer dirty pages for the server's final checkpoint."""
    url = sa.make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def open_wave(store: Store) -> OpenWave:
    """An open `bpi2018` wave with a frame of three companies, all sampled and invited."""
    wave = store.create_wave("2026", "bpi2018", frame_description="SIRENE test stock")
    store.add_frame_units(wave.id, FRAME)
    store.add_sample(
        wave.id,
        [
            {"siren": u["siren"], "stratum": f"{u['size_band']}|{u['sector']}",
             "inclusion_probability": p}
            for u, p in zip(FRAME, (0.1, 0.25, 1.0), strict=True)
        ],
    )  # fmt: skip  # arguments grouped by meaning, one group a line
    cases = tuple(c.case_id for c in store.cases(wave.id))
    tokens = tuple(f"token-{i}-abcdefghijklmnopqrstuvwxyz" for i in range(len(cases)))
    store.issue_invitations(
        wave.id,
        [
            NewInvitation(c, tok, f"ABCD-EF{i}")
            for i, (c, tok) in enumerate(zip(cases, tokens, strict=True))
        ],
    )
    store.set_wave_status(wave.id, "open")
    return OpenWave(store, wave.id, cases, tokens)
