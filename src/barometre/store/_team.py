"""The study team: users with argon2-hashed passwords, and API tokens for the JSON API."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from argon2.exceptions import InvalidHashError, VerificationError

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._invitations import token_hash
from barometre.store._types import utcnow
from barometre.store.errors import DuplicateError, InputError, NotFoundError
from barometre.store.records import ApiToken, Role, User

MIN_PASSWORD_LENGTH = 10
# Using a token is recorded at most this often: the API need not write on every request.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def _user_from_row(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        role=row.role,
        created_at=row.created_at,
        disabled_at=row.disabled_at,
    )


def _token_from_row(row: Any) -> ApiToken:
    return ApiToken(
        id=row.id,
        username=row.username,
        role=row.role,
        name=row.name,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _tokens_query() -> sa.Select[Any]:
    return sa.select(t.api_tokens, t.users.c.username, t.users.c.role).join(
        t.users, t.users.c.id == t.api_tokens.c.user_id
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


class TeamRepository(StoreBase):
    """Users of the study-team area and their API tokens."""

    _dummy_hash: str | None = None

    def _verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            # Verify against a dummy hash when the user does not exist, so that the answer
            # takes as long either way and does not reveal which usernames exist.
            if self._dummy_hash is None:
                self._dummy_hash = self._hasher.hash("no such user, no such password")
            password_hash = self._dummy_hash
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def create_user(self, username: str, password: str, role: Role = "team") -> User:
        """A new study-team user; the password is stored as an argon2 hash only."""
        username = username.strip()
        if not username:
            raise InputError("a user needs a non-empty username")
        if role not in t.USER_ROLES:
            raise InputError(f"unknown role {role!r}; expected one of {t.USER_ROLES}")
        _check_password(password)
        try:
            with self._write() as conn:
                conn.execute(
                    sa.insert(t.users).values(
                        username=username,
                        password_hash=self._hasher.hash(password),
                        role=role,
                        created_at=utcnow(),
                    )
                )
        except sa.exc.IntegrityError as exc:
            raise DuplicateError(f"a user named {username!r} already exists") from exc
        return self.user(username)

    def user(self, username: str) -> User:
        """The user with this username."""
        with self._read() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.username == username)).first()
        if row is None:
            raise NotFoundError(f"no user named {username!r}")
        return _user_from_row(row)

    def users(self) -> tuple[User, ...]:
        """Every user, by username."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.users).order_by(t.users.c.username)).all()
        return tuple(_user_from_row(r) for r in rows)

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right and the account active, else None."""
        with self._read() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.username == username)).first()
        if not self._verify(row.password_hash if row else None, password):
            return None
        if row is None or row.disabled_at is not None:
            return None
        if self._hasher.check_needs_rehash(row.password_hash):
            self._set_hash(username, self._hasher.hash(password))
        return _user_from_row(row)

    def set_password(self, username: str, password: str) -> None:
        """Replace a user's password."""
        _check_password(password)
        self._set_hash(username, self._hasher.hash(password))

    def _set_hash(self, username: str, password_hash: str) -> None:
        with self._write() as conn:
            changed = conn.execute(
                sa.update(t.users)
                .where(t.users.c.username == username)
                .values(password_hash=password_hash)
            ).rowcount
        if not changed:
            raise NotFoundError(f"no user named {username!r}")

    def disable_user(self, username: str) -> User:
        """Block a user from logging in and using API tokens, ending its sessions (history kept)."""
        with self._write() as conn:
            changed = conn.execute(
                sa.update(t.users)
                .where(t.users.c.username == username, t.users.c.disabled_at.is_(None))
                .values(disabled_at=utcnow())
            ).rowcount
            # Its sessions end in the same transaction: no page opens for it afterwards.
            conn.execute(
                sa.update(t.team_sessions)
                .where(
                    t.team_sessions.c.ended_at.is_(None),
                    t.team_sessions.c.user_id.in_(
                        sa.select(t.users.c.id).where(t.users.c.username == username)
                    ),
                )
                .values(ended_at=utcnow())
            )
        user = self.user(username)
        assert changed or user.disabled_at is not None
        return user

    def create_api_token(self, username: str, name: str) -> tuple[ApiToken, str]:
        """A new API token for a user: the record, and the secret (shown once, never stored)."""
        secret = secrets.token_urlsafe(32)
        user = self.user(username)
        with self._write() as conn:
            token_id = conn.execute(
                sa.insert(t.api_tokens)
                .values(
                    user_id=user.id, name=name, token_hash=token_hash(secret), created_at=utcnow()
                )
                .returning(t.api_tokens.c.id)
            ).scalar_one()
            row = conn.execute(_tokens_query().where(t.api_tokens.c.id == token_id)).one()
        return _token_from_row(row), secret

    def find_api_token(self, secret: str) -> ApiToken | None:
        """The active token of this secret (not revoked, user not disabled), or None."""
        wanted = token_hash(secret)
        with self._read() as conn:
            row = conn.execute(
                _tokens_query().where(
                    t.api_tokens.c.token_hash == wanted,
                    t.api_tokens.c.revoked_at.is_(None),
                    t.users.c.disabled_at.is_(None),
                )
            ).first()
        if row is None or not hmac.compare_digest(row.token_hash, wanted):
            return None
        now = utcnow()
        if row.last_used_at is None or now - row.last_used_at > _LAST_USED_RESOLUTION:
            with self._write() as conn:
                conn.execute(
                    sa.update(t.api_tokens)
                    .where(t.api_tokens.c.id == row.id)
                    .values(last_used_at=now)
                )
        return _token_from_row(row)

    def api_tokens(self, username: str | None = None) -> tuple[ApiToken, ...]:
        """API tokens (of one user if given), oldest first."""
        query = _tokens_query().order_by(t.api_tokens.c.id)
        if username is not None:
            query = query.where(t.users.c.username == username)
        with self._read() as conn:
            return tuple(_token_from_row(r) for r in conn.execute(query))

    def revoke_api_token(self, token_id: int) -> None:
        """Revoke a token: it stops working at once."""
        with self._write() as conn:
            changed = conn.execute(
                sa.update(t.api_tokens)
                .where(t.api_tokens.c.id == token_id, t.api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            ).rowcount
            exists = conn.execute(
                sa.select(t.api_tokens.c.id).where(t.api_tokens.c.id == token_id)
            ).first()
        if not changed and exists is None:
            raise NotFoundError(f"no API token with id {token_id}")
