"""A logistic model whose terms are collinear is refused, not fitted with meaningless SEs."""

import polars as pl
import pytest

from barometre.stats import Design, EstimationError


def test_collinear_numeric_terms_are_refused() -> None:
    """Two numeric predictors that are copies of each other make the model rank deficient."""
    df = pl.DataFrame(
        {
            "y": [0, 1, 0, 1, 1, 0, 1, 0],
            "a": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
            "w": [1.0] * 8,
        }
    ).with_columns((pl.col("a") * 2).alias("b"))
    with pytest.raises(EstimationError, match="rank deficient"):
        Design(df, weights="w").logit("y", numeric=["a", "b"], categorical=[])
