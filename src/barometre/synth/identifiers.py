"""SIREN and SIRET numbers with a valid Luhn check digit, drawn without collision."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

# An affine map i -> (A*i + B) mod 10**8 is a bijection when gcd(A, 10**8) = 1, so
# unit i of any stock gets a distinct 8-digit SIREN body without a set of used numbers
# (a 30-million-row stock stays streamable). The constants only scatter the numbers.
_SIREN_SPACE = 10**8
_SIREN_MULTIPLIER = 48_271_157  # odd and not a multiple of 5: coprime with 10**8
_SIREN_OFFSET = 31_415_926

MAX_UNITS = _SIREN_SPACE


def luhn_check_digits(bodies: IntArray, n_digits: int) -> IntArray:
    """Check digit making each `n_digits`-long body plus the digit a valid Luhn number."""
    bodies = np.asarray(bodies, dtype=np.int64)
    total = np.zeros(bodies.shape, dtype=np.int64)
    rest = bodies.copy()
    # Walk from the rightmost body digit, which is doubled once the check digit follows.
    for position in range(n_digits):
        digit = rest % 10
        rest //= 10
        if position % 2 == 0:
            digit = digit * 2
            digit = np.where(digit > 9, digit - 9, digit)
        total += digit
    return (10 - total % 10) % 10


def is_luhn_valid(numbers: IntArray, n_digits: int) -> npt.NDArray[np.bool_]:
    """Whether each `n_digits`-long number passes the Luhn test."""
    numbers = np.asarray(numbers, dtype=np.int64)
    return np.asarray(luhn_check_digits(numbers // 10, n_digits - 1) == numbers % 10)


def is_valid_siren(siren: str) -> bool:
    """Whether a string is a 9-digit SIREN with a correct Luhn check digit."""
    if len(siren) != 9 or not siren.isdigit():
        return False
    return bool(is_luhn_valid(np.array([int(siren)]), 9)[0])


def is_valid_siret(siret: str) -> bool:
    """Whether a string is a 14-digit SIRET with a correct Luhn check digit."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    return bool(is_luhn_valid(np.array([int(siret)]), 14)[0])


def sirens_for(indices: IntArray) -> IntArray:
    """The SIREN (as an integer, 9 digits once zero-padded) of units number `indices`."""
    indices = np.asarray(indices, dtype=np.int64)
    if indices.size and (indices.min() < 0 or indices.max() >= MAX_UNITS):
        raise ValueError(f"unit index outside 0..{MAX_UNITS - 1}")
    bodies = (indices * _SIREN_MULTIPLIER + _SIREN_OFFSET) % _SIREN_SPACE
    return bodies * 10 + luhn_check_digits(bodies, 8)


def nics_for(sirens: IntArray, order: IntArray) -> IntArray:
    """NIC number `order` (1, 2, ...) of each SIREN, with the SIRET's Luhn digit last."""
    sirens = np.asarray(sirens, dtype=np.int64)
    order = np.asarray(order, dtype=np.int64)
    # The NIC is a 4-digit sequence number plus the digit that makes the SIRET valid.
    bodies = sirens * 10_000 + order
    return order * 10 + luhn_check_digits(bodies, 13)
