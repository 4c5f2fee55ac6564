"""Publishing a wave: its results and benchmark table stored once, for the web app to serve.

The self-diagnostic never computes statistics per request; it reads the benchmark table
built here, when the study team publishes the wave.
"""

from __future__ import annotations

import math

from barometre.diagnostic import DEFAULT_MIN_N, BenchmarkTable, build_benchmark_table
from barometre.report.results import WaveResults
from barometre.report.results_json import results_from_mapping, to_dict
from barometre.store import Store


class PublicationMismatch(ValueError):
    """The results handed to `publish` do not describe the wave's stored respondents."""


def publish(
    store: Store, wave_id: int, results: WaveResults, *, min_n: int = DEFAULT_MIN_N
) -> BenchmarkTable:
    """Build the wave's benchmark table from its weighted dataset and store it with the results.

    Refuses (`PublicationMismatch`) results of another wave or questionnaire, or computed over
    other respondents or other weights than the ones stored now: the report and the
    self-diagnostic would otherwise publish two different waves under one name. Results,
    benchmark and the "published" status are written in one transaction.
    """
    wave = store.wave(wave_id)
    dataset = store.wave_dataset(wave_id)
    problems = []
    if results.wave != wave.name:
        problems.append(f"the results are of wave {results.wave!r}")
    if results.questionnaire_id != wave.questionnaire_id:
        problems.append(f"they use questionnaire {results.questionnaire_id!r}")
    if results.n_respondents != dataset.height:
        problems.append(
            f"they count {results.n_respondents} respondents, the store {dataset.height}"
        )
    else:
        stored = float(dataset["weight"].sum()) if dataset.height else 0.0
        if not math.isclose(results.weights.sum_weights, stored, rel_tol=1e-9):
            problems.append(
                f"their weights sum to {results.weights.sum_weights:.6g}, the stored ones "
                f"to {stored:.6g} (weights changed since the report was computed?)"
            )
    if problems:
        raise PublicationMismatch(
            f"cannot publish wave {wave.name!r} ({wave.questionnaire_id}, {dataset.height} "
            f"respondents): {'; '.join(problems)}; rebuild the report from this wave"
        )
    table = build_benchmark_table(dataset, wave=wave.name, min_n=min_n)
    store.publish_wave(wave_id, to_dict(results), table)
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
        and w.status in ("published", "archived")
        and w.questionnaire_id == wave.questionnaire_id
        and (w.created_at, w.id) < (wave.created_at, wave.id)
    ]
    for candidate in sorted(earlier, key=lambda w: (w.created_at, w.id), reverse=True):
        stored = store.wave_results(candidate.id)
        if stored is not None:
            return results_from_mapping(stored.results, source=f"wave {candidate.name!r}")
    return None
