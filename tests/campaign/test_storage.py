"""The campaign's store adapter on SQLite and PostgreSQL: sample, codes, final dispositions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from barometre.campaign.codes import is_valid_short_code
from barometre.campaign.sampling import SampleDesign, draw_sample
from barometre.campaign.storage import (
    final_codes,
    issue_wave_codes,
    letter_address,
    read_codes,
    store_frame_and_sample,
    wave_rates,
    write_codes,
)
from barometre.store import open_store

from .sirene_files import luhn_siren


def _frame(n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "siren": [luhn_siren(5000 + i) for i in range(n)],
            "name": [f"SOCIETE {i}" for i in range(n)],
            "naf": ["62.01Z"] * n,
            "sector": ["services"] * n,
            "headcount_code": ["12"] * n,
            "size_band": ["20-49" if i % 2 else "10-19" for i in range(n)],
            "category": ["PME"] * n,
            "street": ["1 RUE DE LA PAIX"] * n,
            "postcode": ["69002"] * n,
            "city": ["LYON"] * n,
            "region": ["84"] * n,
        }
    )


def test_sample_codes_and_final_dispositions(database_url: str, tmp_path: Path) -> None:
    """Stored sample matches the draw; codes round-trip; finals follow the precedence rule."""
    frame = _frame(40)
    sample = draw_sample(frame, SampleDesign(n=10, seed=3))
    with open_store(database_url) as store:
        wave_id = store.create_wave("w", "bpi2018").id
        assert store_frame_and_sample(store, wave_id, frame, sample) == 10
        assert store.frame_size(wave_id) == 40
        stored = store.sample_table(wave_id)
        assert sorted(stored["siren"]) == sorted(sample.units["siren"])
        codes = issue_wave_codes(store, wave_id)
        assert len(codes) == 10 and all(is_valid_short_code(c.short_code) for c in codes)
        assert issue_wave_codes(store, wave_id) == []  # nobody gets a second code
        path = tmp_path / "codes.csv"
        write_codes(path, codes)
        assert read_codes(path) == {c.case_id: c for c in codes}
        assert path.stat().st_mode & 0o077 == 0

        cases = sorted(c.case_id for c in codes)
        t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
        store.record_disposition(wave_id, cases[0], "3.32", at=t0)
        store.record_disposition(wave_id, cases[0], "4.50", at=t0 + timedelta(days=1))
        store.record_disposition(wave_id, cases[0], "3.31", at=t0 + timedelta(days=2))
        store.record_disposition(wave_id, cases[1], "2.11", at=t0)
        finals = final_codes(store, wave_id)
        rates = wave_rates(store, wave_id)
    # case 0: closed (4.50) outranks the later returned letter; case 1 refused; 8 silent
    assert finals[cases[0]] == "4.50"
    assert finals[cases[1]] == "2.11"
    assert sorted(finals.values()).count("3.19") == 8
    # R = 1, NE = 1, UH = 8: e = 1/2, RR3 = 0, REF3 = 1/1
    assert rates.overall.e == pytest.approx(0.5)
    assert rates.overall.ref3 == pytest.approx(1.0)
    assert {s.stratum for s in rates.strata} == set(stored["stratum"])


def test_letter_address_is_in_la_poste_order() -> None:
    """A stored address prints name, complement, street, special delivery, postcode and city."""
    lines = letter_address("Alpha SA", "Bât. B\n1 rue A\nBP 12", "69001", "Lyon")
    assert lines == ("Alpha SA", "Bât. B", "1 rue A", "BP 12", "69001 Lyon")
    assert letter_address("Beta", None, "75001", None) == ("Beta", "75001")
