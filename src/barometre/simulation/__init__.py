"""Replicated waves of a design on a synthetic population: coverage, fallbacks, trends.

A study team checks here, before fieldwork, that its design, weighting and intervals hold
up: `coverage_study` replicates a wave (sample, non-response, weighting, estimates) on a
synthetic population whose truth is known; `trend_study` replicates pairs of waves.
"""

from barometre.simulation.coverage import CoverageRow, CoverageStudy, coverage_study
from barometre.simulation.population import (
    KEY_INDICATORS,
    SimulatedPopulation,
    simulated_population,
)
from barometre.simulation.trends import TrendStudy, trend_study
from barometre.simulation.waves import WaveDraw, draw_wave, estimate_wave

__all__ = [
    "KEY_INDICATORS",
    "CoverageRow",
    "CoverageStudy",
    "SimulatedPopulation",
    "TrendStudy",
    "WaveDraw",
    "coverage_study",
    "draw_wave",
    "estimate_wave",
    "simulated_population",
    "trend_study",
]
