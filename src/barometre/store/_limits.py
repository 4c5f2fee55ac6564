"""Failed-attempt limits kept in the database, so that every server process counts together.

A key (a client address, an account, a code) may fail `allowed` times per window; past that,
it is slowed down rather than locked out: each further attempt must wait a delay that doubles
with every failure, up to `longest`. A right code typed from a busy address therefore gets in
after a short wait, while guessing stays as slow as the longest delay allows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._types import utcnow

_l = t.attempt_limits.c


@dataclass(frozen=True)
class AttemptPolicy:
    """How many failures a key may make per window before it is slowed down, and how much."""

    allowed: int
    window: timedelta
    first_delay: timedelta = timedelta(seconds=1)
    longest: timedelta = timedelta(seconds=60)

    def delay(self, failures: int) -> timedelta:
        """The wait after `failures` failures in the window (none up to `allowed`)."""
        excess = failures - self.allowed
        if excess < 0:
            return timedelta(0)
        wait: timedelta = min(self.first_delay * (2 ** min(excess, 30)), self.longest)
        return wait


def limit_key(value: str) -> str:
    """The stored form of a key: its SHA-256, so addresses and codes are not kept in clear."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


class LimitRepository(StoreBase):
    """Counting failed attempts per scope and key."""

    def attempt_wait(self, scope: str, key: str) -> float:
        """Seconds `key` must still wait before its next attempt in `scope` (0: go ahead)."""
        with self._read() as conn:
            until = conn.execute(
                sa.select(_l.next_allowed_at).where(
                    _l.scope == scope, _l.key_hash == limit_key(key)
                )
            ).scalar()
        return _seconds_until(until, utcnow())

    def attempt_failed(self, scope: str, key: str, policy: AttemptPolicy) -> float:
        """Count a failure of `key`; returns the seconds it must now wait."""
        now = utcnow()
        hashed = limit_key(key)
        with self._write() as conn:
            row = conn.execute(
                sa.select(_l.failures, _l.window_started_at)
                .where(_l.scope == scope, _l.key_hash == hashed)
                .with_for_update()
            ).first()
            if row is None or now - row.window_started_at >= policy.window:
                failures, started = 1, now
            else:
                failures, started = row.failures + 1, row.window_started_at
            wait = policy.delay(failures)
            values = {
                "failures": failures,
                "window_started_at": started,
                "next_allowed_at": now + wait if wait else None,
            }
            if row is None:
                try:
                    with conn.begin_nested():
                        conn.execute(
                            sa.insert(t.attempt_limits).values(
                                scope=scope, key_hash=hashed, **values
                            )
                        )
                except sa.exc.IntegrityError:
                    # Another process counted this key's first failure at the same moment.
                    conn.execute(
                        sa.update(t.attempt_limits)
                        .where(_l.scope == scope, _l.key_hash == hashed)
                        .values(failures=_l.failures + 1, next_allowed_at=values["next_allowed_at"])
                    )
            else:
                conn.execute(
                    sa.update(t.attempt_limits)
                    .where(_l.scope == scope, _l.key_hash == hashed)
                    .values(**values)
                )
        return wait.total_seconds()

    def attempt_succeeded(self, scope: str, key: str) -> None:
        """Forget the failures of `key` in `scope` (a right password clears its account)."""
        with self._write() as conn:
            conn.execute(
                sa.delete(t.attempt_limits).where(_l.scope == scope, _l.key_hash == limit_key(key))
            )

    def forget_old_attempts(self, before: timedelta = timedelta(days=1)) -> int:
        """Delete counters whose window started more than `before` ago; returns how many."""
        with self._write() as conn:
            return int(
                conn.execute(
                    sa.delete(t.attempt_limits).where(_l.window_started_at < utcnow() - before)
                ).rowcount
            )


def _seconds_until(until: datetime | None, now: datetime) -> float:
    if until is None or until <= now:
        return 0.0
    return (until - now).total_seconds()
