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


def test_aliased_term_is_named() -> None:
    """A dummy that copies another regressor is named as the aliased term, as R's NA would."""
    df = pl.DataFrame(
        {
            "y": [0, 1, 0, 1, 1, 0, 1, 0, 1, 0],
            "size": ["a", "a", "b", "b", "c", "c", "a", "b", "c", "a"],
            "w": [1.0] * 10,
        }
    ).with_columns((pl.col("size") == "c").cast(pl.Float64).alias("big"))
    with pytest.raises(EstimationError, match=r"rank deficient.*\['sizec'\]"):
        Design(df, weights="w").logit("y", numeric=["big"], categorical=["size"])


def test_empty_level_is_an_aliased_term() -> None:
    """A level whose only respondents lack the response gives a zero column, named."""
    df = pl.DataFrame(
        {
            "y": [0, 1, 0, 1, 1, 0, 1, None],
            "size": ["a", "a", "b", "b", "a", "b", "a", "c"],
            "w": [1.0] * 8,
        }
    )
    with pytest.raises(EstimationError, match=r"\['sizec'\]"):
        Design(df, weights="w").logit("y", numeric=[], categorical=["size"])


def test_separated_level_is_named() -> None:
    """A level whose respondents are all 1 (quasi-complete separation) is refused by name,
    instead of numpy's LinAlgError from a singular information matrix."""
    df = pl.DataFrame(
        {
            "y": [0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1],
            "activity": ["lo", "lo", "lo", "mid", "mid", "mid", "lo", "mid"] + ["top"] * 3,
            "w": [1.0, 2.0, 1.5, 1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 2.0, 1.0],
        }
    )
    with pytest.raises(EstimationError, match=r"level 'top' of 'activity' separates") as err:
        Design(df, weights="w").logit("y", numeric=[], categorical=["activity"])
    assert "3 respondent(s) all have y = 1" in str(err.value)


def test_separated_reference_level_is_named() -> None:
    """The reference level separates too (the intercept would go to infinity)."""
    df = pl.DataFrame(
        {
            "y": [0, 0, 0, 1, 1, 0, 1, 0],
            "g": ["a", "a", "a", "b", "b", "b", "c", "c"],
            "w": [1.0] * 8,
        }
    )
    with pytest.raises(EstimationError, match=r"level 'a' of 'g' separates.*y = 0"):
        Design(df, weights="w").logit("y", numeric=[], categorical=["g"])


def test_singular_information_is_an_estimation_error() -> None:
    """Separation by a numeric regressor ends in an EstimationError, never numpy's LinAlgError."""
    df = pl.DataFrame(
        {"y": [0, 0, 0, 0, 1, 1, 1, 1], "x": [1.0, 2, 3, 4, 5, 6, 7, 8], "w": [1.0] * 8}
    )
    with pytest.raises(EstimationError, match="logit"):
        Design(df, weights="w").logit("y", numeric=["x"], categorical=[])


def test_ordinary_model_is_unchanged(survey: pl.DataFrame) -> None:
    """The checks change no fitted number: coefficients and SEs as before them, to 1e-10."""
    d = Design(survey, weights="w", strata="stratum")
    fit = d.logit("active", numeric=["spend"], categorical=["size", "sector"])
    assert fit.terms == (
        "(Intercept)",
        "spend",
        "size10-49",
        "size50+",
        "sectorindustrie",
        "sectorservices",
    )
    # Frozen from the fit before the separation and aliasing checks (commit 2ddc020).
    before = {
        "coefficients": (
            0.019361814663309995,
            -2.07133695720777e-05,
            -0.04328834895929296,
            0.4016395789967292,
            0.04416850798570976,
            0.1821425020815659,
        ),
        "se": (
            0.27270583960837713,
            2.4959455871461202e-05,
            0.24855460647336883,
            0.3078134259930693,
            0.2675939791002478,
            0.27854930835423125,
        ),
        "p_values": (
            0.943435400728918,
            0.40711920484852926,
            0.8618307753351957,
            0.19273319652657192,
            0.8689847924083058,
            0.5135676540670554,
        ),
    }
    for key, values in before.items():
        assert getattr(fit, key) == pytest.approx(values, rel=1e-10, abs=1e-14), key
    assert (fit.df_residual, fit.n, fit.iterations) == (386, 400, 5)
