"""Responses: validated, atomic, page-by-page saves; one response per company per wave."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._questionnaire import normalise_answer, validate_answers
from barometre.store._types import utcnow
from barometre.store.errors import (
    InputError,
    ResponseInvalid,
    ResponseLocked,
    WaveStatusError,
    WriteFailed,
)
from barometre.store.records import AnswerValue, Response, ResponseSource, ResponseStatus

# AAPOR codes recorded automatically when a response is first saved or completed.
AAPOR_COMPLETE = "1.1"
AAPOR_PARTIAL = "1.2"

# Where answers may come from in each wave status: respondents only while the wave is open;
# paper questionnaires and imports may still be keyed in once it has closed.
_ACCEPTING = {"web": {"open"}, "paper": {"open", "closed"}, "import": {"open", "closed"}}

# A concurrent first save of the same case loses the unique-constraint race once at most.
_ATTEMPTS = 3


def encode_answer(value: AnswerValue) -> str:
    """JSON text of an answer (stable: sorted keys, no ASCII escaping of French text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def decode_answer(text: str) -> AnswerValue:
    """An answer back from its JSON text."""
    value: AnswerValue = json.loads(text)
    return value


def response_from_row(row: Any, answers: Mapping[str, AnswerValue]) -> Response:
    """A `Response` record from a `responses` row joined with its case id."""
    return Response(
        wave_id=row.wave_id,
        case_id=row.case_id,
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


def _response_query() -> sa.Select[Any]:
    return sa.select(t.responses, t.samples.c.case_id).join(
        t.samples, t.samples.c.id == t.responses.c.sample_id
    )


def _stored_answers(conn: sa.Connection, response_id: int) -> dict[str, AnswerValue]:
    rows = conn.execute(
        sa.select(t.answers.c.question_id, t.answers.c.value_json)
        .where(t.answers.c.response_id == response_id)
        .order_by(t.answers.c.id)
    )
    return {qid: decode_answer(text) for qid, text in rows}


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
    ) -> Response:
        """Validate then store a case's answers, all or nothing; returns the stored response.

        `answers` are merged into those already stored (page by page); `None` removes an
        answer (so do blank text and an empty list). A partial save is validated without
        "missing required" problems; a complete one against the whole questionnaire.
        Once complete, a response is locked: saving it again with the same answers returns
        it unchanged (a double submit is harmless); different answers raise `ResponseLocked`.
        Raises `ResponseInvalid` (with every problem) and stores nothing when validation fails.
        """
        if status not in t.RESPONSE_STATUSES:
            raise InputError(f"unknown response status {status!r}; expected {t.RESPONSE_STATUSES}")
        if source not in t.RESPONSE_SOURCES:
            raise InputError(f"unknown response source {source!r}; expected {t.RESPONSE_SOURCES}")
        for attempt in range(_ATTEMPTS):
            try:
                with self._write() as conn:
                    return self._save(
                        conn, wave_id, case_id, answers, status, source, page, recorded_by
                    )
            except sa.exc.IntegrityError as exc:
                if attempt == _ATTEMPTS - 1:
                    raise WriteFailed(
                        f"wave {wave_id}, case {case_id!r}: the database refused the response "
                        f"({exc.orig})"
                    ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _save(
        self,
        conn: sa.Connection,
        wave_id: int,
        case_id: str,
        answers: Mapping[str, AnswerValue | None],
        status: str,
        source: str,
        page: str | None,
        recorded_by: str | None,
    ) -> Response:
        wave = self._wave_row(conn, wave_id)
        if wave.status not in _ACCEPTING[source]:
            raise WaveStatusError(
                f"wave {wave_id} is {wave.status}: it accepts no {source} answers"
            )
        case = self._case_row(conn, wave_id, case_id)
        existing = conn.execute(
            _response_query()
            .where(t.responses.c.wave_id == wave_id, t.responses.c.sample_id == case.id)
            .with_for_update()
        ).first()
        stored = _stored_answers(conn, existing.id) if existing else {}
        given = {qid: normalise_answer(value) for qid, value in answers.items()}
        merged: dict[str, AnswerValue] = {
            qid: value for qid, value in {**stored, **given}.items() if value is not None
        }
        if existing is not None and existing.status == "complete":
            if merged == stored:
                return response_from_row(existing, stored)
            raise ResponseLocked(case_id)

        questionnaire = self._catalog.get(wave.questionnaire_id, wave.questionnaire_version)
        problems = validate_answers(questionnaire, merged, partial=status == "partial")
        if problems:
            raise ResponseInvalid(case_id, problems)

        now = utcnow()
        values: dict[str, Any] = {
            "status": status,
            "source": source,
            "last_page": page if page is not None else (existing.last_page if existing else None),
            "updated_at": now,
            "submitted_at": now if status == "complete" else None,
        }
        if existing is None:
            response_id = conn.execute(
                sa.insert(t.responses)
                .values(
                    wave_id=wave_id,
                    sample_id=case.id,
                    questionnaire_id=wave.questionnaire_id,
                    questionnaire_version=wave.questionnaire_version,
                    started_at=now,
                    **values,
                )
                .returning(t.responses.c.id)
            ).scalar_one()
        else:
            response_id = existing.id
            conn.execute(
                sa.update(t.responses).where(t.responses.c.id == response_id).values(**values)
            )
        self._write_answers(conn, response_id, stored, merged)
        if existing is None or existing.status != status:
            conn.execute(
                sa.insert(t.dispositions).values(
                    wave_id=wave_id,
                    sample_id=case.id,
                    code=AAPOR_COMPLETE if status == "complete" else AAPOR_PARTIAL,
                    note=f"{status} response ({source})",
                    recorded_at=now,
                    recorded_by=recorded_by or source,
                )
            )
        row = conn.execute(_response_query().where(t.responses.c.id == response_id)).one()
        return response_from_row(row, merged)

    @staticmethod
    def _write_answers(
        conn: sa.Connection,
        response_id: int,
        stored: Mapping[str, AnswerValue],
        merged: Mapping[str, AnswerValue],
    ) -> None:
        # Only the answers that changed are touched: a page save rewrites one page.
        changed = [qid for qid in stored if qid not in merged or merged[qid] != stored[qid]]
        if changed:
            conn.execute(
                sa.delete(t.answers).where(
                    t.answers.c.response_id == response_id, t.answers.c.question_id.in_(changed)
                )
            )
        new = [
            {"response_id": response_id, "question_id": qid, "value_json": encode_answer(value)}
            for qid, value in merged.items()
            if qid not in stored or stored[qid] != value
        ]
        if new:
            conn.execute(sa.insert(t.answers), new)

    def response(self, wave_id: int, case_id: str) -> Response | None:
        """A case's response with its answers, or None if it has not answered."""
        with self._read() as conn:
            row = conn.execute(
                _response_query().where(
                    t.responses.c.wave_id == wave_id, t.samples.c.case_id == case_id
                )
            ).first()
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
