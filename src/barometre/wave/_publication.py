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
from barometre.wave._design import calibration_of, stored_spec, wave_respondents
from barometre.wave._errors import PublicationMismatch


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
    spec = stored_spec(store, wave_id)
    # The stored respondents with their weighting groups and fpc: the benchmark rests on the
    # wave's calibrated design, as the report's shares do.
    dataset = wave_respondents(store, wave_id, spec)
    en: list[str] = []
    fr: list[str] = []  # the same problems, for the team area in French
    if results.wave != wave.name:
        en.append(f"the results are of wave {results.wave!r}")
        fr.append(f"les résultats sont ceux de la vague «\u00a0{results.wave}\u00a0»")
    if results.questionnaire_id != wave.questionnaire_id:
        en.append(f"they use questionnaire {results.questionnaire_id!r}")
        fr.append(f"ils portent sur le questionnaire «\u00a0{results.questionnaire_id}\u00a0»")
    if results.n_respondents != dataset.height:
        en.append(f"they count {results.n_respondents} respondents, the store {dataset.height}")
        fr.append(f"ils comptent {results.n_respondents} répondants, la base {dataset.height}")
    else:
        stored = float(dataset["weight"].sum()) if dataset.height else 0.0
        given = results.weights.sum_weights
        if not math.isclose(given, stored, rel_tol=1e-9):
            en.append(
                f"their weights sum to {given:.6g}, the stored ones to {stored:.6g} "
                "(weights changed since the report was computed?)"
            )
            fr.append(
                f"leurs poids totalisent {_fr(given)}, ceux de la base {_fr(stored)} "
                "(pondération refaite depuis le rapport\u00a0?)"
            )
    if en:
        raise PublicationMismatch(
            f"cannot publish wave {wave.name!r} ({wave.questionnaire_id}, {dataset.height} "
            f"respondents): {'; '.join(en)}; rebuild the report from this wave",
            f"Impossible de publier la vague «\u00a0{wave.name}\u00a0» ({wave.questionnaire_id}, "
            f"{dataset.height} répondants)\u00a0: {_NBSP_SEMICOLON.join(fr)}\u00a0; refaites le "
            "rapport à partir de cette vague.",
        )
    table = build_benchmark_table(
        dataset,
        wave=wave.name,
        min_n=min_n,
        calibration=None if spec is None else calibration_of(spec),
        fpc="fpc" if spec is not None and spec.stratum_population else None,
    )
    store.publish_wave(wave_id, to_dict(results), table)
    return table


_NBSP_SEMICOLON = "\u00a0; "


def _fr(x: float) -> str:
    return f"{x:.6g}".replace(".", ",")


def earlier_wave_id(store: Store, wave_id: int) -> int | None:
    """The latest wave published before this one with the same questionnaire and stored
    results (the one a report compares with), or None."""
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
        if store.wave_results(candidate.id) is not None:
            return candidate.id
    return None


def earlier_results(store: Store, wave_id: int) -> WaveResults | None:
    """The results of the latest wave published before this one with the same questionnaire.

    A report compares a wave with it (change of every indicator, its CI and significance);
    None when the store holds no such earlier wave.
    """
    earlier = earlier_wave_id(store, wave_id)
    if earlier is None:
        return None
    stored = store.wave_results(earlier)
    assert stored is not None
    return results_from_mapping(stored.results, source=f"wave {store.wave(earlier).name!r}")
