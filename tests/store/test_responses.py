"""Responses: validated and atomic, one per company per wave, partial then complete, locked."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from barometre.store import (
    ResponseInvalid,
    ResponseLocked,
    WaveStatusError,
    WriteFailed,
)
from barometre.store.schema import answers, responses

from .conftest import COMPLETE_ANSWERS, FIRST_PAGES, OpenWave


def _row_counts(open_wave: OpenWave) -> tuple[int, int]:
    with open_wave.store.engine.connect() as conn:
        n_responses = conn.execute(sa.select(sa.func.count()).select_from(responses)).scalar()
        n_answers = conn.execute(sa.select(sa.func.count()).select_from(answers)).scalar()
    return int(n_responses or 0), int(n_answers or 0)


def test_partial_then_complete(open_wave: OpenWave) -> None:
    """Pages saved one by one accumulate; completing stamps submission and keeps one row."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    first = store.save_response(wave_id, case, FIRST_PAGES, "partial", "web", page="site")
    assert (first.status, first.last_page, first.submitted_at) == ("partial", "site", None)
    assert first.questionnaire_id == "bpi2018" and first.questionnaire_version == "2018.1"
    rest = {k: v for k, v in COMPLETE_ANSWERS.items() if k not in FIRST_PAGES}
    done = store.save_response(wave_id, case, rest, "complete", "web", page="profile")
    assert done.status == "complete"
    assert done.submitted_at is not None
    assert done.started_at == first.started_at
    assert dict(done.answers) == COMPLETE_ANSWERS
    assert store.response(wave_id, case) == done
    assert _row_counts(open_wave) == (1, len(COMPLETE_ANSWERS))
    codes = [d.code for d in store.disposition_history(wave_id, case)]
    assert codes == ["1.2", "1.1"]
    assert store.response_counts(wave_id) == {"partial": 0, "complete": 1}


def test_partial_save_ignores_later_required_questions(open_wave: OpenWave) -> None:
    """A partial save is not refused for required questions of pages not yet reached."""
    store = open_wave.store
    saved = store.save_response(open_wave.wave_id, open_wave.case_ids[0], {"website": "aucun"})
    assert saved.answers == {"website": "aucun"}


def test_validation_failure_stores_nothing(open_wave: OpenWave) -> None:
    """An invalid answer raises with every problem and leaves the database unchanged."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    store.save_response(wave_id, case, FIRST_PAGES)
    before = (store.response(wave_id, case), _row_counts(open_wave))
    with pytest.raises(ResponseInvalid) as caught:
        store.save_response(wave_id, case, {"activity": "hyperactive", "headcount": -5})
    problems = {(p.code, p.question_id) for p in caught.value.problems}
    assert problems == {("unknown_choice", "activity"), ("out_of_bounds", "headcount")}
    assert all(p.message_fr and p.message_en for p in caught.value.problems)
    assert (store.response(wave_id, case), _row_counts(open_wave)) == before


def test_incomplete_submission_lists_missing_answers(open_wave: OpenWave) -> None:
    """Submitting as complete with required answers missing is refused, nothing stored."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[1]
    with pytest.raises(ResponseInvalid) as caught:
        store.save_response(wave_id, case, FIRST_PAGES, "complete")
    assert {p.code for p in caught.value.problems} == {"missing_required"}
    assert store.response(wave_id, case) is None
    assert store.disposition_history(wave_id, case) == ()


def _install_failing_trigger(open_wave: OpenWave) -> None:
    """A real database failure when the free-text answer is inserted (after other writes)."""
    engine = open_wave.store.engine
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER fail_comment BEFORE INSERT ON answers "
                "WHEN NEW.question_id = 'comment' BEGIN SELECT RAISE(ABORT, 'forced'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION fail_comment() RETURNS trigger AS $$ BEGIN "
                "IF NEW.question_id = 'comment' THEN RAISE EXCEPTION 'forced'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER fail_comment BEFORE INSERT ON answers "
                "FOR EACH ROW EXECUTE FUNCTION fail_comment()"
            )


def test_failure_mid_write_keeps_previous_state(open_wave: OpenWave) -> None:
    """A database error halfway through a save rolls back the response, answers, disposition."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    store.save_response(wave_id, case, FIRST_PAGES, page="site")
    before = store.response(wave_id, case)
    _install_failing_trigger(open_wave)
    with pytest.raises(WriteFailed, match="forced"):
        store.save_response(wave_id, case, COMPLETE_ANSWERS, "complete", page="profile")
    assert store.response(wave_id, case) == before
    assert [d.code for d in store.disposition_history(wave_id, case)] == ["1.2"]
    assert _row_counts(open_wave) == (1, len(FIRST_PAGES))


def test_one_response_per_company_per_wave(open_wave: OpenWave) -> None:
    """The database itself refuses a second response row for the same case."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    store.save_response(wave_id, case, FIRST_PAGES)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(responses)).one()._asdict()
    row.pop("id")
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(sa.insert(responses).values(**row))
    assert _row_counts(open_wave)[0] == 1


