"""Invitations: each sampled company's personal code (token hash + short code) and mailings."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase, pairs
from barometre.store._rows import iter_batches
from barometre.store._types import stamp, utcnow
from barometre.store.errors import DuplicateError, InputError, NotFoundError
from barometre.store.records import Invitation, NewInvitation

_MIN_TOKEN_LENGTH = 16


def token_hash(token: str) -> str:
    """SHA-256 hex of a long token; tokens are random, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def short_code_key(code: str) -> str:
    """The lookup key of a short code: upper case, without the spaces or dashes people type."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def _invitation_from_row(row: Any) -> Invitation:
    return Invitation(
        wave_id=row.wave_id,
        case_id=row.case_id,
        short_code=row.short_code,
        created_at=row.created_at,
        sent_at=row.sent_at,
        reminded_at=row.reminded_at,
        reminder_count=row.reminder_count,
        opted_out_at=row.opted_out_at,
    )


def _invitations_query() -> sa.Select[Any]:
    return sa.select(t.invitations, t.samples.c.case_id).join(
        t.samples, t.samples.c.id == t.invitations.c.sample_id
    )


# Built once: a personal link or a typed code is looked up on every respondent's entry.
_BY_TOKEN_HASH = _invitations_query().where(t.invitations.c.token_hash == sa.bindparam("wanted"))
_BY_SHORT_CODE_KEY = _invitations_query().where(
    t.invitations.c.short_code_key == sa.bindparam("wanted")
)


class InvitationRepository(StoreBase):
    """Personal codes and the mailing history of each case."""

    def issue_invitations(
        self, wave_id: int, invitations: Iterable[NewInvitation], *, batch_size: int = 5_000
    ) -> int:
        """Store personal codes for cases of the wave; returns how many. All or nothing."""
        total = 0
        with self._write() as conn:
            self._wave_row(conn, wave_id)
            sample_ids = pairs(
                conn.execute(
                    sa.select(t.samples.c.case_id, t.samples.c.id).where(
                        t.samples.c.wave_id == wave_id
                    )
                )
            )
            now = utcnow()
            for batch in iter_batches(invitations, batch_size):
                rows = []
                for i, inv in enumerate(batch, start=total + 1):
                    place = f"invitation {i} (case {inv.get('case_id')!r})"
                    if inv.get("case_id") not in sample_ids:
                        raise InputError(f"{place}: not a case of wave {wave_id}")
                    token, code = str(inv.get("token") or ""), str(inv.get("short_code") or "")
                    if len(token) < _MIN_TOKEN_LENGTH:
                        raise InputError(
                            f"{place}: token shorter than {_MIN_TOKEN_LENGTH} characters"
                        )
                    if not short_code_key(code):
                        raise InputError(f"{place}: empty short code")
                    rows.append(
                        {
                            "wave_id": wave_id,
                            "sample_id": sample_ids[inv["case_id"]],
                            "token_hash": token_hash(token),
                            "short_code": code.strip(),
                            "short_code_key": short_code_key(code),
                            "created_at": now,
                        }
                    )
                total += len(batch)
                try:
                    conn.execute(sa.insert(t.invitations), rows)
                except sa.exc.IntegrityError as exc:
                    raise DuplicateError(
                        f"wave {wave_id}: a case of this batch already has an invitation, or a "
                        "token or short code is already in use"
                    ) from exc
        return total

    def reissue_invitations(
        self,
        wave_id: int,
        invitations: Iterable[NewInvitation],
        *,
        requested_by: str,
        reason: str = "",
    ) -> int:
        """Give cases that have a code a new token and short code; the old ones stop working.

        Each reissue is written to the campaign log (case, who, why) in the same transaction.
        Sending history (sent, reminded, opted out) stays: it is the same case.
        """
        if not requested_by.strip():
            raise InputError("say who asked for the codes to be reissued (requested_by)")
        changed = 0
        now = utcnow()
        with self._write() as conn:
            wave = self._wave_row(conn, wave_id)
            for inv in invitations:
                case_id, token, code = inv.case_id, inv.token, inv.short_code
                if len(token) < _MIN_TOKEN_LENGTH or not short_code_key(code):
                    raise InputError(f"case {case_id!r}: a reissued code needs a token and a code")
                sample_id = conn.execute(
                    sa.select(t.samples.c.id).where(
                        t.samples.c.wave_id == wave_id, t.samples.c.case_id == case_id
                    )
                ).scalar()
                if sample_id is None:
                    raise NotFoundError(f"wave {wave.name!r} has no case {case_id!r}")
                try:
                    done = conn.execute(
                        sa.update(t.invitations)
                        .where(t.invitations.c.sample_id == sample_id)
                        .values(
                            token_hash=token_hash(token),
                            short_code=code.strip(),
                            short_code_key=short_code_key(code),
                        )
                    ).rowcount
                except sa.exc.IntegrityError as exc:
                    raise DuplicateError(
                        f"case {case_id!r}: the new code is already in use"
                    ) from exc
                if done == 0:
                    raise NotFoundError(
                        f"wave {wave.name!r}: case {case_id!r} has no code to reissue yet"
                    )
                conn.execute(
                    sa.insert(t.campaign_log).values(
                        wave_id=wave_id, case_id=case_id, event="code_reissued",
                        detail=reason, recorded_at=now, recorded_by=requested_by,
                    )
                )  # fmt: skip
                changed += 1
        return changed

    def find_invitation_by_token(self, token: str) -> Invitation | None:
        """The invitation a personal link's token belongs to, or None."""
        wanted = token_hash(token)
        with self._read() as conn:
            row = conn.execute(_BY_TOKEN_HASH, {"wanted": wanted}).first()
        # The index lookup finds the row; the final comparison does not leak timing.
        if row is None or not hmac.compare_digest(row.token_hash, wanted):
            return None
        return _invitation_from_row(row)

    def find_invitation_by_short_code(self, code: str) -> Invitation | None:
        """The invitation of a short code as typed from a letter (case and dashes ignored)."""
        wanted = short_code_key(code)
        with self._read() as conn:
            row = conn.execute(_BY_SHORT_CODE_KEY, {"wanted": wanted}).first()
        return None if row is None else _invitation_from_row(row)

    def invitation(self, wave_id: int, case_id: str) -> Invitation | None:
        """The invitation of a case, if issued."""
        with self._read() as conn:
            row = conn.execute(
                _invitations_query().where(
                    t.samples.c.wave_id == wave_id, t.samples.c.case_id == case_id
                )
            ).first()
        return None if row is None else _invitation_from_row(row)

    def invitations(self, wave_id: int) -> tuple[Invitation, ...]:
        """Every invitation of the wave, by case id."""
        with self._read() as conn:
            rows = conn.execute(
                _invitations_query()
                .where(t.invitations.c.wave_id == wave_id)
                .order_by(t.samples.c.case_id)
            ).all()
        return tuple(_invitation_from_row(r) for r in rows)

    def mark_sent(
        self, wave_id: int, case_ids: Iterable[str], *, at: datetime | None = None
    ) -> int:
        """Record that invitations went out (first sending only); returns how many changed."""
        return self._stamp(wave_id, case_ids, {"sent_at": stamp(at)}, only_if_null="sent_at")

    def mark_reminded(
        self, wave_id: int, case_ids: Iterable[str], *, at: datetime | None = None
    ) -> int:
        """Record a reminder sent to these cases; returns how many changed."""
        values = {
            "reminded_at": stamp(at),
            "reminder_count": t.invitations.c.reminder_count + 1,
        }
        return self._stamp(wave_id, case_ids, values)

    def opt_out(self, wave_id: int, case_id: str, *, at: datetime | None = None) -> Invitation:
        """Record that the company asks for no more invitations or reminders."""
        if self._stamp(wave_id, [case_id], {"opted_out_at": stamp(at)}, "opted_out_at") == 0:
            existing = self.invitation(wave_id, case_id)
            if existing is None:
                raise NotFoundError(f"wave {wave_id}: case {case_id!r} has no invitation")
            return existing
        result = self.invitation(wave_id, case_id)
        assert result is not None
        return result

    def _stamp(
        self,
        wave_id: int,
        case_ids: Iterable[str],
        values: dict[str, Any],
        only_if_null: str | None = None,
    ) -> int:
        ids = list(case_ids)
        changed = 0
        with self._write() as conn:
            for start in range(0, len(ids), 5_000):
                chunk = ids[start : start + 5_000]
                sample_ids = sa.select(t.samples.c.id).where(
                    t.samples.c.wave_id == wave_id, t.samples.c.case_id.in_(chunk)
                )
                query = sa.update(t.invitations).where(t.invitations.c.sample_id.in_(sample_ids))
                if only_if_null:
                    query = query.where(t.invitations.c[only_if_null].is_(None))
                changed += conn.execute(query.values(**values)).rowcount
        return changed
