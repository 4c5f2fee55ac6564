"""The benchmark table built on the wave's calibrated design with its fpc."""

from __future__ import annotations

import pytest

from barometre.diagnostic import PeerLevel, WaveDatasetError, build_benchmark_table
from barometre.wave import calibration_of

from .._calibrated import calibrated_wave


def test_benchmark_with_calibration_keeps_shares_and_narrows_intervals() -> None:
    """Calibration leaves peer shares as they were (g = 1) and narrows most whole-wave intervals."""
    wave = calibrated_wave(600, seed=5)
    plain = build_benchmark_table(wave.respondents, wave="w", min_n=30)
    calibrated = build_benchmark_table(
        wave.respondents,
        wave="w",
        min_n=30,
        calibration=calibration_of(wave.spec),
        fpc="fpc",
    )
    before = {c.key: c for c in plain.cells}
    changed = 0
    for cell in calibrated.cells:
        old = before[cell.key]
        assert cell.n == old.n and cell.suppressed == old.suppressed
        for code, share in cell.estimates.items():
            was = old.estimates[code]
            assert share.estimate == pytest.approx(was.estimate, abs=1e-9)
            changed += abs((share.ci_high - share.ci_low) - (was.ci_high - was.ci_low)) > 1e-9
    assert changed > 100  # the calibration reached the intervals
    # Over the whole wave, the calibration on cells that explain activity narrows most of them.
    overall = next(c for c in calibrated.cells if c.level is PeerLevel.ALL)
    was_overall = before[overall.key].estimates
    widths = [
        (s.ci_high - s.ci_low, was_overall[k].ci_high - was_overall[k].ci_low)
        for k, s in overall.estimates.items()
        if s.ci_high > s.ci_low
    ]
    narrower = sum(w < w0 for w, w0 in widths)
    assert narrower > len(widths) / 2


def test_benchmark_refuses_a_calibration_without_its_columns() -> None:
    """A calibration on group columns the dataset lacks is refused with the columns named."""
    wave = calibrated_wave(300, seed=6)
    with pytest.raises(WaveDatasetError, match="weighting_region"):
        build_benchmark_table(
            wave.respondents.drop("weighting_region"),
            wave="w",
            calibration=calibration_of(wave.spec),
        )
