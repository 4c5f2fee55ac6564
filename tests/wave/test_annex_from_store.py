"""The methodology annex of a stored wave comes from the store: sample, fieldwork, modes, rates."""

from __future__ import annotations

import pytest

from barometre.report.methodology import Methodology
from barometre.store import open_store
from barometre.wave import FRAME_EVENT, frame_event_detail, methodology_from_store
from barometre.web.testing import COMPLETE, open_wave_with_invitations


@pytest.fixture
def store(database_url: str):  # type: ignore[no-untyped-def]  # the fixture yields a Store
    s = open_store(database_url)
    yield s
    s.close()


def test_every_fact_the_store_knows_is_filled(store) -> None:  # type: ignore[no-untyped-def]
    """Frame, population and draws per stratum, design, dates, modes, rates and weighting."""
    wave, _ = open_wave_with_invitations(store, "2026", 40, seed=3)
    store.log_campaign_event(
        wave.id,
        FRAME_EVENT,
        detail=frame_event_detail(
            "StockUniteLegale_utf8.zip", extracted="2026-11-01", units=400, filters=("PME, ETI",)
        ),
    )
    answers = {**COMPLETE, "headcount": 14}  # stored answers are typed (the web form sends text)
    cases = store.cases(wave.id)
    store.mark_sent(wave.id, [c.case_id for c in cases[:30]])
    for case in cases[:6]:
        store.save_response(wave.id, case.case_id, answers, "complete", "web")
    for case in cases[6:8]:
        store.save_response(wave.id, case.case_id, answers, "complete", "paper")
    store.store_weights(wave.id, {c.case_id: 10.0 for c in cases[:8]}, method="raking test")

    meta = methodology_from_store(store, wave.id, "fr")

    # Every case has inclusion probability 0.1: each stratum's population is 10 x its draws.
    assert meta.sample_size == 40 and meta.frame_size == 400
    assert {a.population for a in meta.allocation} == {10 * a.sampled for a in meta.allocation}
    assert sum(a.sampled for a in meta.allocation) == 40
    assert "proportionnelle" in meta.sample_design and "taille x secteur" in meta.sample_design
    assert "StockUniteLegale_utf8.zip" in meta.frame and "2026-11-01" in meta.frame
    assert meta.fieldwork_start and meta.fieldwork_end
    assert "web\u00a0: 6" in meta.modes and "papier\u00a0: 2" in meta.modes
    assert "e-mail (30)" in meta.modes
    rates = {r.name: r.value for r in meta.response_rates}
    assert rates["RR1"] == pytest.approx(8 / 40)
    assert meta.weighting == "raking test"


def test_a_methodology_file_adds_what_the_store_cannot_know(store) -> None:  # type: ignore[no-untyped-def]
    """Fields of the methodology file win; the store's facts fill everything else."""
    wave, _ = open_wave_with_invitations(store, "2027", 12, seed=4)
    given = Methodology(frame="Fichier consulaire de la CCI, 2026.")
    meta = methodology_from_store(store, wave.id, "fr", given)
    assert meta.frame == "Fichier consulaire de la CCI, 2026."
    assert meta.sample_size == 12 and meta.allocation


def test_english_annex_reads_english(store) -> None:  # type: ignore[no-untyped-def]
    """The English annex says "proportional allocation", with English punctuation."""
    wave, _ = open_wave_with_invitations(store, "2028", 12, seed=5)
    meta = methodology_from_store(store, wave.id, "en")
    assert "proportional allocation" in meta.sample_design
    assert "\u00a0" not in meta.sample_design


def test_the_weighting_is_described_from_its_stored_spec() -> None:
    """Margins by name, bounds with a decimal comma, merged cells: the reader's words, in French."""
    from barometre.wave import CELL, REGION_GROUP, WeightingSpec
    from barometre.wave._annex import describe_weighting

    spec = WeightingSpec(
        margins={CELL: {"0-9|btp": 60.0, "0-9|services": 40.0}, REGION_GROUP: {"11": 100.0}},
        cell_map={"0-9|btp": "0-9|btp", "0-9|commerce": "0-9|services"},
        region_map={},
        level_maps={},
        bounds=(0.25, 4.0),
        method="raking",
        stratum_population={},
        population=100.0,
    )
    fr = describe_weighting(spec, "fr")
    assert "cellules taille x secteur" in fr and "régions" in fr
    assert "[0,25\u00a0; 4]" in fr and "0-9|commerce → 0-9|services" in fr
    en = describe_weighting(spec, "en")
    assert "[0.25, 4]" in en and "Merged cells" in en


def test_fieldwork_counts_counts_what_the_rows_say(store) -> None:  # type: ignore[no-untyped-def]
    """The store's fieldwork aggregates equal those counted from every invitation and response."""
    wave, _ = open_wave_with_invitations(store, "2027", 30, seed=5)
    cases = store.cases(wave.id)
    store.mark_sent(wave.id, [c.case_id for c in cases[:20]])
    store.mark_reminded(wave.id, [c.case_id for c in cases[:4]])
    for case, source in zip(cases[:5], ("web", "web", "paper", "web", "paper"), strict=True):
        store.save_response(
            wave.id, case.case_id, {**COMPLETE, "headcount": 14}, "complete", source
        )
    store.save_response(wave.id, cases[5].case_id, {"headcount": 3}, "partial", "web")

    summary = store.fieldwork_counts(wave.id)
    invitations, responses = store.invitations(wave.id), store.responses(wave.id)
    assert summary.invited == len(invitations) == 30
    assert summary.emailed == sum(i.sent_at is not None for i in invitations) == 20
    assert summary.reminded == sum(bool(i.reminder_count) for i in invitations) == 4
    assert summary.first_sent == min(i.sent_at for i in invitations if i.sent_at)
    assert summary.first_started == min(r.started_at for r in responses)
    assert summary.last_submitted == max(r.submitted_at for r in responses if r.submitted_at)
    assert dict(summary.complete_by_source) == {"paper": 2, "web": 3}
