"""Study-team sessions kept in the database, so that every server process can end them at once."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._invitations import token_hash
from barometre.store._types import utcnow
from barometre.store.errors import NotFoundError
from barometre.store.records import User

# Seeing a session is recorded at most this often: a page view need not write every time.
_LAST_SEEN_RESOLUTION = timedelta(minutes=1)

_s, _u = t.team_sessions.c, t.users.c
_ACTIVE = (
    sa.select(_s.id, _s.last_seen_at, _u.id.label("user_id"), _u.username, _u.role)
    .add_columns(_u.created_at, _u.disabled_at)
    .join(t.users, _u.id == _s.user_id)
    .where(
        _s.token_hash == sa.bindparam("token_hash"),
        _s.ended_at.is_(None),
        _s.expires_at > sa.bindparam("now"),
        _s.last_seen_at > sa.bindparam("idle_since"),
        _u.disabled_at.is_(None),
    )
)


class SessionRepository(StoreBase):
    """Signed-in sessions of the study team: opened at sign-in, ended at sign-out or disable."""

    def open_session(self, username: str, lifetime: timedelta) -> str:
        """A new session for an active user; returns its secret (the database keeps a hash)."""
        secret = secrets.token_urlsafe(32)
        now = utcnow()
        with self._write() as conn:
            user_id = conn.execute(
                sa.select(_u.id).where(_u.username == username, _u.disabled_at.is_(None))
            ).scalar()
            if user_id is None:
                raise NotFoundError(f"no active user named {username!r}")
            conn.execute(
                sa.insert(t.team_sessions).values(
                    user_id=user_id,
                    token_hash=token_hash(secret),
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + lifetime,
                )
            )
        return secret

    def session_user(self, secret: str, idle: timedelta) -> User | None:
        """The user of a live session (not ended, not expired, used within `idle`), else None."""
        now = utcnow()
        params = {"token_hash": token_hash(secret), "now": now, "idle_since": now - idle}
        with self._read() as conn:
            row = conn.execute(_ACTIVE, params).first()
        if row is None:
            return None
        if now - row.last_seen_at > _LAST_SEEN_RESOLUTION:
            with self._write() as conn:
                conn.execute(
                    sa.update(t.team_sessions).where(_s.id == row.id).values(last_seen_at=now)
                )
        return User(
            id=row.user_id,
            username=row.username,
            role=row.role,
            created_at=row.created_at,
            disabled_at=row.disabled_at,
        )

    def end_session(self, secret: str) -> None:
        """End one session (signing out); unknown or ended secrets are ignored."""
        with self._write() as conn:
            conn.execute(
                sa.update(t.team_sessions)
                .where(_s.token_hash == token_hash(secret), _s.ended_at.is_(None))
                .values(ended_at=utcnow())
            )

    def end_sessions(self, username: str) -> int:
        """End every live session of a user; returns how many were live."""
        with self._write() as conn:
            user_id = conn.execute(sa.select(_u.id).where(_u.username == username)).scalar()
            if user_id is None:
                raise NotFoundError(f"no user named {username!r}")
            return int(
                conn.execute(
                    sa.update(t.team_sessions)
                    .where(_s.user_id == user_id, _s.ended_at.is_(None))
                    .values(ended_at=utcnow())
                ).rowcount
            )

    def forget_old_sessions(self, before: timedelta = timedelta(days=30)) -> int:
        """Delete sessions that ended or expired more than `before` ago; returns how many."""
        cutoff = utcnow() - before
        with self._write() as conn:
            return int(
                conn.execute(
                    sa.delete(t.team_sessions).where(
                        sa.or_(_s.ended_at < cutoff, _s.expires_at < cutoff)
                    )
                ).rowcount
            )
