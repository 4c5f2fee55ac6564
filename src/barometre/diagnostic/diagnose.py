"""One firm's diagnostic: its segment, maturity score, peer benchmark and action plan."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from barometre.diagnostic.action_plan import ActionPlan, action_plan
from barometre.diagnostic.benchmark import BenchmarkTable, PeerBenchmark, peer_benchmark
from barometre.diagnostic.scoring import MaturityScore, maturity_score
from barometre.diagnostic.segment import Segment, segment_of
from barometre.questionnaire import Answers, code


@dataclass(frozen=True)
class Diagnostic:
    """Everything the diagnostic page shows for one firm."""

    segment: Segment | None
    score: MaturityScore
    benchmark: PeerBenchmark | None
    plan: ActionPlan
    size_band: str | None
    sector: str | None


def diagnose(
    answers: Answers,
    benchmark: BenchmarkTable | None = None,
    *,
    asked: Collection[str] | None = None,
    size_band: str | None = None,
    sector: str | None = None,
) -> Diagnostic:
    """Diagnose one answer set against a published wave's benchmark table (when there is one).

    `size_band` and `sector` default to the firm's answers; pass the frame's values for an
    invited firm (the registry wins over self-reported profile answers). `asked` lists the
    questions the form asked (default: the whole questionnaire).
    """
    size_band = size_band or code(answers, "size_band")
    sector = sector or code(answers, "sector")
    score = maturity_score(answers, asked)
    peers = peer_benchmark(benchmark, answers, size_band, sector) if benchmark else None
    return Diagnostic(
        segment=segment_of(answers),
        score=score,
        benchmark=peers,
        plan=action_plan(answers, score),
        size_band=size_band,
        sector=sector,
    )
