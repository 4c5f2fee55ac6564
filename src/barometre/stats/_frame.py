"""Reading columns of a polars or pandas data frame as numpy arrays and level codes."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from barometre.stats._variance import FloatArray, IntArray
from barometre.stats.errors import ColumnNotFoundError, StatsError


def as_polars(data: Any) -> pl.DataFrame:
    """The data as a polars DataFrame (pandas frames are converted once)."""
    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, pl.LazyFrame):
        return data.collect()
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    if pd is not None and isinstance(data, pd.DataFrame):
        return pl.from_pandas(data)
    raise StatsError(f"data must be a polars or pandas DataFrame, got {type(data).__name__}")


def require(frame: pl.DataFrame, column: str, role: str) -> pl.Series:
    """The column, or an error naming the role it was asked for."""
    if column not in frame.columns:
        raise ColumnNotFoundError(
            f"{role}: column {column!r} is not in the data (columns: {frame.columns[:20]})"
        )
    return frame[column]


def is_numeric(dtype: pl.DataType) -> bool:
    """True for numeric and boolean columns (read as float64)."""
    return bool(dtype == pl.Boolean or dtype.is_numeric())


def numeric(frame: pl.DataFrame, column: str, role: str) -> FloatArray:
    """A numeric (or boolean) column as float64, NaN where missing."""
    s = require(frame, column, role)
    if s.dtype == pl.Boolean:
        s = s.cast(pl.Float64)
    if not s.dtype.is_numeric():
        raise StatsError(f"{role}: column {column!r} is {s.dtype}, not numeric")
    return np.asarray(s.cast(pl.Float64).fill_null(float("nan")).to_numpy(), dtype=np.float64)


def levels_and_codes(
    frame: pl.DataFrame, column: str, role: str
) -> tuple[tuple[Any, ...], IntArray]:
    """Sorted distinct values of a column and each row's code in them (-1 if missing).

    Sorted order is R's factor order for plain ASCII codes; it fixes the
    reference level of a categorical regressor.
    """
    s = require(frame, column, role)
    if s.dtype in (pl.Categorical, pl.Enum):
        s = s.cast(pl.String)
    if s.dtype.is_float():
        s = s.fill_nan(None)
    if s.dtype.is_integer() and s.null_count() == 0 and s.len() > 0:
        # Small-range integer codes (0/1 answers, years): a lookup table, O(n).
        x = s.to_numpy().astype(np.int64)
        lo, hi = int(x.min()), int(x.max())
        if hi - lo < 1_000_000:
            present = np.flatnonzero(np.bincount(x - lo, minlength=hi - lo + 1))
            lookup = np.full(hi - lo + 1, -1, dtype=np.int64)
            lookup[present] = np.arange(present.shape[0])
            return tuple(int(v) + lo for v in present), lookup[x - lo]
    if s.dtype == pl.String:
        # An Enum over the sorted levels: its physical codes are the level
        # ranks, computed by hashing instead of a string sort of every row.
        words = s.drop_nulls().unique().sort().to_list()
        physical = s.cast(pl.Enum(words)).to_physical().cast(pl.Int64).fill_null(-1)
        return tuple(words), np.asarray(physical.to_numpy(), dtype=np.int64)
    levels = tuple(s.drop_nulls().unique().sort().to_list())
    codes = s.rank("dense").cast(pl.Int64).fill_null(0).to_numpy() - 1
    return levels, np.asarray(codes, dtype=np.int64)
