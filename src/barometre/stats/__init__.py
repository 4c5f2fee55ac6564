"""Survey statistics that match R's ``survey`` package: design, weights, estimates, tests.

Start from :class:`Design`; every estimate is an :class:`Estimate`.
"""

from barometre.stats.batch import estimates_frame
from barometre.stats.design import Design
from barometre.stats.errors import (
    ColumnNotFoundError,
    DataLevelNotInMarginError,
    DesignVariableError,
    EstimationError,
    MarginError,
    MarginLevelNotInDataError,
    MarginTotalsDisagreeError,
    RakingDidNotConvergeError,
    SingletonStratumError,
    StatsError,
    WeightError,
)
from barometre.stats.representativity import PartialR, RIndicators, representativity
from barometre.stats.results import (
    CrossTab,
    Estimate,
    LabelledEstimate,
    LogitFit,
    RaoScott,
    WeightDiagnostics,
)

__all__ = [
    "ColumnNotFoundError",
    "CrossTab",
    "DataLevelNotInMarginError",
    "Design",
    "DesignVariableError",
    "Estimate",
    "EstimationError",
    "LabelledEstimate",
    "LogitFit",
    "MarginError",
    "MarginLevelNotInDataError",
    "MarginTotalsDisagreeError",
    "PartialR",
    "RIndicators",
    "RakingDidNotConvergeError",
    "RaoScott",
    "SingletonStratumError",
    "StatsError",
    "WeightDiagnostics",
    "WeightError",
    "estimates_frame",
    "representativity",
]
