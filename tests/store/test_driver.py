"""Saves run on the driver's connection (`store/_driver.py`) store what SQLAlchemy would store,
and fail as SQLAlchemy's execution would: located errors, a broken connection out of the pool."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from barometre.store import ResponseInvalid, WriteFailed
from barometre.store import schema as t

from .conftest import FIRST_PAGES, OpenWave

PARIS_WINTER = timezone(timedelta(hours=1))


def test_timestamps_are_stored_as_sqlalchemy_stores_them(open_wave: OpenWave) -> None:
    """A save dated in another zone is stored as naive UTC, byte for byte as SQLAlchemy's own
    writes (a disposition recorded through `Connection.execute`) and read back aware."""
    store, wave, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    # A whole second: the sqlite3 module's own datetime adapter writes no fraction then
    # ("09:30:15"), where SQLAlchemy writes ".000000"; text comparisons in SQL would differ.
    at = datetime(2026, 3, 2, 9, 30, 15, tzinfo=PARIS_WINTER)
    saved = store.save_response(wave, case, FIRST_PAGES, source="paper", at=at)
    store.record_disposition(wave, case, "2.11", "test", at=at)
    with store.engine.connect() as conn:
        text = sa.cast(t.responses.c.started_at, sa.String)
        raw_response = conn.execute(sa.select(text)).scalar_one()
        raw_disposition = conn.execute(
            sa.select(sa.cast(t.dispositions.c.recorded_at, sa.String)).where(
                t.dispositions.c.code == "2.11"
            )
        ).scalar_one()
    assert raw_response == raw_disposition
    assert raw_response.startswith("2026-03-02 08:30:15")
    read = store.response(wave, case)
    assert read is not None
    assert read.started_at == read.updated_at == at
    assert read.started_at.tzinfo is UTC
    assert saved.answers == read.answers == FIRST_PAGES
    # The automatic disposition of the first save is dated by the same clock.
    first = store.disposition_history(wave, case)[0]
    assert (first.code, first.recorded_at) == ("1.2", at)
    # The next page's save updates the row, in the same format.
    later = at + timedelta(seconds=45)
    store.save_response(wave, case, {"tempo": "bon_tempo"}, source="paper", at=later)
    with store.engine.connect() as conn:
        updated = conn.execute(sa.select(sa.cast(t.responses.c.updated_at, sa.String))).scalar()
    assert updated is not None and updated.startswith("2026-03-02 08:31:00")
    assert len(updated) == len(raw_disposition)  # the fraction written as SQLAlchemy writes it


def test_a_refused_save_leaves_the_stored_response_as_it_was(open_wave: OpenWave) -> None:
    """An invalid page after a valid one: refused with its problem, nothing of it written."""
    store, wave, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    store.save_response(wave, case, FIRST_PAGES)
    with pytest.raises(ResponseInvalid, match="net_twitter"):
        store.save_response(wave, case, {"net_twitter": "perhaps", "tempo": "bon_tempo"})
    kept = store.response(wave, case)
    assert kept is not None and kept.answers == FIRST_PAGES
    assert [d.code for d in store.disposition_history(wave, case)] == ["1.2"]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_connection_killed_under_a_save_leaves_the_pool(open_wave: OpenWave) -> None:
    """The server ends the pooled connection: that save fails cleanly (WriteFailed, nothing
    stored), the dead connection is dropped, and the next save works on a new one."""
    store, wave, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    store.save_response(wave, case, FIRST_PAGES)  # a pooled connection, used moments ago
    with store.engine.connect() as conn:
        pids = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    other = sa.create_engine(store.engine.url)
    with other.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    other.dispose()
    with pytest.raises(WriteFailed, match="the database refused the write"):
        store.save_response(wave, case, {"tempo": "bon_tempo"})
    kept = store.response(wave, case)
    assert kept is not None and kept.answers == FIRST_PAGES
    store.save_response(wave, case, {"tempo": "bon_tempo"})
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != pids
    again = store.response(wave, case)
    assert again is not None and again.answers == {**FIRST_PAGES, "tempo": "bon_tempo"}
