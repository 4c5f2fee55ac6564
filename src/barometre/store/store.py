"""`Store`: the barometer's database, opened from a URL, with repositories in survey terms."""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from barometre.store import migrate
from barometre.store import schema as t
from barometre.store._campaign_log import CampaignLogRepository
from barometre.store._dataset import DatasetRepository
from barometre.store._dispositions import DispositionRepository
from barometre.store._engine import DEFAULT_BUSY_TIMEOUT_MS, create_store_engine
from barometre.store._frame import FrameRepository
from barometre.store._gdpr import GdprRepository
from barometre.store._invitations import InvitationRepository
from barometre.store._limits import LimitRepository
from barometre.store._questionnaire import QuestionnaireCatalog
from barometre.store._responses import ResponseRepository
from barometre.store._results import ResultsRepository
from barometre.store._sessions import SessionRepository
from barometre.store._team import TeamRepository
from barometre.store._waves import WaveRepository
from barometre.store._weights import WeightsRepository
from barometre.store.errors import StoreConfigError
from barometre.store.records import StoreInfo

URL_ENV = "BAROMETRE_DATABASE_URL"
DEFAULT_URL = "sqlite:///barometre.sqlite"


def default_url() -> str:
    """The database URL from $BAROMETRE_DATABASE_URL, else `barometre.sqlite` here."""
    return os.environ.get(URL_ENV) or DEFAULT_URL


class Store(
    WaveRepository,
    FrameRepository,
    InvitationRepository,
    ResponseRepository,
    DispositionRepository,
    DatasetRepository,
    WeightsRepository,
    ResultsRepository,
    TeamRepository,
    SessionRepository,
    LimitRepository,
    GdprRepository,
    CampaignLogRepository,
):
    """A barometer's database: waves, frame, sample, invitations, responses and results."""

    def __init__(
        self,
        engine: Engine,
        catalog: QuestionnaireCatalog | None = None,
        password_hasher: PasswordHasher | None = None,
    ) -> None:
        super().__init__(engine, catalog, password_hasher)

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (a no-op when it already is)."""
        migrate.upgrade(self._engine)

    def info(self) -> StoreInfo:
        """Where the store is, its schema revision and how many rows each table holds."""
        revision = migrate.current_revision(self._engine)
        counts: dict[str, int] = {}
        if revision is not None:
            with self._read() as conn:
                for name, table in t.metadata.tables.items():
                    counts[name] = int(
                        conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                    )
        return StoreInfo(
            url=self._engine.url.render_as_string(hide_password=True),
            dialect=self._engine.dialect.name,
            revision=revision,
            head=migrate.head_revision(),
            row_counts=counts,
        )

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_store(
    url: str | None = None,
    *,
    upgrade: bool = True,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    password_hasher: PasswordHasher | None = None,
    engine_options: Mapping[str, Any] | None = None,
) -> Store:
    """Open (and by default migrate) the store at `url` (default: `default_url()`).

    `password_hasher` overrides argon2's parameters for study-team passwords (tests use
    cheap ones; users hashed with other parameters are re-hashed at their next login).
    """
    engine = create_store_engine(
        url or default_url(), busy_timeout_ms=busy_timeout_ms, engine_options=engine_options
    )
    store = Store(engine, password_hasher=password_hasher)
    try:
        if upgrade:
            store.upgrade()
        else:
            with engine.connect():
                pass
    except sa.exc.OperationalError as exc:
        store.close()
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreConfigError(f"cannot open the database {shown}: {exc.orig}") from exc
    except BaseException:
        store.close()
        raise
    return store
