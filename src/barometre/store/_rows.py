"""Turning data frames and iterables of mappings into batches of plain dict rows."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

import polars as pl

from barometre.store.errors import InputError


def _clean(value: Any) -> Any:
    # pandas marks missing numbers as NaN; the database wants NULL.
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def iter_batches(data: Any, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Rows of a polars or pandas DataFrame, or of an iterable of mappings, in batches."""
    if batch_size < 1:
        raise InputError(f"batch_size must be at least 1, got {batch_size}")
    if isinstance(data, pl.LazyFrame):
        data = data.collect()
    if isinstance(data, pl.DataFrame):
        for chunk in data.iter_slices(batch_size):
            yield chunk.to_dicts()
        return
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # a pandas DataFrame
        records = data.to_dict("records")
        for start in range(0, len(records), batch_size):
            yield [
                {str(k): _clean(v) for k, v in r.items()}
                for r in records[start : start + batch_size]
            ]
        return
    iterator = iter(data)
    while batch := list(islice(iterator, batch_size)):
        yield [_as_dict(row) for row in batch]


def _as_dict(row: Any) -> dict[str, Any]:
    if isinstance(row, Mapping):
        return {str(k): _clean(v) for k, v in row.items()}
    if hasattr(row, "__dataclass_fields__"):
        return {name: _clean(getattr(row, name)) for name in row.__dataclass_fields__}
    raise InputError(f"expected a mapping or a dataclass per row, got {type(row).__name__}")


_CHECKED: set[tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]] = set()


def check_columns(
    row: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str], what: str
) -> None:
    """Refuse unknown or missing columns, naming them (a silent drop would lose data)."""
    allowed, required = tuple(allowed), tuple(required)
    # Rows of a data frame all share one set of columns: check each set once, not each row.
    key = (frozenset(row), allowed, required)
    if key in _CHECKED:
        return
    _check_columns(row, allowed, required, what)
    if len(_CHECKED) < 1_000:
        _CHECKED.add(key)


def _check_columns(
    row: Mapping[str, Any], allowed: tuple[str, ...], required: tuple[str, ...], what: str
) -> None:
    allowed_set = set(allowed)
    unknown = sorted(set(row) - allowed_set)
    if unknown:
        raise InputError(
            f"{what}: unknown column(s) {unknown}; expected some of {sorted(allowed_set)}"
        )
    missing = [c for c in required if c not in row]
    if missing:
        raise InputError(f"{what}: missing column(s) {missing}")


def siren_of(value: Any, place: str) -> str:
    """A SIREN as 9 digits (integers are zero-padded)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:09d}"
    if not isinstance(value, str) or len(value.strip()) != 9 or not value.strip().isdigit():
        raise InputError(f"{place}: SIREN must be 9 digits, got {value!r}")
    return value.strip()
