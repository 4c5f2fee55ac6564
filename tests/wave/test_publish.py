"""Publishing a wave refuses results that do not describe its stored respondents."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from barometre.questionnaire import QuestionType, load_builtin
from barometre.report import compute_results
from barometre.report.results import WaveResults
from barometre.store import Store, open_store
from barometre.wave import PublicationMismatch, publish
from barometre.web.testing import random_answers

BPI = load_builtin("bpi2018")
N = 24


@pytest.fixture
def closed_wave(tmp_path: Path) -> tuple[Store, int]:
    """A closed wave of 24 companies, all answered (seeded random valid answers)."""
    store = open_store(f"sqlite:///{tmp_path / 'publish.sqlite'}")
    wave = store.create_wave("2026", "bpi2018")
    sizes, sectors = ("10-19", "20-49"), ("commerce", "services")
    units = [
        {
            "siren": f"{100000000 + i}",
            "size_band": sizes[i % 2],
            "sector": sectors[i // 2 % 2],
            "region": "84",
        }
        for i in range(N)
    ]
    store.add_frame_units(wave.id, units)
    store.add_sample(
        wave.id,
        [
            {
                "siren": u["siren"],
                "stratum": f"{u['size_band']}|{u['sector']}",
                "inclusion_probability": 0.1,
            }
            for u in units
        ],
    )
    store.set_wave_status(wave.id, "open")
    numbers = {q.id for q in BPI.questions if q.type is QuestionType.NUMBER}
    rng = random.Random(5)
    for case in store.cases(wave.id):
        answers = random_answers(BPI, rng)
        answers.update({q: int(v) for q, v in answers.items() if q in numbers})
        store.save_response(wave.id, case.case_id, answers, "complete", "import")
    store.set_wave_status(wave.id, "closed")
    return store, wave.id


def _results(store: Store, wave_id: int, name: str = "2026") -> WaveResults:
    return compute_results(
        store.wave_dataset(wave_id), BPI, wave=name, with_drivers=False, with_typology=False
    )


def test_results_of_the_wave_are_published(closed_wave: tuple[Store, int]) -> None:
    """Results of the stored respondents publish with a benchmark whose min_n is stored once."""
    store, wave_id = closed_wave
    table = publish(store, wave_id, _results(store, wave_id), min_n=5)
    assert store.wave(wave_id).status == "published"
    stored_table = store.benchmark_table(wave_id)
    assert stored_table is not None and stored_table.min_n == table.min_n == 5
    assert {c.key: c for c in stored_table.cells} == {c.key: c for c in table.cells}
    stored = store.wave_results(wave_id)
    assert stored is not None and stored.results["n_respondents"] == N


def test_results_of_another_wave_or_respondents_are_refused(
    closed_wave: tuple[Store, int],
) -> None:
    """Another wave's name, another count or other weights are refused; nothing is stored."""
    store, wave_id = closed_wave
    results = _results(store, wave_id)
    with pytest.raises(PublicationMismatch, match="the results are of wave '2031'"):
        publish(store, wave_id, dataclasses.replace(results, wave="2031"), min_n=5)
    with pytest.raises(PublicationMismatch, match=f"they count 23 respondents, the store {N}"):
        publish(store, wave_id, dataclasses.replace(results, n_respondents=N - 1), min_n=5)
    store.store_weights(wave_id, {c.case_id: 3.0 for c in store.cases(wave_id)})
    with pytest.raises(PublicationMismatch, match="weights changed since the report"):
        publish(store, wave_id, results, min_n=5)
    assert store.wave(wave_id).status == "closed"
    assert store.wave_results(wave_id) is None and store.benchmark(wave_id) == ()
