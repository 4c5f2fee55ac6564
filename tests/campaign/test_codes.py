"""Tokens and short codes: uniqueness, format, and a check character that catches typos."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barometre.campaign.codes import (
    ALPHABET,
    InvalidShortCode,
    check_character,
    format_short_code,
    hash_token,
    is_valid_short_code,
    issue_codes,
    new_short_code,
    new_token,
    normalise_short_code,
    tokens_match,
)

data_parts = st.text(alphabet=ALPHABET, min_size=8, max_size=8)


def _with_check(data: str) -> str:
    return data + check_character(data)


def test_token_is_long_and_url_safe() -> None:
    """A token carries at least 128 random bits in URL-safe characters."""
    token = new_token()
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert len(token) * 6 >= 128
    assert len({new_token() for _ in range(1000)}) == 1000


def test_token_hash_matches_only_its_token() -> None:
    """The stored hash verifies its own token and no other."""
    token = new_token()
    assert tokens_match(token, hash_token(token))
    assert not tokens_match(new_token(), hash_token(token))


def test_short_code_format() -> None:
    """A short code reads as XXXX-XXXX-C in the unambiguous alphabet and validates."""
    code = new_short_code()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]", code)
    assert is_valid_short_code(code)


def test_typed_code_is_normalised() -> None:
    """Lower case, spaces, missing hyphens and O/I/L look-alikes are accepted."""
    code = _with_check("0K1Q3MZP")
    typed = code.lower().replace("0", "o").replace("1", "l")
    assert normalise_short_code(" " + typed[:4] + " " + typed[4:]) == format_short_code(code)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("K7QF-3MZP", "expected 9"), ("K7QF-3MZP-U", "not used"), ("K7QF-3MZP-X!", "expected 9")],
)
def test_malformed_codes_are_rejected_with_a_reason(typed: str, reason: str) -> None:
    """A code of the wrong length or with a foreign character raises InvalidShortCode."""
    with pytest.raises(InvalidShortCode, match=reason):
        normalise_short_code(typed)


@given(data_parts, st.integers(0, 8), st.sampled_from(ALPHABET))
def test_every_single_substitution_is_caught(data: str, position: int, symbol: str) -> None:
    """Changing any one character (check character included) makes the code invalid."""
    code = _with_check(data)
    if code[position] == symbol:
        return
    typo = code[:position] + symbol + code[position + 1 :]
    assert not is_valid_short_code(typo)


@given(data_parts, st.integers(0, 7))
def test_every_adjacent_transposition_is_caught(data: str, position: int) -> None:
    """Swapping two different neighbours (the check character too) makes the code invalid."""
    code = _with_check(data)
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2 :]
    assert not is_valid_short_code(swapped)


def test_issued_codes_are_unique_and_avoid_taken_ones() -> None:
    """issue_codes gives one distinct short code and token per case, none already taken."""
    taken = frozenset(new_short_code() for _ in range(50))
    codes = issue_codes([f"c{i}" for i in range(2000)], taken)
    assert [c.case_id for c in codes] == [f"c{i}" for i in range(2000)]
    assert len({c.short_code for c in codes}) == 2000
    assert not taken & {c.short_code for c in codes}
    assert len({c.token for c in codes}) == 2000
    assert codes[0].token_hash == hash_token(codes[0].token)
