"""AAPOR outcome rates (Standard Definitions): RR1-RR6, COOP1-4, REF1-3, CON1-3.

The formulas, with I complete, P partial, R refusal and break-off, NC non-contact,
O other, UH and UO unknown eligibility, e the estimated share of eligible cases among
those of unknown eligibility:

    RR1 = I / ((I+P) + (R+NC+O) + (UH+UO))        RR2 = (I+P) / (same)
    RR3 = I / ((I+P) + (R+NC+O) + e(UH+UO))       RR4 = (I+P) / (same)
    RR5 = I / ((I+P) + (R+NC+O))                  RR6 = (I+P) / (same)
    COOP1 = I / ((I+P) + R + O)    COOP2 = (I+P) / ((I+P) + R + O)
    COOP3 = I / ((I+P) + R)        COOP4 = (I+P) / ((I+P) + R)
    REF1 = R / ((I+P) + (R+NC+O) + (UH+UO))
    REF2 = R / ((I+P) + (R+NC+O) + e(UH+UO))
    REF3 = R / ((I+P) + (R+NC+O))
    CON1 = ((I+P) + R + O) / ((I+P) + R + O + NC + (UH+UO))
    CON2 = ((I+P) + R + O) / ((I+P) + R + O + NC + e(UH+UO))
    CON3 = ((I+P) + R + O) / ((I+P) + R + O + NC)

A rate whose denominator is zero is None (undefined), never 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from barometre.campaign.dispositions import Outcome, disposition
from barometre.questionnaire.order import stratum_key

E_KNOWN_ELIGIBILITY = "proportion eligible among cases of known eligibility"


@dataclass(frozen=True, slots=True)
class OutcomeCounts:
    """Cases per AAPOR outcome group."""

    complete: int = 0
    partial: int = 0
    refusal: int = 0
    non_contact: int = 0
    other: int = 0
    unknown_household: int = 0
    unknown_other: int = 0
    not_eligible: int = 0

    @classmethod
    def from_codes(cls, codes: Iterable[str]) -> OutcomeCounts:
        """Count final disposition codes by outcome group."""
        tally = Counter(disposition(code).outcome for code in codes)
        return cls(
            complete=tally[Outcome.COMPLETE],
            partial=tally[Outcome.PARTIAL],
            refusal=tally[Outcome.REFUSAL],
            non_contact=tally[Outcome.NON_CONTACT],
            other=tally[Outcome.OTHER],
            unknown_household=tally[Outcome.UNKNOWN_HOUSEHOLD],
            unknown_other=tally[Outcome.UNKNOWN_OTHER],
            not_eligible=tally[Outcome.NOT_ELIGIBLE],
        )

    @property
    def total(self) -> int:
        """All cases."""
        return (
            self.complete
            + self.partial
            + self.refusal
            + self.non_contact
            + self.other
            + self.unknown_household
            + self.unknown_other
            + self.not_eligible
        )


@dataclass(frozen=True, slots=True)
class OutcomeRates:
    """AAPOR rates for one group of cases, with the e used and how it was obtained."""

    counts: OutcomeCounts
    e: float
    e_method: str
    rr1: float | None
    rr2: float | None
    rr3: float | None
    rr4: float | None
    rr5: float | None
    rr6: float | None
    coop1: float | None
    coop2: float | None
    coop3: float | None
    coop4: float | None
    ref1: float | None
    ref2: float | None
    ref3: float | None
    con1: float | None
    con2: float | None
    con3: float | None


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def estimate_e(counts: OutcomeCounts) -> float:
    """(I+P+R+NC+O) / (I+P+R+NC+O+NE); 1 when no case has a known eligibility (conservative)."""
    eligible = counts.complete + counts.partial + counts.refusal + counts.non_contact + counts.other
    known = eligible + counts.not_eligible
    return eligible / known if known else 1.0


def outcome_rates(counts: OutcomeCounts, e: float | None = None) -> OutcomeRates:
    """All AAPOR rates of `counts`; `e` defaults to `estimate_e(counts)`."""
    if e is None:
        e_value, method = estimate_e(counts), E_KNOWN_ELIGIBILITY
    else:
        if not 0 <= e <= 1:
            raise ValueError(f"e must lie in [0, 1], got {e}")
        e_value, method = float(e), "given"
    i, p, r = counts.complete, counts.partial, counts.refusal
    nc, o = counts.non_contact, counts.other
    unknown = counts.unknown_household + counts.unknown_other
    interviews = i + p
    eligible_non = r + nc + o
    base_all = interviews + eligible_non + unknown
    base_e = interviews + eligible_non + e_value * unknown
    base_known = interviews + eligible_non
    contacted = interviews + r + o
    return OutcomeRates(
        counts=counts,
        e=e_value,
        e_method=method,
        rr1=_ratio(i, base_all),
        rr2=_ratio(interviews, base_all),
        rr3=_ratio(i, base_e),
        rr4=_ratio(interviews, base_e),
        rr5=_ratio(i, base_known),
        rr6=_ratio(interviews, base_known),
        coop1=_ratio(i, interviews + r + o),
        coop2=_ratio(interviews, interviews + r + o),
        coop3=_ratio(i, interviews + r),
        coop4=_ratio(interviews, interviews + r),
        ref1=_ratio(r, base_all),
        ref2=_ratio(r, base_e),
        ref3=_ratio(r, base_known),
        con1=_ratio(contacted, contacted + nc + unknown),
        con2=_ratio(contacted, contacted + nc + e_value * unknown),
        con3=_ratio(contacted, contacted + nc),
    )


@dataclass(frozen=True, slots=True)
class StratumRates:
    """AAPOR rates of one stratum."""

    stratum: str
    rates: OutcomeRates


@dataclass(frozen=True, slots=True)
class CampaignRates:
    """Rates overall and per stratum (e estimated within each, unless given)."""

    overall: OutcomeRates
    strata: tuple[StratumRates, ...]


def campaign_rates(
    final_codes: Mapping[str, str],
    stratum_of: Mapping[str, str],
    e: float | None = None,
    questionnaire: Any = None,
) -> CampaignRates:
    """Rates from the final code of every case and its stratum.

    Strata come in their natural order: size bands 0-9, 10-19, ..., 250+ (not as text), then
    sectors in the `questionnaire`'s order when it is given.
    """
    by_stratum: dict[str, list[str]] = {}
    for case, code in final_codes.items():
        by_stratum.setdefault(stratum_of[case], []).append(code)
    overall = outcome_rates(OutcomeCounts.from_codes(final_codes.values()), e)
    key = stratum_key(questionnaire)
    strata = tuple(
        StratumRates(h, outcome_rates(OutcomeCounts.from_codes(by_stratum[h]), e))
        for h in sorted(by_stratum, key=key)
    )
    return CampaignRates(overall=overall, strata=strata)
