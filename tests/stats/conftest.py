"""Fixtures of the stats tests: a small synthetic business survey."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest


def business_survey(n: int = 400, seed: int = 3) -> pl.DataFrame:
    """Firms in size x sector strata, with a region, answers and a design weight."""
    rng = np.random.default_rng(seed)
    size = rng.choice(["0-9", "10-49", "50+"], n, p=[0.5, 0.3, 0.2])
    sector = rng.choice(["industrie", "commerce", "services"], n)
    return pl.DataFrame(
        {
            "size": size,
            "sector": sector,
            "stratum": [f"{a}|{b}" for a, b in zip(size, sector, strict=True)],
            "region": rng.choice(["11", "84", "93"], n),
            "w": rng.uniform(5, 60, n),
            "active": rng.integers(0, 2, n),
            "activity": rng.choice(["inactive", "peu_active", "active"], n),
            "spend": rng.gamma(2.0, 3000.0, n),
        }
    )


@pytest.fixture
def survey() -> pl.DataFrame:
    """A fresh 400-firm survey."""
    return business_survey()
