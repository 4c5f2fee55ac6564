"""Read categorical columns and weights out of a polars or pandas frame as integer codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from barometre.typology.errors import ColumnError, WeightError

#: Level given to a missing answer: like FactoMineR's ``na.method="NA"``, a null is a category.
MISSING_LEVEL = "NA"

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def as_polars(df: Any) -> pl.DataFrame:
    """Accept a polars or a pandas DataFrame and return a polars one."""
    if isinstance(df, pl.DataFrame):
        return df
    if type(df).__module__.startswith("pandas"):
        return pl.from_pandas(df)
    raise ColumnError(f"expected a polars or pandas DataFrame, got {type(df).__name__}")


@dataclass(frozen=True)
class CodedColumn:
    """One categorical column as integer codes 0..len(levels)-1 (levels sorted, NA last)."""

    name: str
    levels: tuple[str, ...]
    codes: IntArray


def code_column(df: pl.DataFrame, name: str) -> CodedColumn:
    """Turn a column into sorted levels and integer codes; nulls become the ``NA`` level."""
    if name not in df.columns:
        raise ColumnError(f"column {name!r} is not in the data (columns: {', '.join(df.columns)})")
    series = df.get_column(name)
    if series.dtype == pl.Null:
        raise ColumnError(f"column {name!r} holds only nulls")
    values = series.cast(pl.Utf8)
    has_null = values.null_count() > 0
    observed = values.drop_nulls().unique().sort().to_list()
    if has_null:
        if MISSING_LEVEL in observed:
            raise ColumnError(f"column {name!r} holds both nulls and the level {MISSING_LEVEL!r}")
        observed.append(MISSING_LEVEL)
    levels = tuple(str(v) for v in observed)
    # hash lookup of each value's position among the sorted levels; nulls go to NA, last
    mapped = values.fill_null(MISSING_LEVEL).replace_strict(
        list(levels), list(range(len(levels))), return_dtype=pl.Int64
    )
    codes = np.asarray(mapped.to_numpy(), dtype=np.int64)
    return CodedColumn(name=name, levels=levels, codes=codes)


def read_weights(df: pl.DataFrame, weights: str | Sequence[float] | Any | None) -> FloatArray:
    """Survey weights as a float array: a column name, a sequence, or None for all ones."""
    n = df.height
    if weights is None:
        return np.ones(n, dtype=np.float64)
    if isinstance(weights, str):
        if weights not in df.columns:
            raise WeightError(f"weight column {weights!r} is not in the data")
        column = df.get_column(weights)
        if column.null_count():
            raise WeightError(f"weight column {weights!r} has {column.null_count()} null values")
        w = column.cast(pl.Float64).to_numpy().astype(np.float64, copy=True)
    else:
        w = np.asarray(weights, dtype=np.float64).copy()
    if w.shape != (n,):
        raise WeightError(f"weights have shape {w.shape}, the data has {n} rows")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        bad = int(np.flatnonzero(~np.isfinite(w) | (w <= 0))[0])
        raise WeightError(f"weight of row {bad} is {w[bad]}: weights must be finite and > 0")
    return w
