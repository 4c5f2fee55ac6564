"""Builds the designs of r/stats_reference.R from its exported CSVs."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from barometre.stats import Design

REF = Path(__file__).parent / "reference"

TYPES = {"E": 4421, "H": 755, "M": 1018}
SCHWIDE = {"No": 1072, "Yes": 5122}


@cache
def reference() -> dict[str, Any]:
    """The frozen numbers written by r/stats_reference.R."""
    return json.loads((REF / "api_reference.json").read_text())  # type: ignore[no-any-return]


@cache
def api(name: str) -> pl.DataFrame:
    """One of R's api data sets, as exported by the R script."""
    return pl.read_csv(REF / f"{name}.csv", null_values=[""], infer_schema_length=None)


def _strat() -> Design:
    return Design(api("apistrat"), weights="pw", strata="stype", fpc="fpc")


def _clus1() -> Design:
    return Design(api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")


DESIGNS: dict[str, Callable[[], Design]] = {
    "strat": _strat,
    "clus1": _clus1,
    "clus2": lambda: Design(api("apiclus2"), weights="pw", psu="dnum"),
    "stratclus": lambda: Design(api("apistrat"), weights="pw", strata="stype", psu="dnum"),
    "clus1_post": lambda: _clus1().poststratify("stype", TYPES),
    "strat_post": lambda: _strat().poststratify("awards", {"No": 2300, "Yes": 3894}),
    "clus1_rake": lambda: _clus1().rake({"stype": TYPES, "sch.wide": SCHWIDE}),
    "strat_rake": lambda: _strat().rake(
        {"sch.wide": {"No": 1100, "Yes": 5094}, "awards": {"No": 2300, "Yes": 3894}}
    ),
    "clus1_rake_bounded": lambda: _clus1().rake(
        {"stype": TYPES, "sch.wide": SCHWIDE}, bounds=(0.9, 1.9)
    ),
}


@cache
def design(name: str) -> Design:
    """A design of the reference script, built once per test session."""
    return DESIGNS[name]()
