"""Errors raised by barometre.stats: each names the problem and where it is."""

from __future__ import annotations

from barometre.errors import UserError


class StatsError(UserError, ValueError):
    """Base class of every input error in barometre.stats."""


class ColumnNotFoundError(StatsError):
    """A column named in a call is not in the data."""


class WeightError(StatsError):
    """Weights are missing, negative, zero or not numeric."""


class DesignVariableError(StatsError):
    """A design variable (strata, PSU, fpc) is missing or inconsistent."""


class SingletonStratumError(StatsError):
    """A stratum has a single PSU and the singleton policy is ``"fail"``."""


class MarginError(StatsError):
    """Calibration margins do not fit the data."""


class MarginTotalsDisagreeError(MarginError):
    """Margins given to raking do not sum to the same population total."""


class MarginLevelNotInDataError(MarginError):
    """A margin level has no respondent in the data."""


class DataLevelNotInMarginError(MarginError):
    """A level present in the data is absent from the margin."""


class RakingDidNotConvergeError(MarginError):
    """Raking stopped at its iteration cap with margins still off target."""

    def __init__(self, message: str, *, iterations: int, gap: float) -> None:
        super().__init__(message)
        self.iterations = iterations
        self.gap = gap


class EstimationError(StatsError):
    """An estimate cannot be computed on this data (empty domain, no variation...)."""


class CalibrationWarning(UserWarning):
    """A calibration stopped short of its margins (bounds too tight); weights kept as R does."""
