"""GDPR: erasing a company removes its contact data and answers, logs it, keeps the rates."""

from __future__ import annotations

import pytest

from barometre.store import NotFoundError, WaveStatusError

from .conftest import COMPLETE_ANSWERS, FRAME, OpenWave


def test_erase_company_removes_contacts_and_answers(open_wave: OpenWave) -> None:
    """Contacts, the response and its answers go; the case stays with its disposition codes."""
    store, wave_id, case = open_wave.store, open_wave.wave_id, open_wave.case_ids[0]
    store.save_response(wave_id, case, COMPLETE_ANSWERS, "complete")
    store.record_disposition(wave_id, case, "1.1", "Mme Dupont a rappelé", recorded_by="paul")
    (entry,) = store.erase_company(FRAME[0]["siren"], requested_by="dpo", reason="art. 17")
    assert (entry.wave_id, entry.case_id, entry.kind) == (wave_id, case, "erasure")
    assert (entry.contacts_removed, entry.answers_removed) == (1, len(COMPLETE_ANSWERS))
    assert store.contact(wave_id, case) is None
    assert store.response(wave_id, case) is None
    assert store.wave_dataset(wave_id).height == 0
    history = store.disposition_history(wave_id, case)
    assert [d.code for d in history] == ["1.1", "1.1"]
    assert all(d.note is None for d in history)
    invitation = store.invitation(wave_id, case)
    assert invitation is not None and invitation.opted_out
    assert store.erasures() == (entry,)


def test_erase_leaves_other_companies_alone(open_wave: OpenWave) -> None:
    """Erasing one company changes nothing for another."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    store.save_response(wave_id, cases[1], COMPLETE_ANSWERS, "complete")
    before = (store.response(wave_id, cases[1]), store.contact(wave_id, cases[1]))
    store.erase_company(FRAME[0]["siren"], requested_by="dpo")
    assert (store.response(wave_id, cases[1]), store.contact(wave_id, cases[1])) == before


def test_erase_unknown_company_is_an_error(open_wave: OpenWave) -> None:
    """A SIREN in no frame is reported, and nothing is logged."""
    with pytest.raises(NotFoundError, match="999999999"):
        open_wave.store.erase_company("999999999", requested_by="dpo")
    assert open_wave.store.erasures() == ()


def test_purge_contacts_of_a_closed_wave(open_wave: OpenWave) -> None:
    """Contacts of a wave can be purged once it is closed, keeping answers; it is logged."""
    store, wave_id, cases = open_wave.store, open_wave.wave_id, open_wave.case_ids
    store.save_response(wave_id, cases[0], COMPLETE_ANSWERS, "complete")
    with pytest.raises(WaveStatusError):
        store.purge_contacts(wave_id, requested_by="dpo")
    store.set_wave_status(wave_id, "closed")
    entry = store.purge_contacts(wave_id, requested_by="dpo", reason="end of fieldwork")
    assert (entry.kind, entry.contacts_removed, entry.answers_removed) == ("purge", 2, 0)
    assert all(store.contact(wave_id, c) is None for c in cases)
    assert store.mailing_list(wave_id)["email"].null_count() == 3
    assert store.response(wave_id, cases[0]) is not None
    assert store.erasures() == (entry,)
