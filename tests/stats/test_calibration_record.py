"""`Calibration`: a design's calibration as data, applied as R's `calibrate` would."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from barometre.stats import Calibration, Design, MarginError


@pytest.fixture(scope="module")
def design() -> Design:
    """300 respondents in 3 strata, with a 0/1 answer that depends on the region."""
    rng = np.random.default_rng(4)
    n = 300
    region = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    frame = pl.DataFrame(
        {
            "stratum": rng.choice(["s1", "s2", "s3"], n),
            "region": region,
            "size": rng.choice(["small", "large"], n, p=[0.7, 0.3]),
            "y": (rng.random(n) < np.where(region == "a", 0.2, 0.6)).astype(np.int8),
            "w": rng.uniform(5, 15, n),
        }
    )
    return Design(frame, weights="w", strata="stratum")


MARGINS = {
    "region": {"a": 1200.0, "b": 1000.0, "c": 800.0},
    "size": {"small": 2000.0, "large": 1000.0},
}


def test_raking_record_gives_rakes_weights_and_calibrates_variance(design: Design) -> None:
    """Raking: the weights of `rake`, the SE of `calibrate(method="raking")` (R's calibrate)."""
    calibrated = Calibration(MARGINS).apply(design)
    assert np.allclose(calibrated.weights, design.rake(MARGINS).weights, rtol=1e-8)
    reference = design.calibrate(MARGINS, method="raking")
    assert calibrated.proportion("y", 1).se == pytest.approx(
        reference.proportion("y", 1).se, rel=1e-8
    )
    # applied again to weights that meet the margins: g = 1, and the SE is the calibrated one
    # up to the regression weights (final rather than design x slope): 3e-4 relative here
    again = Calibration(MARGINS).apply(Design(calibrated.data.with_columns(
        pl.Series("w", calibrated.weights)), weights="w", strata="stratum"))  # fmt: skip
    assert np.allclose(again.weights, calibrated.weights, rtol=1e-10)
    assert again.proportion("y", 1).se == pytest.approx(calibrated.proportion("y", 1).se, rel=1e-3)
    assert again.proportion("y", 1).se < design.proportion("y", 1).se


def test_linear_and_poststratification_records(design: Design) -> None:
    """Linear goes through `calibrate`; post-stratification takes exactly one margin."""
    linear = Calibration(MARGINS, method="linear").apply(design)
    assert np.allclose(linear.weights, design.calibrate(MARGINS).weights, rtol=1e-10)
    post = Calibration({"region": MARGINS["region"]}, method="poststratification").apply(design)
    assert np.allclose(
        post.weights, design.poststratify("region", MARGINS["region"]).weights, rtol=1e-12
    )
    with pytest.raises(MarginError, match="exactly one margin"):
        Calibration(MARGINS, method="poststratification").apply(design)
    assert Calibration(MARGINS).columns == ("region", "size")
