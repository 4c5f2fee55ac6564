"""Invitations: tokens found by hash, short codes as typed, mailing stamps and opt-out."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from barometre.store import DuplicateError, InputError, NewInvitation, token_hash
from barometre.store.schema import invitations

from .conftest import OpenWave


def test_token_finds_its_invitation(open_wave: OpenWave) -> None:
    """A personal link's token finds its case; a wrong token finds nothing."""
    store = open_wave.store
    found = store.find_invitation_by_token(open_wave.tokens[1])
    assert found is not None
    assert found.case_id == open_wave.case_ids[1]
    assert store.find_invitation_by_token(open_wave.tokens[1] + "x") is None


def test_tokens_are_stored_only_as_hashes(open_wave: OpenWave) -> None:
    """The database holds the SHA-256 of each token, never the token itself."""
    with open_wave.store.engine.connect() as conn:
        stored = set(conn.execute(sa.select(invitations.c.token_hash)).scalars())
    assert stored == {token_hash(tok) for tok in open_wave.tokens}
    assert not stored & set(open_wave.tokens)


def test_short_code_lookup_ignores_case_and_dashes(open_wave: OpenWave) -> None:
    """A short code typed in lower case, with spaces or dashes, still finds its case."""
    store = open_wave.store
    found = store.find_invitation_by_short_code("abcd ef-2")
    assert found is not None
    assert found.case_id == open_wave.case_ids[2]
    assert found.short_code == "ABCD-EF2"  # as printed on the letter
    assert store.find_invitation_by_short_code("ZZZZ-ZZ9") is None


def test_second_invitation_for_a_case_is_refused(open_wave: OpenWave) -> None:
    """A case has one invitation; a reused short code or unknown case is refused."""
    store = open_wave.store
    with pytest.raises(DuplicateError):
        store.issue_invitations(
            open_wave.wave_id,
            [NewInvitation(open_wave.case_ids[0], "another-long-token-123456", "XYZ")],
        )
    with pytest.raises(DuplicateError):  # the same code typed differently is the same code
        store.issue_invitations(
            open_wave.wave_id,
            [NewInvitation(open_wave.case_ids[0], "another-long-token-123456", "abcdef1")],
        )
    with pytest.raises(InputError, match="not a case"):
        store.issue_invitations(
            open_wave.wave_id, [NewInvitation("nope", "another-long-token-123456", "XYZ")]
        )


def test_sent_reminded_and_opt_out_are_stamped(open_wave: OpenWave) -> None:
    """Sending stamps once, reminders count up, an opt-out is recorded."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    assert store.mark_sent(wave_id, cases) == 3
    assert store.mark_sent(wave_id, cases) == 0
    store.mark_reminded(wave_id, cases[:1])
    store.mark_reminded(wave_id, cases[:1])
    first = store.invitation(wave_id, cases[0])
    assert first is not None
    assert first.reminder_count == 2
    assert first.sent_at is not None and first.reminded_at is not None
    assert store.opt_out(wave_id, cases[1]).opted_out
    assert [i.opted_out for i in store.invitations(wave_id)] == [False, True, False]


def test_naive_timestamps_are_refused(open_wave: OpenWave) -> None:
    """A timestamp without time zone is refused instead of being stored ambiguously."""
    from datetime import datetime

    with pytest.raises(InputError, match="timezone"):
        open_wave.store.mark_sent(open_wave.wave_id, open_wave.case_ids, at=datetime(2026, 3, 1))
