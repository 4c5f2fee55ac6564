"""Responses: validated, atomic, page-by-page saves; one response per company per wave."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from barometre.questionnaire import AnswerValue
from barometre.store import schema as t
from barometre.store._base import StoreBase, status_words
from barometre.store._driver import DriverTransaction
from barometre.store._free_text import shown, text_problems
from barometre.store._questionnaire import normalise_answer, validate_answers
from barometre.store._types import stamp, utcnow
from barometre.store.errors import (
    InputError,
    NotFoundError,
    ResponseInvalid,
    ResponseLocked,
    WaveStatusError,
    WriteFailed,
)
from barometre.store.records import FieldworkCounts, Response, ResponseSource, ResponseStatus

# AAPOR codes recorded automatically when a response is first saved or completed.
AAPOR_COMPLETE = "1.1"
AAPOR_PARTIAL = "1.2"

# Where answers may come from in each wave status: respondents only while the wave is open;
# paper questionnaires and imports may still be keyed in once it has closed.
_ACCEPTING = {"web": {"open"}, "paper": {"open", "closed"}, "import": {"open", "closed"}}

# A concurrent first save of the same case loses the unique-constraint race once at most.
_ATTEMPTS = 3
# A save whose read went stale (PostgreSQL, another save of the case committed meanwhile) is
# redone; each redo follows another writer's commit, so this bound is never reached in use.
_STALE_ATTEMPTS = 100


# Statements built once: the save path runs for every page a respondent submits.
_s, _r, _w = t.samples.c, t.responses.c, t.waves.c
# One round trip finds the case, its wave and its response. The case's sample row is
# locked (PostgreSQL) so that concurrent saves of one case queue up instead of racing;
# SQLite's BEGIN IMMEDIATE already serialises writers.
_RESPONSE_COLUMNS = (
    _r.id.label("response_id"),
    _r.status,
    _r.source,
    _r.questionnaire_id,
    _r.questionnaire_version,
    _r.last_page,
    _r.started_at,
    _r.updated_at,
    _r.submitted_at,
)
_CASE = (
    sa.select(
        _s.id.label("sample_id"),
        _w.status.label("wave_status"),
        _w.questionnaire_id.label("wave_qid"),
        _w.questionnaire_version.label("wave_qversion"),
        *_RESPONSE_COLUMNS,
    )
    .select_from(t.samples)
    .join(t.waves, _w.id == _s.wave_id)
    .outerjoin(t.responses, _r.sample_id == _s.id)
    .where(_s.wave_id == sa.bindparam("wave_id"), _s.case_id == sa.bindparam("case_id"))
)
_LOOKUP = _CASE.with_for_update(of=t.samples)
# PostgreSQL, after waiting for the sample row's lock, re-checks the locked row only: the
# outer-joined response comes from the statement's snapshot, taken before the wait, so a
# transaction queued behind a completion would still see "partial" and overwrite it (several
# acknowledged completions, several 1.1 dispositions). A second statement, run once the lock
# is held, takes a fresh snapshot under READ COMMITTED and sees the committed response.
_RESPONSE_OF_SAMPLE = sa.select(*_RESPONSE_COLUMNS).where(_r.sample_id == sa.bindparam("sample_id"))
# The same, each row carrying one stored answer (outer-joined: a response without answers, or
# no response, is one row of NULLs): the lookup and the stored answers in one round trip.
_a = t.answers.c
_ANSWER_COLUMNS = (_a.question_id.label("answer_qid"), _a.value_json.label("answer_json"))
_LOOKUP_WITH_ANSWERS = (
    _LOOKUP.add_columns(*_ANSWER_COLUMNS)
    .outerjoin(t.answers, _a.response_id == _r.id)
    .order_by(_a.id)
)
# PostgreSQL's page save reads without a lock and writes only if the response row is still
# the version it read: `xmin` (the transaction that wrote the row version) changes with
# every update of the row. Compared as text: `xid` has no equality with bigint.
_VERSION = sa.literal_column("responses.xmin::text", sa.String).label("response_version")
_VERSIONED_CASE_WITH_ANSWERS = (
    _CASE.add_columns(_VERSION, *_ANSWER_COLUMNS)
    .outerjoin(t.answers, _a.response_id == _r.id)
    .order_by(_a.id)
)
_ANSWERS_OF = (
    sa.select(t.answers.c.question_id, t.answers.c.value_json)
    .where(t.answers.c.response_id == sa.bindparam("response_id"))
    .order_by(t.answers.c.id)
)
_INSERT_RESPONSE = sa.insert(t.responses).returning(_r.id)
_UPDATED_COLUMNS = ("status", "source", "last_page", "updated_at", "submitted_at")
_UPDATE_RESPONSE = (
    sa.update(t.responses)
    .where(_r.id == sa.bindparam("b_id"))
    .values({name: sa.bindparam(f"b_{name}") for name in _UPDATED_COLUMNS})
)
_UPDATE_RESPONSE_IF_UNCHANGED = _UPDATE_RESPONSE.where(
    sa.literal_column("responses.xmin::text", sa.String) == sa.bindparam("b_version")
)
# `inline()`: no RETURNING of the new ids (PostgreSQL would add one), which nothing reads.
_INSERT_ANSWERS = sa.insert(t.answers).inline()
# One delete per changed answer, run as one `executemany`: a compiled statement has a fixed
# number of parameters (no expanding IN list below SQLAlchemy's execution layer).
_DELETE_ANSWER = sa.delete(t.answers).where(
    t.answers.c.response_id == sa.bindparam("b_id"),
    t.answers.c.question_id == sa.bindparam("b_qid"),
)
_INSERT_DISPOSITION = sa.insert(t.dispositions).inline()
_RESPONSE_OF_CASE = (
    sa.select(t.responses, _s.case_id)
    .join(t.samples, _s.id == _r.sample_id)
    .where(_r.wave_id == sa.bindparam("wave_id"), _s.case_id == sa.bindparam("case_id"))
)


def encode_answer(value: AnswerValue) -> str:
    """JSON text of an answer (stable: sorted keys, no ASCII escaping of French text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def decode_answer(text: str) -> AnswerValue:
    """An answer back from its JSON text."""
    value: AnswerValue = json.loads(text)
    return value


def _response(wave_id: int, case_id: str, row: Any, answers: Mapping[str, AnswerValue]) -> Response:
    return Response(
        wave_id=wave_id,
        case_id=case_id,
        status=row.status,
        source=row.source,
        questionnaire_id=row.questionnaire_id,
        questionnaire_version=row.questionnaire_version,
        last_page=row.last_page,
        started_at=row.started_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        answers=dict(answers),
    )


def response_from_row(row: Any, answers: Mapping[str, AnswerValue]) -> Response:
    """A `Response` record from a `responses` row joined with its case id."""
    return _response(row.wave_id, row.case_id, row, answers)


def _response_query() -> sa.Select[Any]:
    return sa.select(t.responses, t.samples.c.case_id).join(
        t.samples, t.samples.c.id == t.responses.c.sample_id
    )


def _locked_case(conn: sa.Connection, wave_id: int, case_id: str) -> Any:
    """The case's sample, wave and response row, with the case locked for this transaction."""
    found = conn.execute(_LOOKUP, {"wave_id": wave_id, "case_id": case_id}).first()
    if found is None or conn.dialect.name == "sqlite":
        return found  # SQLite: BEGIN IMMEDIATE took the lock before the read, nothing is stale
    current = conn.execute(_RESPONSE_OF_SAMPLE, {"sample_id": found.sample_id}).first()
    fresh = found._asdict()
    for name in fresh:
        if name not in ("sample_id", "wave_status", "wave_qid", "wave_qversion"):
            fresh[name] = getattr(current, name) if current is not None else None
    return SimpleNamespace(**fresh)


def _case_and_answers(
    tx: DriverTransaction, wave_id: int, case_id: str
) -> tuple[Any, dict[str, AnswerValue]] | None:
    """The case, its wave and response, and the response's stored answers, in one statement.

    SQLite: BEGIN IMMEDIATE took the write lock before the read, nothing can be stale.
    PostgreSQL: no lock is taken (a `FOR UPDATE` would have to be a statement of its own, see
    `_LOOKUP`); the row also carries the response's version, and the save writes only if the
    response row is still that version (`_UPDATE_RESPONSE_IF_UNCHANGED`), else starts over.
    A concurrent first save of the case is caught by the unique key on the response instead.
    """
    params = {"wave_id": wave_id, "case_id": case_id}
    query = _LOOKUP_WITH_ANSWERS if tx.dialect.name == "sqlite" else _VERSIONED_CASE_WITH_ANSWERS
    rows = tx.rows(query, params)
    if not rows:
        return None
    answers = {
        row.answer_qid: decode_answer(row.answer_json) for row in rows if row.answer_qid is not None
    }
    return rows[0], answers


class _Stale(Exception):
    """The response changed between the read and the write of a save (PostgreSQL): redo it."""


# What a caller of `update_response` decides from the stored answers: the answers to merge
# (None removes one), the status to save with, and the page just saved.
ResponseChange = tuple[Mapping[str, AnswerValue | None], ResponseStatus, str | None]


def _stored_answers(conn: sa.Connection, response_id: int) -> dict[str, AnswerValue]:
    rows = conn.execute(_ANSWERS_OF, {"response_id": response_id})
    return {qid: decode_answer(text) for qid, text in rows}


def _write_answers(
    tx: DriverTransaction,
    response_id: int,
    stored: Mapping[str, AnswerValue],
    merged: Mapping[str, AnswerValue],
) -> None:
    # Only the answers that changed are touched: a page save rewrites one page.
    changed = [qid for qid in stored if qid not in merged or merged[qid] != stored[qid]]
    if changed:
        tx.execute_many(_DELETE_ANSWER, [{"b_id": response_id, "b_qid": qid} for qid in changed])
    new = [
        {"response_id": response_id, "question_id": qid, "value_json": encode_answer(value)}
        for qid, value in merged.items()
        if qid not in stored or stored[qid] != value
    ]
    if new:
        tx.execute_many(_INSERT_ANSWERS, new)


class ResponseRepository(StoreBase):
    """Responses and their answers."""

    def save_response(
        self,
        wave_id: int,
        case_id: str,
        answers: Mapping[str, AnswerValue | None],
        status: ResponseStatus = "partial",
        source: ResponseSource = "web",
        page: str | None = None,
        *,
        recorded_by: str | None = None,
        at: datetime | None = None,
    ) -> Response:
        """Validate then store a case's answers, all or nothing; returns the stored response.

        `answers` are merged into those already stored (page by page); `None` removes an
        answer (so do blank text and an empty list). A partial save is validated without
        "missing required" problems; a complete one against the whole questionnaire.
        Once complete, a response is locked: saving it again with the same answers returns
        it unchanged (a double submit is harmless); different answers raise `ResponseLocked`.
        Raises `ResponseInvalid` (with every problem) and stores nothing when validation fails.
        `at` (timezone-aware, default now) dates the save: a paper return keyed later carries
        the day it came back.
        """
        # Broken Unicode or overlong text is refused before any database work: neither
        # driver can store a lone surrogate, and no answer needs more than a page of text.
        if problems := text_problems(answers):
            raise ResponseInvalid(shown(case_id), problems)
        if status not in t.RESPONSE_STATUSES:
            raise InputError(f"unknown response status {status!r}; expected {t.RESPONSE_STATUSES}")
        if source not in t.RESPONSE_SOURCES:
            raise InputError(f"unknown response source {source!r}; expected {t.RESPONSE_SOURCES}")
        return self._save_retrying(wave_id, case_id, answers, status, source, page, recorded_by, at)

    def update_response(
        self,
        wave_id: int,
        case_id: str,
        change: Callable[[Mapping[str, AnswerValue]], ResponseChange],
        source: ResponseSource = "web",
        *,
        recorded_by: str | None = None,
    ) -> Response:
        """One transaction that reads a case's answers, lets `change` decide, and saves.

        `change(stored answers)` returns (answers to merge, status, page), which are saved
        as by `save_response`, with the same validation, inside the same locked
        transaction: the web's page POST reads and writes in one round of statements. A
        response that is already complete raises `ResponseLocked` before `change` is called.
        """
        if source not in t.RESPONSE_SOURCES:
            raise InputError(f"unknown response source {source!r}; expected {t.RESPONSE_SOURCES}")
        return self._save_retrying(wave_id, case_id, change, "partial", source, None, recorded_by)

    def _save_retrying(
        self,
        wave_id: int,
        case_id: str,
        answers: Mapping[str, AnswerValue | None]
        | Callable[[Mapping[str, AnswerValue]], ResponseChange],
        status: str,
        source: str,
        page: str | None,
        recorded_by: str | None,
        at: datetime | None = None,
    ) -> Response:
        """`_save` in a write transaction, redone after a lost race.

        A lost unique-key race (two first saves of one case) is redone a few times; a stale
        read (PostgreSQL: another save of the case committed in between) is redone as often as
        it happens, up to a bound: each redo means another writer of the case went through.
        """
        conflicts = stale = 0
        while True:
            try:
                with self._driver_write() as tx:
                    return self._save(
                        tx, wave_id, case_id, answers, status, source, page, recorded_by, at
                    )
            except _Stale:
                stale += 1
                if stale == _STALE_ATTEMPTS:
                    raise WriteFailed(
                        f"wave {wave_id}, case {case_id!r}: the response kept changing during "
                        f"the save ({stale} attempts)"
                    ) from None
            except sa.exc.IntegrityError as exc:
                conflicts += 1
                if conflicts == _ATTEMPTS:
                    raise WriteFailed(
                        f"wave {wave_id}, case {case_id!r}: the database refused the response "
                        f"({exc.orig})"
                    ) from exc

    def _save(
        self,
        tx: DriverTransaction,
        wave_id: int,
        case_id: str,
        answers: Mapping[str, AnswerValue | None]
        | Callable[[Mapping[str, AnswerValue]], ResponseChange],
        status: str,
        source: str,
        page: str | None,
        recorded_by: str | None,
        at: datetime | None = None,
    ) -> Response:
        located = _case_and_answers(tx, wave_id, case_id)
        if located is None:
            name = self._wave_name(wave_id)  # a clear error for an unknown wave
            raise NotFoundError(f"wave {name!r} has no case {case_id!r} in its sample")
        found, stored = located
        if found.wave_status not in _ACCEPTING[source]:
            name = self._wave_name(wave_id)
            raise WaveStatusError(
                f"wave {name!r} is {status_words(str(found.wave_status))}: "
                f"it accepts no {source} answers"
            )
        if callable(answers):
            if found.response_id is not None and found.status == "complete":
                raise ResponseLocked(case_id)
            answers, status, page = answers(stored)
            if problems := text_problems(answers):
                raise ResponseInvalid(shown(case_id), problems)
            if status not in t.RESPONSE_STATUSES:
                raise InputError(
                    f"unknown response status {status!r}; expected {t.RESPONSE_STATUSES}"
                )
        existing = found if found.response_id is not None else None
        given = {qid: normalise_answer(value) for qid, value in answers.items()}
        merged: dict[str, AnswerValue] = {
            qid: value for qid, value in {**stored, **given}.items() if value is not None
        }
        if existing is not None and existing.status == "complete":
            if merged == stored:
                return _response(wave_id, case_id, existing, stored)
            raise ResponseLocked(case_id)

        questionnaire = self._questionnaire_of(found.wave_qid, found.wave_qversion)
        problems = validate_answers(questionnaire, merged, partial=status == "partial")
        if problems:
            raise ResponseInvalid(case_id, problems)

        now = stamp(at)
        row = {
            "status": status,
            "source": source,
            "questionnaire_id": existing.questionnaire_id if existing else found.wave_qid,
            "questionnaire_version": (
                existing.questionnaire_version if existing else found.wave_qversion
            ),
            "last_page": page if page is not None else (existing.last_page if existing else None),
            "started_at": existing.started_at if existing else now,
            "updated_at": now,
            "submitted_at": now if status == "complete" else None,
        }
        if existing is None:
            inserted = {**row, "wave_id": wave_id, "sample_id": found.sample_id}
            response_id = tx.execute(_INSERT_RESPONSE, inserted).fetchone()[0]
        else:
            response_id = found.response_id
            values = {"b_id": response_id, **{f"b_{k}": row[k] for k in _UPDATED_COLUMNS}}
            if tx.dialect.name == "sqlite":
                tx.execute(_UPDATE_RESPONSE, values)
            else:
                # Waits for a concurrent writer of the row, then sees its committed version:
                # if that is not the version read above, nothing of this save is written and
                # it starts over on the fresh row (a completion then refuses with 409).
                version = {"b_version": found.response_version}
                if tx.execute(_UPDATE_RESPONSE_IF_UNCHANGED, {**values, **version}).rowcount != 1:
                    raise _Stale
        _write_answers(tx, response_id, stored, merged)
        if existing is None or existing.status != status:
            tx.execute(
                _INSERT_DISPOSITION,
                {
                    "wave_id": wave_id,
                    "sample_id": found.sample_id,
                    "code": AAPOR_COMPLETE if status == "complete" else AAPOR_PARTIAL,
                    "note": f"{status} response ({source})",
                    "recorded_at": now,
                    "recorded_by": recorded_by or source,
                },
            )
        return Response(wave_id=wave_id, case_id=case_id, answers=merged, **row)

    def reopen_response(
        self, wave_id: int, case_id: str, *, recorded_by: str, note: str = ""
    ) -> Response:
        """Unlock a complete response for a correction by the study team (logged).

        The response goes back to partial (disposition 1.2, with who and why); saving it
        as complete again locks it anew.
        """
        if not recorded_by.strip():
            raise InputError("say who reopens the response (recorded_by)")
        with self._write() as conn:
            found = _locked_case(conn, wave_id, case_id)
            if found is None or found.response_id is None:
                raise NotFoundError(f"wave {wave_id}: case {case_id!r} has no response")
            if found.status == "complete":
                now = utcnow()
                conn.execute(
                    sa.update(t.responses)
                    .where(t.responses.c.id == found.response_id)
                    .values(status="partial", submitted_at=None, updated_at=now)
                )
                conn.execute(
                    _INSERT_DISPOSITION,
                    {
                        "wave_id": wave_id,
                        "sample_id": found.sample_id,
                        "code": AAPOR_PARTIAL,
                        "note": f"reopened for correction: {note}".rstrip(": "),
                        "recorded_at": now,
                        "recorded_by": recorded_by,
                    },
                )
        reopened = self.response(wave_id, case_id)
        assert reopened is not None
        return reopened

    def response(self, wave_id: int, case_id: str) -> Response | None:
        """A case's response with its answers, or None if it has not answered."""
        with self._read() as conn:
            row = conn.execute(_RESPONSE_OF_CASE, {"wave_id": wave_id, "case_id": case_id}).first()
            if row is None:
                return None
            return response_from_row(row, _stored_answers(conn, row.id))

    def responses(self, wave_id: int, status: ResponseStatus | None = None) -> tuple[Response, ...]:
        """Every response of the wave (optionally of one status), by case id, with answers."""
        query = _response_query().where(t.responses.c.wave_id == wave_id)
        if status is not None:
            query = query.where(t.responses.c.status == status)
        with self._read() as conn:
            rows = conn.execute(query.order_by(t.samples.c.case_id)).all()
            answers: dict[int, dict[str, AnswerValue]] = {r.id: {} for r in rows}
            for response_id, qid, text in conn.execute(
                sa.select(t.answers.c.response_id, t.answers.c.question_id, t.answers.c.value_json)
                .join(t.responses, t.responses.c.id == t.answers.c.response_id)
                .where(t.responses.c.wave_id == wave_id)
                .order_by(t.answers.c.id)
            ):
                if response_id in answers:
                    answers[response_id][qid] = decode_answer(text)
        return tuple(response_from_row(r, answers[r.id]) for r in rows)

    def fieldwork_counts(self, wave_id: int) -> FieldworkCounts:
        """The wave's fieldwork in a few aggregates: first send, reminders, first and last
        answers, complete responses per source; no row is read whole (the annex needs only
        these, and 30,000 invitations and every answer took seconds to read)."""
        inv, resp = t.invitations, t.responses
        with self._read() as conn:
            invited, first_sent, emailed, reminded = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.min(inv.c.sent_at),
                    sa.func.count(inv.c.sent_at),
                    sa.func.sum(sa.case((inv.c.reminder_count > 0, 1), else_=0)),
                ).where(inv.c.wave_id == wave_id)
            ).one()
            first_started, last_submitted = conn.execute(
                sa.select(sa.func.min(resp.c.started_at), sa.func.max(resp.c.submitted_at)).where(
                    resp.c.wave_id == wave_id
                )
            ).one()
            by_source = conn.execute(
                sa.select(resp.c.source, sa.func.count())
                .where((resp.c.wave_id == wave_id) & (resp.c.status == "complete"))
                .group_by(resp.c.source)
            ).all()
        return FieldworkCounts(
            invited=int(invited or 0),
            first_sent=first_sent,
            emailed=int(emailed or 0),
            reminded=int(reminded or 0),
            first_started=first_started,
            last_submitted=last_submitted,
            complete_by_source={str(src): int(n) for src, n in sorted(by_source)},
        )

    def response_counts(self, wave_id: int) -> dict[str, int]:
        """How many responses the wave has per status (`partial`, `complete`)."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(t.responses.c.status, sa.func.count())
                .where(t.responses.c.wave_id == wave_id)
                .group_by(t.responses.c.status)
            )
            counts: dict[str, int] = {status: n for status, n in rows}
        return {status: int(counts.get(status, 0)) for status in t.RESPONSE_STATUSES}
