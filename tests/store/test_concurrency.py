"""Concurrent writers: SQLite waits for the lock (busy timeout); no response is doubled."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from barometre.store import WriteFailed, open_store

from .conftest import COMPLETE_ANSWERS, FIRST_PAGES, OpenWave


def test_writer_waits_for_another_connection_lock(tmp_path: Path) -> None:
    """A save blocked by another connection's write lock waits, then succeeds."""
    _writer_waits(tmp_path, hold_seconds=0.5, busy_timeout_ms=10_000, expect_ok=True)


def test_writer_gives_up_after_busy_timeout(tmp_path: Path) -> None:
    """With a short busy timeout, a save blocked too long fails cleanly and stores nothing."""
    _writer_waits(tmp_path, hold_seconds=1.5, busy_timeout_ms=200, expect_ok=False)


def _writer_waits(
    tmp_path: Path, hold_seconds: float, busy_timeout_ms: int, expect_ok: bool
) -> None:
    from .conftest import FRAME

    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    store = open_store(url, busy_timeout_ms=busy_timeout_ms)
    try:
        wave = store.create_wave("2026")
        store.add_frame_units(wave.id, FRAME)
        store.add_sample(
            wave.id, [{"siren": FRAME[0]["siren"], "stratum": "s", "inclusion_probability": 0.5}]
        )
        store.set_wave_status(wave.id, "open")
        case = store.cases(wave.id)[0].case_id

        other = sqlite3.connect(
            tmp_path / "c.sqlite", isolation_level=None, check_same_thread=False
        )
        other.execute("BEGIN IMMEDIATE")  # the second connection takes the write lock
        released = threading.Event()

        def release() -> None:
            time.sleep(hold_seconds)
            other.execute("COMMIT")
            released.set()

        threading.Thread(target=release).start()
        started = time.monotonic()
        if expect_ok:
            saved = store.save_response(wave.id, case, FIRST_PAGES)
            assert released.is_set()
            assert time.monotonic() - started >= hold_seconds * 0.8
            assert saved.answers == FIRST_PAGES
        else:
            with pytest.raises(WriteFailed, match="locked"):
                store.save_response(wave.id, case, FIRST_PAGES)
            released.wait()
            assert store.response(wave.id, case) is None
        other.close()
    finally:
        store.close()


def test_parallel_saves_of_many_cases_all_land(open_wave: OpenWave) -> None:
    """Threads saving different cases at once all succeed, on SQLite and PostgreSQL."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(
            pool.map(
                lambda c: store.save_response(wave_id, c, COMPLETE_ANSWERS, "complete"),
                cases * 2,
            )
        )
    assert len(results) == 6
    assert store.response_counts(wave_id) == {"partial": 0, "complete": 3}


def test_double_submit_from_two_threads_stores_one_response(open_wave: OpenWave) -> None:
    """Two simultaneous first submissions of one case give one response, never two."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    barrier = threading.Barrier(4)

    def submit(_: int) -> object:
        barrier.wait()
        return store.save_response(wave_id, case, COMPLETE_ANSWERS, "complete")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(submit, range(4)))
    assert all(r == results[0] for r in results)
    assert store.response_counts(wave_id)["complete"] == 1
    assert [d.code for d in store.disposition_history(wave_id, case)] == ["1.1"]


def test_interleaved_page_saves_lose_nothing(open_wave: OpenWave) -> None:
    """Many threads saving pages of the same cases at once: every answer lands exactly once."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    pages = [
        {k: COMPLETE_ANSWERS[k] for k in keys}
        for keys in (
            ("website", "net_facebook", "net_linkedin", "net_twitter", "net_youtube"),
            ("net_instagram", "activity", "tempo"),
            ("strategy", "spend", "managed_by", "staff_trained", "marketing_team"),
            ("actions", "objectives", "obstacles", "competitive_edge", "leader_activity"),
            ("size_band", "sector", "market", "region", "employee_age", "leader_age", "growth"),
        )
    ]

    def save(item: tuple[str, dict[str, object]]) -> None:
        store.save_response(wave_id, item[0], item[1], "partial")  # type: ignore[arg-type]

    # The first page (presence) goes first: later pages' questions depend on it. Then the
    # other pages arrive in any order, each sent three times (retries, two tabs).
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(save, [(case, pages[0]) for case in cases] * 3))
        list(pool.map(save, [(case, page) for case in cases for page in pages[1:]] * 3))
    expected = {k: v for page in pages for k, v in page.items()}
    for case in cases:
        saved = store.response(wave_id, case)
        assert saved is not None and saved.answers == expected
        assert [d.code for d in store.disposition_history(wave_id, case)] == ["1.2"]
    with ThreadPoolExecutor(max_workers=6) as pool:
        done = list(pool.map(lambda c: store.save_response(wave_id, c, {}, "complete"), cases * 2))
    assert {r.status for r in done} == {"complete"}
    assert store.response_counts(wave_id) == {"partial": 0, "complete": 3}


def test_concurrent_completions_of_a_partial_case_keep_one(open_wave: OpenWave) -> None:
    """Four writers completing a started case with different answers: one wins, three get 409."""
    from barometre.store import ResponseLocked

    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[1]
    store.save_response(wave_id, case, FIRST_PAGES, "partial")
    rounds, writers = 12, 4
    for round_no in range(rounds):
        barrier = threading.Barrier(writers)

        def complete(i: int, round_no: int = round_no, barrier: threading.Barrier = barrier) -> str:
            answers = {**COMPLETE_ANSWERS, "comment": f"round {round_no} writer {i}"}
            barrier.wait()
            try:
                store.save_response(wave_id, case, answers, "complete", "import")
            except ResponseLocked:
                return "locked"
            return answers["comment"]  # type: ignore[return-value]

        with ThreadPoolExecutor(max_workers=writers) as pool:
            outcomes = list(pool.map(complete, range(writers)))
        winners = [o for o in outcomes if o != "locked"]
        assert len(winners) == 1, outcomes
        saved = store.response(wave_id, case)
        assert saved is not None and saved.answers["comment"] == winners[0]
        store.reopen_response(wave_id, case, recorded_by="test", note=f"round {round_no}")
    codes = [d.code for d in store.disposition_history(wave_id, case)]
    assert codes.count("1.1") == rounds
