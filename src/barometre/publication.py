"""Publishing a wave: its results and benchmark table stored once, for the web app to serve.

The self-diagnostic never computes statistics per request; it reads the benchmark table
built here, when the study team publishes the wave.
"""

from __future__ import annotations

from barometre.diagnostic import BenchmarkTable
from barometre.diagnostic.publication import DEFAULT_MIN_N, build_benchmark_table
from barometre.store import Store


def publish(
    store: Store, wave_id: int, results_json: str, *, min_n: int = DEFAULT_MIN_N
) -> BenchmarkTable:
    """Build the wave's benchmark table from its weighted dataset and store it with the results.

    Results, benchmark and the "published" status are written in one transaction.
    """
    wave = store.wave(wave_id)
    dataset = store.wave_dataset(wave_id)
    table = build_benchmark_table(dataset, wave=wave.name, min_n=min_n)
    store.publish_wave(wave_id, results_json, table.rows(), min_n=table.min_n)
    return table
