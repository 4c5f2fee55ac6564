"""Personal invitation codes: a long random token for links and a short code people can type.

The short code uses Crockford's base-32 alphabet (no I, L, O, U, so no 1/I/L or 0/O
confusion) and ends with a Damm check character over GF(32). Damm's scheme is built on a
totally anti-symmetric quasigroup with a zero diagonal, which is what makes it catch every
single-character substitution *and* every adjacent transposition, including a transposition
of the check character with the last data character (a Luhn mod-N check misses some).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from barometre.campaign.errors import CampaignError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base-32 alphabet: 32 symbols, none of I, L, O, U."""

SHORT_CODE_DATA_LENGTH = 8
"""Data characters in a short code (40 random bits), plus one check character."""

TOKEN_BYTES = 24
"""Random bytes in a link token (192 bits, 32 URL-safe characters)."""

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford decoding is lenient on the look-alikes people actually type.
_VALUE.update({"O": 0, "I": 1, "L": 1})


class InvalidShortCode(CampaignError, ValueError):
    """A typed short code is malformed or fails its check character."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"invalid short code {code!r}: {reason}")
        self.code = code
        self.reason = reason


def _gf32_mul(a: int, b: int) -> int:
    """Multiply in GF(2^5) modulo the irreducible polynomial x^5 + x^2 + 1."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= 0b100101
    return product


# x * y = 2·(x + y) in GF(32): totally anti-symmetric ((c*x)*y = (c*y)*x implies x = y because
# 2^2 + 2 != 0) and x * x = 0 (characteristic 2), the two properties Damm's scheme needs.
_DAMM = tuple(tuple(_gf32_mul(2, x ^ y) for y in range(32)) for x in range(32))


def _damm(values: list[int]) -> int:
    interim = 0
    for v in values:
        interim = _DAMM[interim][v]
    return interim


def check_character(data: str) -> str:
    """The check character for the data part of a short code (normalised symbols)."""
    return ALPHABET[_damm([_VALUE[ch] for ch in data])]


def new_token() -> str:
    """A fresh random link token (URL-safe, 192 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token: what is stored, so a database leak reveals no link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_match(token: str, stored_hash: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(hash_token(token), stored_hash)


def format_short_code(compact: str) -> str:
    """Group a compact code as people read it: ``K7QF3MZPX`` -> ``K7QF-3MZP-X``."""
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def new_short_code() -> str:
    """A fresh random short code, grouped, with its check character (e.g. ``K7QF-3MZP-X``)."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(SHORT_CODE_DATA_LENGTH))
    return format_short_code(data + check_character(data))


def normalise_short_code(typed: str) -> str:
    """The canonical grouped form of a typed code, or `InvalidShortCode` saying what is wrong.

    Case, spaces and hyphens are ignored; O, I and L are read as 0, 1 and 1 as Crockford
    prescribes. The check character must match.
    """
    compact = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(compact) != SHORT_CODE_DATA_LENGTH + 1:
        raise InvalidShortCode(
            typed, f"expected {SHORT_CODE_DATA_LENGTH + 1} characters, got {len(compact)}"
        )
    bad = [ch for ch in compact if ch not in _VALUE]
    if bad:
        raise InvalidShortCode(typed, f"character {bad[0]!r} is not used in codes")
    values = [_VALUE[ch] for ch in compact]
    if _damm(values) != 0:
        raise InvalidShortCode(typed, "check character does not match (typing error?)")
    return format_short_code("".join(ALPHABET[v] for v in values))


def is_valid_short_code(typed: str) -> bool:
    """True when `typed` is a well-formed short code whose check character matches."""
    try:
        normalise_short_code(typed)
    except InvalidShortCode:
        return False
    return True


@dataclass(frozen=True, slots=True)
class InvitationCode:
    """The secrets of one invitation: the link token (kept out of the store) and the short code."""

    case_id: str
    token: str
    short_code: str

    @property
    def token_hash(self) -> str:
        """What the store keeps instead of the token."""
        return hash_token(self.token)


def issue_codes(
    case_ids: list[str], taken_short_codes: frozenset[str] = frozenset()
) -> list[InvitationCode]:
    """One fresh token and short code per case; short codes unique and not among `taken`."""
    used = set(taken_short_codes)
    codes: list[InvitationCode] = []
    for case_id in case_ids:
        short = new_short_code()
        while short in used:  # 40 bits: collisions are rare but not impossible at 30,000 codes
            short = new_short_code()
        used.add(short)
        codes.append(InvitationCode(case_id=case_id, token=new_token(), short_code=short))
    return codes
