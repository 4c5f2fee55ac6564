"""GDPR: erase one company's contact data and answers on request; purge a closed wave's contacts.

Every erasure is logged without personal data (wave, case id, counts, who asked, why),
so the study team can show that a request was honoured.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase, status_words
from barometre.store._types import utcnow
from barometre.store.errors import InputError, NotFoundError, WaveStatusError
from barometre.store.records import Erasure


def _erasure_from_row(row: Any) -> Erasure:
    return Erasure(
        erased_at=row.erased_at,
        wave_id=row.wave_id,
        case_id=row.case_id,
        kind=row.kind,
        requested_by=row.requested_by,
        reason=row.reason,
        contacts_removed=row.contacts_removed,
        answers_removed=row.answers_removed,
    )


class GdprRepository(StoreBase):
    """Erasure on request, purge of contact data, and the erasure log."""

    def erase_company(
        self, siren: str, *, requested_by: str, reason: str = ""
    ) -> tuple[Erasure, ...]:
        """Remove a company's contact data and answers from every wave; log each erasure.

        The frame unit (public registry data) and the disposition codes stay, so response
        rates remain right; disposition notes, which may name people, are blanked; the
        invitation is marked opted out so that no reminder goes out.
        """
        if not requested_by.strip():
            raise InputError("say who requested the erasure (requested_by)")
        now = utcnow()
        with self._write() as conn:
            units = conn.execute(
                sa.select(t.frame_units.c.id, t.frame_units.c.wave_id, t.samples.c.id.label("sid"),
                          t.samples.c.case_id)
                .outerjoin(t.samples, t.samples.c.unit_id == t.frame_units.c.id)
                .where(t.frame_units.c.siren == siren)
                .order_by(t.frame_units.c.wave_id)
            ).all()  # fmt: skip
            if not units:
                raise NotFoundError(f"company {siren} is in no wave's frame")
            log: list[dict[str, Any]] = []
            for unit in units:
                contacts = conn.execute(
                    sa.delete(t.contacts).where(t.contacts.c.unit_id == unit.id)
                ).rowcount
                answers = 0
                if unit.sid is not None:
                    answers = self._erase_case(conn, unit.sid, now)
                log.append(
                    {
                        "erased_at": now,
                        "wave_id": unit.wave_id,
                        "case_id": unit.case_id,
                        "kind": "erasure",
                        "requested_by": requested_by,
                        "reason": reason,
                        "contacts_removed": contacts,
                        "answers_removed": answers,
                    }
                )
            conn.execute(sa.insert(t.erasures), log)
        return tuple(Erasure(**entry) for entry in log)

    @staticmethod
    def _erase_case(conn: sa.Connection, sample_id: int, now: Any) -> int:
        responses = sa.select(t.responses.c.id).where(t.responses.c.sample_id == sample_id)
        answers = conn.execute(
            sa.delete(t.answers).where(t.answers.c.response_id.in_(responses))
        ).rowcount
        conn.execute(sa.delete(t.responses).where(t.responses.c.sample_id == sample_id))
        conn.execute(sa.delete(t.weights).where(t.weights.c.sample_id == sample_id))
        conn.execute(
            sa.update(t.dispositions)
            .where(t.dispositions.c.sample_id == sample_id, t.dispositions.c.note.is_not(None))
            .values(note=None)
        )
        conn.execute(
            sa.update(t.invitations)
            .where(t.invitations.c.sample_id == sample_id, t.invitations.c.opted_out_at.is_(None))
            .values(opted_out_at=now)
        )
        return int(answers)

    def purge_contacts(self, wave_id: int, *, requested_by: str, reason: str = "") -> Erasure:
        """Delete every contact of a closed, published or archived wave's frame; log it."""
        now = utcnow()
        with self._write() as conn:
            wave = self._wave_row(conn, wave_id)
            if wave.status not in ("closed", "published"):
                raise WaveStatusError(
                    f"wave {wave.name!r} is {status_words(str(wave.status))}: contacts are "
                    f"purged only once it is closed (barometre wave close --wave {wave.name})"
                )
            units = sa.select(t.frame_units.c.id).where(t.frame_units.c.wave_id == wave_id)
            removed = conn.execute(
                sa.delete(t.contacts).where(t.contacts.c.unit_id.in_(units))
            ).rowcount
            entry: dict[str, Any] = {
                "erased_at": now,
                "wave_id": wave_id,
                "case_id": None,
                "kind": "purge",
                "requested_by": requested_by,
                "reason": reason,
                "contacts_removed": int(removed),
                "answers_removed": 0,
            }
            conn.execute(sa.insert(t.erasures).values(**entry))
        return Erasure(**entry)

    def erasures(self) -> tuple[Erasure, ...]:
        """The erasure log, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.erasures).order_by(t.erasures.c.id)).all()
        return tuple(_erasure_from_row(r) for r in rows)
