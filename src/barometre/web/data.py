"""What the web app reads from the store, with the caching that keeps requests cheap.

Questionnaires never change under a wave and a published benchmark table never changes, so
both are kept in memory; the latest published wave is looked up again after `ttl` seconds so
that a newly published wave shows up without a restart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from barometre.diagnostic import BenchmarkTable
from barometre.questionnaire import Questionnaire, diagnostic_subset, load_builtin
from barometre.store import NotFoundError, Store

SELF_DIAGNOSTIC_QUESTIONNAIRE = "bpi2018"
BENCHMARK_TTL_SECONDS = 60.0


@dataclass(frozen=True)
class Profile:
    """A sampled company's frame values (which win over what it says about itself)."""

    size_band: str | None
    sector: str | None


class WebData:
    """Cached reads from the store."""

    def __init__(self, store: Store, ttl: float = BENCHMARK_TTL_SECONDS) -> None:
        self.store = store
        self.ttl = ttl
        self._questionnaires: dict[int, Questionnaire] = {}
        self._benchmark: tuple[float, BenchmarkTable | None] | None = None
        self._lock = threading.Lock()
        full = load_builtin(SELF_DIAGNOSTIC_QUESTIONNAIRE)
        self.self_diagnostic: Questionnaire = diagnostic_subset(full)

    def questionnaire(self, wave_id: int) -> Questionnaire:
        """The questionnaire a wave collects answers to."""
        found = self._questionnaires.get(wave_id)
        if found is None:
            found = self.store.questionnaire_of(wave_id)
            self._questionnaires[wave_id] = found
        return found

    def profile(self, wave_id: int, case_id: str) -> Profile:
        """The frame's size band and sector of a case."""
        case = self.store.case(wave_id, case_id)
        unit = self.store.frame_unit(wave_id, case.siren)
        return Profile(unit.size_band, unit.sector)

    def benchmark(self) -> BenchmarkTable | None:
        """The benchmark table of the latest published wave, None before any publication."""
        now = time.monotonic()
        cached = self._benchmark
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        with self._lock:
            table = load_benchmark(self.store)
            self._benchmark = (now, table)
        return table


def load_benchmark(store: Store) -> BenchmarkTable | None:
    """The stored benchmark table of the latest published wave, if any."""
    wave = store.latest_published_wave()
    if wave is None:
        return None
    try:
        return store.benchmark_table(wave.id)
    except NotFoundError:
        return None
