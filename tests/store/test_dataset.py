"""The wave dataset follows docs/dev/vocabulary.md: coded answers, design variables, weight."""

from __future__ import annotations

import random

import polars as pl
import pytest

from barometre.questionnaire import load_builtin, relevance, validate
from barometre.store import InputError, Store

from .conftest import COMPLETE_ANSWERS, FIRST_PAGES, OpenWave

NETWORK_NO = {f"net_{n}": "no" for n in ("facebook", "linkedin", "twitter", "youtube", "instagram")}


def _absent_firm() -> dict[str, object]:
    """A complete answer set of a firm on no network (the presence questions are skipped)."""
    answers = {**COMPLETE_ANSWERS, **NETWORK_NO}
    for skipped in ("managed_by", "actions", "objectives", "comment", "headcount"):
        answers.pop(skipped)
    return {**answers, "size_band": "0-9", "sector": "industrie", "region": "11"}


def test_columns_and_types_follow_the_vocabulary(open_wave: OpenWave) -> None:
    """One column per question (multiple choices one Int8 per code), design columns last."""
    store = open_wave.store
    store.save_response(open_wave.wave_id, open_wave.case_ids[0], COMPLETE_ANSWERS, "complete")
    data = store.wave_dataset(open_wave.wave_id)
    q = load_builtin("bpi2018")
    assert data.columns[0] == "case_id"
    for question in q.questions:
        kind = question.type.value
        if kind == "multiple":
            for code in question.codes:
                assert data.schema[f"{question.id}__{code}"] == pl.Int8
        elif kind == "number":
            assert data.schema[question.id] == pl.Float64
        else:
            assert data.schema[question.id] == pl.String
    for name, dtype in {
        "stratum": pl.String, "size_band": pl.String, "sector": pl.String,
        "region": pl.String, "design_weight": pl.Float64, "weight": pl.Float64,
        "present": pl.String,
    }.items():  # fmt: skip  # one record per line reads as a table
        assert data.schema[name] == dtype, name
    assert data.columns[-4:] == ["stratum", "design_weight", "weight", "present"]
    assert len(data.columns) == len(set(data.columns))


def test_values_are_coded_and_frame_values_win(open_wave: OpenWave) -> None:
    """Codes, 1/0 choices, nulls for skipped questions; frame size/sector/region win."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    store.save_response(wave_id, cases[0], COMPLETE_ANSWERS, "complete")
    store.save_response(wave_id, cases[1], _absent_firm(), "complete", "paper")
    store.save_response(wave_id, cases[2], FIRST_PAGES)  # partial: left out by default
    data = store.wave_dataset(wave_id)
    assert data["case_id"].to_list() == [cases[0], cases[1]]
    first, second = data.row(0, named=True), data.row(1, named=True)
    assert first["website"] == "vitrine"
    assert (first["managed_by__leader"], first["managed_by__agency"]) == (1, 0)
    assert second["managed_by__leader"] is None  # skipped: not present on any network
    assert first["headcount"] == 31.0 and second["headcount"] is None
    assert first["comment"] == "Très utile"
    # Case 2 said 0-9 / industrie / 11; its frame says 10-19 / commerce / 11.
    assert (second["size_band"], second["sector"], second["region"]) == ("10-19", "commerce", "11")
    assert (first["present"], second["present"]) == ("yes", "no")
    assert (second["stratum"], second["design_weight"]) == ("10-19|commerce", 4.0)
    assert data["weight"].to_list() == [10.0, 4.0]  # no stored weights: the design weight
    with_partial = store.wave_dataset(wave_id, include_partial=True)
    assert with_partial.height == 3
    assert with_partial.row(2, named=True)["present"] == "yes"  # facebook on the first page


def test_stored_weights_replace_design_weights(open_wave: OpenWave) -> None:
    """Once final weights are stored, `weight` holds them; design_weight stays."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    store.save_response(wave_id, cases[0], COMPLETE_ANSWERS, "complete")
    assert store.store_weights(wave_id, {cases[0]: 12.5, cases[1]: 3.0}, method="raking") == 2
    data = store.wave_dataset(wave_id)
    assert data["weight"].to_list() == [12.5]
    assert data["design_weight"].to_list() == [10.0]
    assert store.weights(wave_id) == {cases[0]: 12.5, cases[1]: 3.0}
    store.store_weights(wave_id, pl.DataFrame({"case_id": [cases[0]], "weight": [9.0]}))
    assert store.weights(wave_id) == {cases[0]: 9.0}


