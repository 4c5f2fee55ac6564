"""Waves, frame units, contacts and the sample."""

from __future__ import annotations

import polars as pl
import pytest

from barometre.store import (
    DuplicateError,
    InputError,
    NotFoundError,
    Store,
    WaveStatusError,
)

from .conftest import FRAME, OpenWave


def test_create_wave_records_questionnaire_version(store: Store) -> None:
    """A new wave is a draft that records the questionnaire's id and version."""
    wave = store.create_wave("2026", "bpi2018", frame_description="SIRENE 2026-01")
    assert (wave.status, wave.questionnaire_id, wave.questionnaire_version) == (
        "draft",
        "bpi2018",
        "2018.1",
    )
    assert store.wave_by_name("2026") == wave
    assert store.waves() == (wave,)


def test_wave_names_are_unique(store: Store) -> None:
    """A second wave with the same name is refused."""
    store.create_wave("2026")
    with pytest.raises(DuplicateError, match="2026"):
        store.create_wave("2026")


def test_unknown_questionnaire_is_refused(store: Store) -> None:
    """A wave of an unknown questionnaire or version is refused with a clear error."""
    with pytest.raises(NotFoundError, match="nope"):
        store.create_wave("x", "nope")
    with pytest.raises(NotFoundError, match="1999"):
        store.create_wave("y", "bpi2018", "1999")


def test_wave_status_moves_forward_only(store: Store) -> None:
    """draft→open→closed→published; publishing stamps the date; going back is refused."""
    wave = store.create_wave("2026")
    with pytest.raises(WaveStatusError):
        store.set_wave_status(wave.id, "published")
    store.set_wave_status(wave.id, "open")
    store.set_wave_status(wave.id, "closed")
    published = store.set_wave_status(wave.id, "published")
    assert published.published_at is not None
    assert store.latest_published_wave() == published
    with pytest.raises(WaveStatusError):
        store.set_wave_status(wave.id, "open")


def test_frame_units_keep_contacts_apart(store: Store) -> None:
    """Registry attributes go to the frame, addresses and e-mails to the contact side."""
    wave = store.create_wave("2026")
    assert store.add_frame_units(wave.id, FRAME, batch_size=2) == 3
    unit = store.frame_unit(wave.id, "732829320")
    assert (unit.name, unit.size_band, unit.sector, unit.turnover) == (
        "Alpha SA",
        "20-49",
        "services",
        4.2e6,
    )
    assert not hasattr(unit, "email")
    assert store.frame_size(wave.id) == 3


def test_frame_accepts_polars_and_refuses_unknown_columns(store: Store) -> None:
    """A polars DataFrame loads; an unknown column is named in the error and nothing loads."""
    wave = store.create_wave("2026")
    frame = pl.DataFrame({"siren": ["732829320", "552100554"], "size_band": ["0-9", "250+"]})
    assert store.add_frame_units(wave.id, frame) == 2
    other = store.create_wave("2027")
    bad = frame.with_columns(pl.lit("x").alias("colour"))
    with pytest.raises(InputError, match="colour"):
        store.add_frame_units(other.id, bad)
    assert store.frame_size(other.id) == 0


def test_duplicate_siren_in_frame_is_refused(store: Store) -> None:
    """The same SIREN twice in one frame is refused, and the frame stays as it was."""
    wave = store.create_wave("2026")
    with pytest.raises(DuplicateError, match="732829320"):
        store.add_frame_units(wave.id, [FRAME[0], FRAME[1], FRAME[0]])
    assert store.frame_size(wave.id) == 0


def test_sample_stores_probabilities_and_design_weights(open_wave: OpenWave) -> None:
    """Sampled cases carry stratum, inclusion probability and 1/p design weight."""
    store = open_wave.store
    cases = store.cases(open_wave.wave_id)
    assert [c.siren for c in cases] == [u["siren"] for u in FRAME]
    assert [c.design_weight for c in cases] == [10.0, 4.0, 1.0]
    assert cases[0].stratum == "20-49|services"
    assert store.case_by_siren(open_wave.wave_id, "552100554") == cases[1]
    table = store.sample_table(open_wave.wave_id)
    assert table.height == 3
    assert table.schema["design_weight"] == pl.Float64
    assert "email" not in table.columns


def test_case_ids_are_pseudonymous(open_wave: OpenWave) -> None:
    """Case ids do not contain the SIREN."""
    for case in open_wave.store.cases(open_wave.wave_id):
        assert case.siren not in case.case_id


def test_sample_refuses_units_outside_the_frame(store: Store) -> None:
    """A sampled SIREN missing from the frame, or a probability outside (0, 1], is refused."""
    wave = store.create_wave("2026")
    store.add_frame_units(wave.id, FRAME)
    with pytest.raises(InputError, match="999999999"):
        store.add_sample(
            wave.id, [{"siren": "999999999", "stratum": "s", "inclusion_probability": 0.5}]
        )
    with pytest.raises(InputError, match="probability"):
        store.add_sample(
            wave.id, [{"siren": "732829320", "stratum": "s", "inclusion_probability": 0}]
        )
    assert store.cases(wave.id) == ()


def test_contacts_and_mailing_list(open_wave: OpenWave) -> None:
    """A case's contact is readable; the mailing list joins contacts and short codes."""
    store = open_wave.store
    contact = store.contact(open_wave.wave_id, open_wave.case_ids[0])
    assert contact is not None
    assert (contact.email, contact.city) == ("dirigeant@alpha.example", "Lyon")
    assert store.contact(open_wave.wave_id, open_wave.case_ids[2]) is None
    mailing = store.mailing_list(open_wave.wave_id)
    assert mailing["short_code"].to_list() == ["ABCD-EF0", "ABCD-EF1", "ABCD-EF2"]
    assert mailing["email"].to_list()[:2] == ["dirigeant@alpha.example", "contact@beta.example"]


def test_large_batches_keep_contacts_with_their_company(store: Store) -> None:
    """Batches larger than SQLite's parameter cap still attach each contact to its company."""
    wave = store.create_wave("2026")
    units = [
        {"siren": f"{100_000_000 + i:09d}", "email": f"c{i}@example.org"} for i in range(12_000)
    ]
    assert store.add_frame_units(wave.id, units, batch_size=12_000) == 12_000
    store.add_sample(
        wave.id, [{"siren": "100011999", "stratum": "s", "inclusion_probability": 0.5}]
    )
    contact = store.contact(wave.id, store.cases(wave.id)[0].case_id)
    assert contact is not None and contact.email == "c11999@example.org"
