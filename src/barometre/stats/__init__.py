"""Survey statistics that match R's ``survey`` package: design, weights, estimates, tests.

Start from :class:`Design`; every estimate is an :class:`Estimate`.
"""

from barometre.stats.batch import estimates_frame
from barometre.stats.calibration import Calibration
from barometre.stats.design import Design
from barometre.stats.errors import (
    CalibrationWarning,
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
from barometre.stats.replicates import ReplicateDesign
from barometre.stats.representativity import PartialR, RIndicators, representativity
from barometre.stats.results import (
    CrossTab,
    Estimate,
    LabelledEstimate,
    LogitFit,
    RaoScott,
    TTest,
    Wald,
    WeightDiagnostics,
)

__all__ = [
    "Calibration",
    "CalibrationWarning",
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
    "ReplicateDesign",
    "SingletonStratumError",
    "StatsError",
    "TTest",
    "Wald",
    "WeightDiagnostics",
    "WeightError",
    "estimates_frame",
    "representativity",
]