def test_bad_weights_are_refused(open_wave: OpenWave) -> None:
    """A weight for an unknown case, or a non-positive one, is refused; nothing changes."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    store.store_weights(wave_id, {cases[0]: 2.0})
    with pytest.raises(InputError, match="nope"):
        store.store_weights(wave_id, {"nope": 1.0})
    with pytest.raises(InputError, match="weight"):
        store.store_weights(wave_id, {cases[0]: 0.0})
    assert store.weights(wave_id) == {cases[0]: 2.0}


def test_empty_wave_gives_empty_dataset_with_schema(open_wave: OpenWave) -> None:
    """Before any response the dataset has no row but every column, typed."""
    data = open_wave.store.wave_dataset(open_wave.wave_id)
    assert data.height == 0
    assert data.schema["weight"] == pl.Float64
    assert "obstacles__lack_time" in data.columns


def _random_answers(rng: random.Random) -> dict[str, object]:
    """A valid complete answer set drawn at random (skip logic and constraints respected)."""
    while True:  # redraw sets that break a constraint (e.g. "nobody" with someone)
        answers = _draw(rng)
        if validate(load_builtin("bpi2018"), answers) == ():
            return answers


def _draw(rng: random.Random) -> dict[str, object]:
    q = load_builtin("bpi2018")
    answers: dict[str, object] = {}
    for question in q.questions:
        kind = question.type.value
        if kind == "multiple":
            value: object = rng.sample(list(question.codes), rng.randint(1, 3))
        elif kind == "number":
            value = rng.randint(0, 500)
        elif kind == "text":
            value = rng.choice(["", "RAS", "Très bien, « merci »"])
        else:
            value = rng.choice(list(question.codes))
        if value != "":
            answers[question.id] = value
    asked = relevance(q, answers)
    return {k: v for k, v in answers.items() if asked[k]}


def test_dataset_rows_give_back_the_stored_answers(store: Store) -> None:
    """Decoding each dataset row by question type gives back exactly the answers stored."""
    rng = random.Random(20260301)
    wave = store.create_wave("2026")
    units = [{"siren": f"{100_000_000 + i:09d}", "size_band": "0-9"} for i in range(25)]
    store.add_frame_units(wave.id, units)
    store.add_sample(
        wave.id,
        [{"siren": u["siren"], "stratum": "0-9", "inclusion_probability": 0.5} for u in units],
    )
    store.set_wave_status(wave.id, "open")
    given = {}
    for case in store.cases(wave.id):
        given[case.case_id] = _random_answers(rng)
        store.save_response(wave.id, case.case_id, given[case.case_id], "complete")
    data = store.wave_dataset(wave.id)
    q = load_builtin("bpi2018")
    for row in data.iter_rows(named=True):
        decoded: dict[str, object] = {}
        for question in q.questions:
            if question.type.value == "multiple":
                flags = {c: row[f"{question.id}__{c}"] for c in question.codes}
                if None not in flags.values():
                    decoded[question.id] = [c for c in question.codes if flags[c] == 1]
            elif row[question.id] is not None:
                value = row[question.id]
                decoded[question.id] = int(value) if question.type.value == "number" else value
        expected = dict(given[row["case_id"]])
        expected["size_band"] = "0-9"  # the frame's value wins
        for qid, value in expected.items():
            if isinstance(value, list):  # the dataset lists codes in questionnaire order
                codes = q.question(qid).codes
                expected[qid] = sorted(value, key=codes.index)
        assert decoded == expected
