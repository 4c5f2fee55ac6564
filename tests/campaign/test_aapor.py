"""AAPOR dispositions and outcome rates, checked against hand-computed cases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from barometre.campaign.aapor import (
    E_KNOWN_ELIGIBILITY,
    OutcomeCounts,
    campaign_rates,
    outcome_rates,
)
from barometre.campaign.dispositions import (
    DispositionEvent,
    UnknownDisposition,
    final_disposition,
    final_dispositions,
)

T0 = datetime(2026, 3, 1, 9, 0)

# I=40, P=10, R=20, NC=10, O=5, UH=12, UO=3, NE=15 (115 cases).
CASE = OutcomeCounts(
    complete=40,
    partial=10,
    refusal=20,
    non_contact=10,
    other=5,
    unknown_household=12,
    unknown_other=3,
    not_eligible=15,
)


def test_rates_of_a_hand_computed_case() -> None:
    """Every rate matches the Standard Definitions formula worked by hand."""
    r = outcome_rates(CASE)
    # e = (40+10+20+10+5) / (85 + 15 NE) = 85/100
    assert r.e == pytest.approx(0.85)
    assert r.e_method == E_KNOWN_ELIGIBILITY
    # (I+P)+(R+NC+O)+(UH+UO) = 50 + 35 + 15 = 100
    assert r.rr1 == pytest.approx(40 / 100)
    assert r.rr2 == pytest.approx(50 / 100)
    # with e: 50 + 35 + 0.85 * 15 = 97.75
    assert r.rr3 == pytest.approx(40 / 97.75)  # 0.40921
    assert r.rr4 == pytest.approx(50 / 97.75)  # 0.51151
    # known eligible only: 50 + 35 = 85
    assert r.rr5 == pytest.approx(40 / 85)  # 0.47059
    assert r.rr6 == pytest.approx(50 / 85)  # 0.58824
    # COOP1,2 over (I+P)+R+O = 75; COOP3,4 over (I+P)+R = 70
    assert r.coop1 == pytest.approx(40 / 75)
    assert r.coop2 == pytest.approx(50 / 75)
    assert r.coop3 == pytest.approx(40 / 70)
    assert r.coop4 == pytest.approx(50 / 70)
    assert r.ref1 == pytest.approx(20 / 100)
    assert r.ref2 == pytest.approx(20 / 97.75)
    assert r.ref3 == pytest.approx(20 / 85)
    # contacted (I+P)+R+O = 75; CON1 adds NC and all unknowns, CON2 e of them, CON3 none
    assert r.con1 == pytest.approx(75 / (75 + 10 + 15))
    assert r.con2 == pytest.approx(75 / (75 + 10 + 12.75))
    assert r.con3 == pytest.approx(75 / 85)


def test_given_e_is_used_and_stated() -> None:
    """A given e = 0.5 replaces the estimate: RR3 = 40 / (85 + 7.5)."""
    r = outcome_rates(CASE, e=0.5)
    assert (r.e, r.e_method) == (0.5, "given")
    assert r.rr3 == pytest.approx(40 / 92.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        outcome_rates(CASE, e=1.5)


def test_undefined_rates_are_none() -> None:
    """With only unknown-eligibility cases: RR1 = 0/10, RR5 and COOP undefined, e = 1."""
    r = outcome_rates(OutcomeCounts(unknown_household=10))
    assert r.rr1 == 0.0
    assert r.rr5 is None
    assert r.coop1 is None
    assert r.e == 1.0


def test_rates_per_stratum() -> None:
    """Stratum a: 1 complete of 2 (RR1 = 1/2); b: 1 refusal, 1 closed (e = 1/2, RR3 = 0)."""
    codes = {"c1": "1.1", "c2": "3.19", "c3": "2.11", "c4": "4.50"}
    strata = {"c1": "a", "c2": "a", "c3": "b", "c4": "b"}
    rates = campaign_rates(codes, strata)
    a, b = rates.strata
    assert (a.stratum, a.rates.rr1) == ("a", 0.5)
    assert b.rates.e == 0.5
    assert b.rates.rr3 == 0.0
    assert b.rates.ref3 == 1.0
    # overall: I=1, R=1, UH=1, NE=1 -> e = 2/3, RR3 = 1 / (2 + 2/3) = 0.375
    assert rates.overall.rr3 == pytest.approx(0.375)


def test_final_disposition_takes_the_strongest_evidence() -> None:
    """A complete beats a later bounce; a later partial-to-complete wins; no event gives 3.19."""
    events = [
        DispositionEvent("c1", "1.2", T0, "web"),
        DispositionEvent("c1", "1.1", T0 + timedelta(days=1), "web"),
        DispositionEvent("c1", "3.32", T0 + timedelta(days=7), "smtp"),
        DispositionEvent("c2", "3.31", T0, "post"),
        DispositionEvent("c2", "4.50", T0 + timedelta(days=2), "team"),
        DispositionEvent("c3", "2.20", T0, "team"),
        DispositionEvent("c3", "2.26", T0 + timedelta(days=1), "team"),
    ]
    finals = final_dispositions(["c1", "c2", "c3", "c4"], events)
    assert finals == {"c1": "1.1", "c2": "4.50", "c3": "2.26", "c4": "3.19"}
    assert final_disposition([]) == "3.19"


def test_unknown_codes_are_rejected() -> None:
    """An event with a code outside the catalogue raises UnknownDisposition."""
    with pytest.raises(UnknownDisposition, match=r"9\.99"):
        DispositionEvent("c1", "9.99", T0)