def test_resubmitting_a_complete_response_is_idempotent(open_wave: OpenWave) -> None:
    """Submitting the same answers twice returns the stored response and changes nothing."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    first = store.save_response(wave_id, case, COMPLETE_ANSWERS, "complete")
    again = store.save_response(wave_id, case, COMPLETE_ANSWERS, "complete")
    assert again == first
    retry_last_page = store.save_response(wave_id, case, {"comment": "Très utile"}, "complete")
    assert retry_last_page == first
    assert [d.code for d in store.disposition_history(wave_id, case)] == ["1.1"]


def test_complete_response_is_locked(open_wave: OpenWave) -> None:
    """Once complete, changing any answer is refused and the stored answers stay."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    first = store.save_response(wave_id, case, COMPLETE_ANSWERS, "complete")
    with pytest.raises(ResponseLocked):
        store.save_response(wave_id, case, {"website": "marchand"}, "partial")
    with pytest.raises(ResponseLocked):
        store.save_response(wave_id, case, {"comment": None}, "complete")
    assert store.response(wave_id, case) == first


def test_none_and_blank_remove_answers(open_wave: OpenWave) -> None:
    """None, blank text and an empty list remove a previously saved answer."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    store.save_response(wave_id, case, {**FIRST_PAGES, "comment": "x", "obstacles": ["lack_time"]})
    saved = store.save_response(wave_id, case, {"website": None, "comment": "  ", "obstacles": []})
    assert saved.answers == {"net_facebook": "yes", "net_linkedin": "yes"}


def test_answers_round_trip_by_type(open_wave: OpenWave) -> None:
    """Codes, lists of codes, numbers and French text come back as given."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[2]
    given = {**COMPLETE_ANSWERS, "headcount": 12, "comment": "Élan « réseaux » 😀"}
    saved = store.save_response(wave_id, case, given, "complete", "paper")
    assert store.response(wave_id, case) == saved
    assert saved.answers == given
    assert saved.source == "paper"


def test_wave_status_gates_answers(open_wave: OpenWave) -> None:
    """A closed wave refuses web answers but still takes keyed paper questionnaires."""
    store, wave_id = open_wave.store, open_wave.wave_id
    store.set_wave_status(wave_id, "closed")
    with pytest.raises(WaveStatusError, match="closed"):
        store.save_response(wave_id, open_wave.case_ids[0], FIRST_PAGES, source="web")
    paper = store.save_response(
        wave_id, open_wave.case_ids[1], COMPLETE_ANSWERS, "complete", "paper"
    )
    assert paper.source == "paper"


def test_responses_lists_every_response_with_answers(open_wave: OpenWave) -> None:
    """`responses()` returns each case's response with its answers, filterable by status."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    store.save_response(wave_id, cases[0], COMPLETE_ANSWERS, "complete")
    store.save_response(wave_id, cases[1], FIRST_PAGES)
    listed = store.responses(wave_id)
    assert [r.case_id for r in listed] == [cases[0], cases[1]]
    assert listed[1].answers == FIRST_PAGES
    assert [r.case_id for r in store.responses(wave_id, "complete")] == [cases[0]]


def test_study_team_can_reopen_a_complete_response(open_wave: OpenWave) -> None:
    """Reopening unlocks a complete response for a logged correction; completing relocks it."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    store.save_response(wave_id, case, COMPLETE_ANSWERS, "complete", "paper")
    reopened = store.reopen_response(wave_id, case, recorded_by="paul", note="keying error")
    assert (reopened.status, reopened.submitted_at) == ("partial", None)
    fixed = store.save_response(wave_id, case, {"website": "marchand"}, "complete", "paper")
    assert fixed.answers["website"] == "marchand"
    history = store.disposition_history(wave_id, case)
    assert [(d.code, d.recorded_by) for d in history] == [
        ("1.1", "paper"),
        ("1.2", "paul"),
        ("1.1", "paper"),
    ]
    assert history[1].note == "reopened for correction: keying error"
    with pytest.raises(ResponseLocked):
        store.save_response(wave_id, case, {"website": "aucun"}, "complete", "paper")
