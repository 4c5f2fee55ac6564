"""The wave dataset follows docs/dev/vocabulary.md: coded answers, design variables, weight."""

from __future__ import annotations

import polars as pl
import pytest

from barometre.questionnaire import load_builtin
from barometre.store import InputError

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
    }.items():  # fmt: skip
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
