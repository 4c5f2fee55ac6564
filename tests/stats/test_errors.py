"""Every bad input gets its own error class and a message naming the problem."""

from __future__ import annotations

import polars as pl
import pytest

from barometre.stats import (
    ColumnNotFoundError,
    DataLevelNotInMarginError,
    Design,
    EstimationError,
    MarginLevelNotInDataError,
    MarginTotalsDisagreeError,
    RakingDidNotConvergeError,
    SingletonStratumError,
    StatsError,
    WeightError,
)

SIZES = {"0-9": 5000.0, "10-49": 3000.0, "50+": 2000.0}
REGIONS = {"11": 4000.0, "84": 3500.0, "93": 2500.0}


def test_margin_totals_disagree(survey: pl.DataFrame) -> None:
    """Margins summing to different totals are refused before raking, totals listed."""
    regions = {**REGIONS, "93": 3000.0}
    with pytest.raises(MarginTotalsDisagreeError, match=r"disagree.*size.*10000"):
        Design(survey, weights="w").rake({"size": SIZES, "region": regions})


def test_margin_level_absent_from_data(survey: pl.DataFrame) -> None:
    """A margin level nobody in the data has is named."""
    sizes = {"0-9": 4000.0, "10-49": 3000.0, "50+": 2000.0, "250+": 1000.0}
    with pytest.raises(MarginLevelNotInDataError, match=r"'size'.*'250\+'"):
        Design(survey, weights="w").rake({"size": sizes, "region": REGIONS})


def test_data_level_absent_from_margin(survey: pl.DataFrame) -> None:
    """A data level the margin forgets is named."""
    with pytest.raises(DataLevelNotInMarginError, match=r"'region'.*'93'"):
        Design(survey, weights="w").poststratify("region", {"11": 6000.0, "84": 4000.0})


def test_rake_not_converging_says_iterations_and_gap(survey: pl.DataFrame) -> None:
    """Raking cut short reports how many iterations it ran and the remaining gap."""
    with pytest.raises(RakingDidNotConvergeError, match=r"after 1 iterations.*gap") as info:
        Design(survey, weights="w").rake({"size": SIZES, "region": REGIONS}, max_iter=1, tol=1e-15)
    assert info.value.iterations == 1
    assert info.value.gap > 0


def test_bounded_rake_infeasible(survey: pl.DataFrame) -> None:
    """Bounds too tight to meet the margins fail with the gap left."""
    sizes = {"0-9": 8000.0, "10-49": 1000.0, "50+": 1000.0}
    with pytest.raises(RakingDidNotConvergeError, match=r"bounded raking.*gap") as info:
        Design(survey, weights="w").rake({"size": sizes}, bounds=(0.9, 1.1), max_iter=50)
    assert info.value.gap > 0.01


def test_missing_weight(survey: pl.DataFrame) -> None:
    """A missing weight is refused with its row."""
    bad = survey.with_columns(
        pl.when(pl.int_range(pl.len()) == 7).then(None).otherwise(pl.col("w")).alias("w")
    )
    with pytest.raises(WeightError, match=r"missing.*row 7"):
        Design(bad, weights="w")


def test_negative_weight(survey: pl.DataFrame) -> None:
    """A negative weight is refused with its row and value."""
    bad = survey.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(-1.0).otherwise(pl.col("w")).alias("w")
    )
    with pytest.raises(WeightError, match=r"row 3 \(-1.0\)"):
        Design(bad, weights="w")


def test_single_unit_stratum_names_policy(survey: pl.DataFrame) -> None:
    """A one-unit stratum fails under the default policy, which the message names."""
    lonely = pl.concat([survey, survey.head(1).with_columns(stratum=pl.lit("250+|services"))])
    with pytest.raises(SingletonStratumError, match=r"'250\+\|services'.*policy 'fail'"):
        Design(lonely, weights="w", strata="stratum")


def test_single_unit_stratum_with_policy(survey: pl.DataFrame) -> None:
    """With singleton='certainty' the same data is accepted and estimated."""
    lonely = pl.concat([survey, survey.head(1).with_columns(stratum=pl.lit("250+|services"))])
    est = Design(lonely, weights="w", strata="stratum", singleton="certainty").mean("spend")
    assert est.se > 0


def test_take_all_singleton_is_fine(survey: pl.DataFrame) -> None:
    """A one-unit stratum taken whole (fpc = 1) is no singleton problem: it adds no variance."""
    lonely = pl.concat([survey, survey.head(1).with_columns(stratum=pl.lit("250+|services"))])
    lonely = lonely.with_columns(
        N=pl.when(pl.col("stratum") == "250+|services").then(1.0).otherwise(1e6)
    )
    assert Design(lonely, weights="w", strata="stratum", fpc="N").mean("spend").se > 0


def test_unknown_column(survey: pl.DataFrame) -> None:
    """A column not in the data is named with the role it was asked for."""
    with pytest.raises(ColumnNotFoundError, match="'nope'"):
        Design(survey, weights="w").mean("nope")
    with pytest.raises(ColumnNotFoundError, match="strata"):
        Design(survey, weights="w", strata="nope")


def test_unknown_level_and_ci(survey: pl.DataFrame) -> None:
    """A level absent from the column, or an unknown CI method, is refused."""
    d = Design(survey, weights="w")
    with pytest.raises(EstimationError, match="'tres_active'"):
        d.proportion("activity", "tres_active")
    with pytest.raises(StatsError, match="ci must be"):
        d.proportion("activity", "active", ci="wilson")
