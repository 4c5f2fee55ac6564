"""The typology and the drivers on the wave's calibrated design (one design everywhere)."""

from __future__ import annotations

import pytest

from barometre.typology import DesignSpec, activity_drivers, segment_shares
from barometre.wave import calibration_of

from .._calibrated import CalibratedWave, calibrated_wave


@pytest.fixture(scope="module")
def wave() -> CalibratedWave:
    """A wave of 800 respondents raked to size x sector cells and regions."""
    return calibrated_wave(800, seed=3)


def _calibrated(wave: CalibratedWave) -> DesignSpec:
    return DesignSpec(fpc="fpc", calibration=calibration_of(wave.spec))


def test_calibrated_segment_shares_have_smaller_ses(wave: CalibratedWave) -> None:
    """Calibration to cells that explain activity narrows every segment's SE; shares stay put."""
    plain = segment_shares(wave.respondents, design=DesignSpec())
    calibrated = segment_shares(wave.respondents, design=_calibrated(wave))
    pairs = list(zip(plain.shares, calibrated.shares, strict=True))
    assert len(pairs) == 4
    for p, c in pairs:
        assert c.estimate.estimate == pytest.approx(p.estimate.estimate, abs=1e-12)
        assert c.estimate.se < p.estimate.se
    gains = [1 - c.estimate.se / p.estimate.se for p, c in pairs]
    assert max(gains) > 0.02


def test_calibration_without_its_group_columns_is_refused(wave: CalibratedWave) -> None:
    """A calibration whose group columns the wave lacks raises, instead of a plain design."""
    from barometre.typology import TypologyError

    bare = wave.respondents.drop("weighting_cell")
    with pytest.raises(TypologyError, match="weighting_cell"):
        segment_shares(bare, design=_calibrated(wave))


def test_drivers_fit_complete_cases_as_a_domain_of_the_calibrated_design(
    wave: CalibratedWave,
) -> None:
    """Drivers on the calibrated design keep the plain fit's coefficients and change its SEs."""
    groups = ["leader_activity", "staff_trained", "sector", "size_band"]
    data = wave.respondents
    plain = activity_drivers(data, groups=groups, replicates=0)
    calibrated = activity_drivers(data, groups=groups, design=_calibrated(wave), replicates=0)
    assert calibrated.n == plain.n
    by_term = {t.term: t for t in plain.terms}
    for t in calibrated.terms:
        # the final weights already meet the margins (g = 1): same point estimates
        assert t.coefficient == pytest.approx(by_term[t.term].coefficient, abs=1e-8)
    assert any(t.se != pytest.approx(by_term[t.term].se, rel=1e-4) for t in calibrated.terms)
    assert calibrated.pseudo_r2 == pytest.approx(plain.pseudo_r2, abs=1e-10)
