"""Study-team users (argon2 passwords) and API tokens."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from barometre.store import DuplicateError, InputError, Store
from barometre.store.schema import api_tokens, users


def test_user_logs_in_with_right_password_only(store: Store) -> None:
    """The right password authenticates; a wrong one or an unknown user does not."""
    created = store.create_user("claire", "correct horse battery", "admin")
    assert created.role == "admin"
    assert store.authenticate("claire", "correct horse battery") == created
    assert store.authenticate("claire", "wrong password!") is None
    assert store.authenticate("nobody", "correct horse battery") is None


def _stored_hash(store: Store) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(sa.select(users.c.password_hash)).scalar_one())


def test_passwords_are_stored_as_argon2_hashes(store: Store) -> None:
    """The database holds an argon2id hash, not the password."""
    store.create_user("claire", "correct horse battery")
    stored = _stored_hash(store)
    assert stored.startswith("$argon2id$")
    assert "correct horse battery" not in stored


def test_login_rehashes_with_the_production_parameters(store: Store) -> None:
    """A hash made with other parameters is upgraded to argon2's defaults at login."""
    store.create_user("claire", "correct horse battery")
    assert "m=1024,t=1,p=1" in _stored_hash(store)
    production = Store(store.engine)  # default PasswordHasher: RFC 9106 low-memory profile
    assert production.authenticate("claire", "correct horse battery") is not None
    assert "m=65536,t=3,p=4" in _stored_hash(store)
    assert production.authenticate("claire", "correct horse battery") is not None


def test_users_are_unique_and_passwords_long_enough(store: Store) -> None:
    """A second user with the same name, or a short password, is refused."""
    store.create_user("claire", "correct horse battery")
    with pytest.raises(DuplicateError):
        store.create_user("claire", "another long password")
    with pytest.raises(InputError, match="characters"):
        store.create_user("paul", "short")


def test_disabled_user_cannot_log_in_or_use_tokens(store: Store) -> None:
    """Disabling a user stops both password login and their API tokens."""
    store.create_user("claire", "correct horse battery")
    _, secret = store.create_api_token("claire", "notebook")
    store.disable_user("claire")
    assert store.authenticate("claire", "correct horse battery") is None
    assert store.find_api_token(secret) is None


def test_api_token_lifecycle(store: Store) -> None:
    """A token works by its secret (stored hashed), records its use, and stops once revoked."""
    store.create_user("claire", "correct horse battery", "team")
    token, secret = store.create_api_token("claire", "dashboard")
    found = store.find_api_token(secret)
    assert found is not None and (found.username, found.role, found.name) == (
        "claire",
        "team",
        "dashboard",
    )
    assert store.find_api_token(secret + "x") is None
    with store.engine.connect() as conn:
        assert secret not in conn.execute(sa.select(api_tokens.c.token_hash)).scalar_one()
    assert store.api_tokens("claire")[0].last_used_at is not None
    store.revoke_api_token(token.id)
    assert store.find_api_token(secret) is None


def test_set_password_replaces_the_old_one(store: Store) -> None:
    """After a password change only the new password works."""
    store.create_user("claire", "correct horse battery")
    store.set_password("claire", "new long password")
    assert store.authenticate("claire", "correct horse battery") is None
    assert store.authenticate("claire", "new long password") is not None
