"""Typology and drivers of a wave, through `barometre.typology` (wired when it lands)."""

from __future__ import annotations

from typing import Any

import polars as pl

from barometre.report.estimation import DesignInfo
from barometre.report.results import Drivers, Typology


def compute_typology(
    data: pl.DataFrame, questionnaire: Any, design: DesignInfo, min_base: int
) -> Typology | None:
    """The 2x2 rule typology with shares, CIs and profiles; None when the package is absent."""
    return None


def compute_drivers(data: pl.DataFrame, questionnaire: Any, design: DesignInfo) -> Drivers | None:
    """Odds ratios of "active or très active" and each driver group's weight."""
    return None
