"""R-indicators against R (glm propensities on apistrat) and their behaviour."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from barometre.stats import StatsError
from barometre.stats.representativity import representativity

REFERENCE = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def apistrat() -> pl.DataFrame:
    data = pl.read_csv(REFERENCE / "apistrat.csv", infer_schema_length=None)
    return data.with_columns((pl.col("sch.wide") == "Yes").cast(pl.Int8).alias("responded"))


@pytest.mark.parametrize("case", ["weighted", "unweighted"])
def test_matches_r(apistrat: pl.DataFrame, case: str) -> None:
    """R-indicator, rate, SD, maximal bias and partial indicators equal R's to 1e-6."""
    ref = json.loads((REFERENCE / "representativity_reference.json").read_text())[case]
    got = representativity(
        apistrat, "responded", ["stype", "awards"], weights="pw" if case == "weighted" else None
    )
    for name in ("r_indicator", "response_rate", "propensity_sd", "max_bias"):
        assert getattr(got, name) == pytest.approx(ref[name], rel=1e-6), name
    for partial in got.partials:
        want = ref["partials"][partial.variable]
        assert partial.unconditional == pytest.approx(want["unconditional"], rel=1e-6)
        assert partial.conditional == pytest.approx(want["conditional"], rel=1e-6)
        for level, value in partial.categories:
            assert value == pytest.approx(want["categories"][level], rel=1e-6), level


def test_response_independent_of_auxiliaries_gives_r_near_one() -> None:
    """When response does not depend on the auxiliaries, R is close to 1."""
    rng = np.random.default_rng(3)
    n = 20_000
    frame = pl.DataFrame(
        {"age": rng.choice(["a", "b", "c"], n), "legal": rng.choice(["x", "y"], n)}
    ).with_columns(pl.Series("responded", (rng.random(n) < 0.3).astype(np.int8)))
    got = representativity(frame, "responded", ["age", "legal"])
    assert got.r_indicator > 0.97
    assert got.response_rate == pytest.approx(0.3, abs=0.01)


def test_selective_response_lowers_r_and_names_the_variable() -> None:
    """Response that depends on one auxiliary lowers R, and its partial indicator is largest."""
    rng = np.random.default_rng(4)
    n = 20_000
    age = rng.choice(["young", "old"], n)
    legal = rng.choice(["x", "y"], n)
    p = np.where(age == "young", 0.1, 0.5)
    frame = pl.DataFrame({"age": age, "legal": legal, "responded": (rng.random(n) < p)})
    got = representativity(frame, "responded", ["age", "legal"])
    assert got.r_indicator < 0.7
    by_name = {p.variable: p for p in got.partials}
    assert by_name["age"].unconditional > 5 * by_name["legal"].unconditional
    young = dict(by_name["age"].categories)["young"]
    assert young < 0, "the category that answers less has a negative partial indicator"


def test_bad_input_is_named() -> None:
    """A missing column and a non-binary response column are refused with their names."""
    frame = pl.DataFrame({"age": ["a", "b"], "responded": [0, 2]})
    with pytest.raises(StatsError, match="legal"):
        representativity(frame, "responded", ["legal"])
    with pytest.raises(StatsError, match="0/1"):
        representativity(frame, "responded", ["age"])
