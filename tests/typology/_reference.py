"""Readers for the frozen FactoMineR outputs written by ``r/typology_reference.R``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

REFERENCE = Path(__file__).parent / "reference"

# active and supplementary column counts of each reference data file
LAYOUT = {"tea": (18, 17), "poison": (11, 2), "synthetic": (9, 0)}


def data(base: str) -> tuple[pl.DataFrame, list[str], list[str], np.ndarray]:
    """The data file, its active and supplementary columns, and its row weights."""
    frame = pl.read_csv(REFERENCE / f"{base}.csv", infer_schema=False)
    n_active, n_sup = LAYOUT[base]
    cols = frame.columns
    weights = frame.get_column("w").cast(pl.Float64).to_numpy()
    return frame, cols[:n_active], cols[n_active : n_active + n_sup], weights


def table(name: str) -> pl.DataFrame:
    """A reference table; category tables keep levels as text."""
    return pl.read_csv(REFERENCE / f"{name}.csv", schema_overrides={"level": pl.Utf8})


def dims(frame: pl.DataFrame) -> np.ndarray:
    """The Dim* columns as a float matrix."""
    return frame.select(pl.selectors.starts_with("Dim")).to_numpy().astype(float)
