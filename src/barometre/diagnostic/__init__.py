"""The self-diagnostic: a firm's maturity score, segment, peer benchmark and action plan.

Pure: no I/O. The web app feeds it one answer set and the stored benchmark table of the
latest published wave; the table itself is built once, at publication, by
`build_benchmark_table`.
"""

from __future__ import annotations

from barometre.diagnostic._text import Text
from barometre.diagnostic.action_plan import (
    ENTRY_BUDGET,
    ENTRY_TIME,
    ActionPlan,
    ActionStep,
    action_plan,
)
from barometre.diagnostic.benchmark import (
    BenchmarkCell,
    BenchmarkRow,
    BenchmarkTable,
    Comparison,
    PeerBenchmark,
    PeerLevel,
    Share,
    peer_benchmark,
)
from barometre.diagnostic.build_benchmark import DEFAULT_MIN_N, build_benchmark_table
from barometre.diagnostic.diagnose import Diagnostic, diagnose
from barometre.diagnostic.errors import (
    BenchmarkFormatError,
    DiagnosticError,
    NothingToScoreError,
    WaveDatasetError,
)
from barometre.diagnostic.indicators import INDICATORS, Indicator
from barometre.diagnostic.scoring import (
    SCORE_ITEMS,
    Dimension,
    DimensionScore,
    MaturityScore,
    ScoreItem,
    maturity_score,
)
from barometre.diagnostic.segment import Segment, segment_of

__all__ = [
    "DEFAULT_MIN_N",
    "ENTRY_BUDGET",
    "ENTRY_TIME",
    "INDICATORS",
    "SCORE_ITEMS",
    "ActionPlan",
    "ActionStep",
    "BenchmarkCell",
    "BenchmarkFormatError",
    "BenchmarkRow",
    "BenchmarkTable",
    "Comparison",
    "Diagnostic",
    "DiagnosticError",
    "Dimension",
    "DimensionScore",
    "Indicator",
    "MaturityScore",
    "NothingToScoreError",
    "PeerBenchmark",
    "PeerLevel",
    "ScoreItem",
    "Segment",
    "Share",
    "Text",
    "WaveDatasetError",
    "action_plan",
    "build_benchmark_table",
    "diagnose",
    "maturity_score",
    "peer_benchmark",
    "segment_of",
]
