"""Publishing a wave: its results and benchmark table stored once, for the web app to serve.

The self-diagnostic never computes statistics per request; it reads the benchmark table
built here, when the study team publishes the wave.
"""

from __future__ import annotations

from barometre.diagnostic import BenchmarkTable
from barometre.diagnostic.publication import DEFAULT_MIN_N, build_benchmark_table
from barometre.report.results import WaveResults
from barometre.report.results_json import results_from_mapping
from barometre.store import Store


def publish(
    store: Store, wave_id: int, results_json: str, *, min_n: int = DEFAULT_MIN_N
) -> BenchmarkTable:
    """Build the wave's benchmark table from its weighted dataset and store it with the results.

    Results, benchmark and the "published" status are written in one transaction.
    """
    wave = store.wave(wave_id)
    dataset = store.wave_dataset(wave_id)
    # The wave's own questionnaire: its diagnostic questions (the public short form) get their
    # own rescored peer mean in the table.
    questionnaire = store.questionnaire_of(wave_id)
    table = build_benchmark_table(dataset, wave=wave.name, min_n=min_n, questionnaire=questionnaire)
    store.publish_wave(wave_id, results_json, table.rows(), min_n=table.min_n)
    return table


def earlier_results(store: Store, wave_id: int) -> WaveResults | None:
    """The results of the latest wave published before this one with the same questionnaire.

    A report compares a wave with it (change of every indicator, its CI and significance);
    None when the store holds no such earlier wave.
    """
    wave = store.wave(wave_id)
    earlier = [
        w
        for w in store.waves()
        if w.id != wave_id
        and w.status == "published"
        and w.questionnaire_id == wave.questionnaire_id
        and (w.created_at, w.id) < (wave.created_at, wave.id)
    ]
    for candidate in sorted(earlier, key=lambda w: (w.created_at, w.id), reverse=True):
        stored = store.wave_results(candidate.id)
        if stored is not None:
            return results_from_mapping(stored.results, source=f"wave {candidate.name!r}")
    return None
