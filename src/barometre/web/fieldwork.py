"""The fieldwork figures of the team dashboard, read in a few bulk queries.

Final dispositions and AAPOR rates are the campaign's own (`final_codes`, which reads the
whole wave's history in one query, and `campaign_rates`); returns, sends and reminders per
day, bounces, opt-outs and the representativity of the returns are read here, read-only,
from the store's tables.

The store keeps the date of an invitation's first send and of its latest reminder (with the
number of reminders): a firm reminded twice shows on the day of its second reminder only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from barometre.campaign.aapor import CampaignRates, campaign_rates
from barometre.campaign.dispositions import CATALOGUE
from barometre.campaign.fieldwork import BOUNCE_CODE
from barometre.campaign.storage import final_codes
from barometre.store import Store
from barometre.store import schema as t

TARGET_COMPLETES = 30
"""Completes a stratum aims at: the fewest respondents a peer group of the self-diagnostic
needs to be shown (`barometre.diagnostic.DEFAULT_MIN_N`); strata are the size band x
sector cells the diagnostic compares firms with."""

PROFILE_VARIABLES = ("size_band", "sector", "region")


@dataclass(frozen=True)
class DayReturns:
    """One fieldwork day: questionnaires started and completed, invitations and reminders sent."""

    day: date
    started: int
    completed: int
    sent: int = 0
    reminded: int = 0


@dataclass(frozen=True)
class DispositionCount:
    """How many cases end with one AAPOR disposition."""

    code: str
    label_fr: str
    label_en: str
    n: int


@dataclass(frozen=True)
class StratumProgress:
    """One stratum's returns against its target."""

    stratum: str
    sampled: int
    complete: int
    rate: float | None
    """AAPOR RR1 of the stratum so far."""
    target: float
    """The response rate that gives the stratum `TARGET_COMPLETES` completes (at most 1)."""


@dataclass(frozen=True)
class ShareGap:
    """One category's share among the sampled firms (the frame) and among the respondents.

    Both shares are design-weighted, so that the first estimates the frame's share and the
    gap shows which firms answer less, before any non-response weighting.
    """

    variable: str
    category: str
    frame: float
    respondents: float | None


@dataclass(frozen=True)
class Fieldwork:
    """A wave's fieldwork at a glance."""

    cases: int
    complete: int
    partial: int
    opted_out: int
    per_day: tuple[DayReturns, ...]
    dispositions: tuple[DispositionCount, ...]
    rates: CampaignRates | None
    invitations: int = 0
    sent: int = 0
    reminders: int = 0
    bounces: int = 0
    strata: tuple[StratumProgress, ...] = ()
    representativity: tuple[ShareGap, ...] = ()

    @property
    def known_eligibility(self) -> bool:
        """Whether any case has a known eligibility (else AAPOR's e is not estimated)."""
        if self.rates is None:
            return False
        c = self.rates.overall.counts
        return c.complete + c.partial + c.refusal + c.non_contact + c.other + c.not_eligible > 0


def fieldwork(store: Store, wave_id: int) -> Fieldwork:
    """Returns, sends and reminders per day, dispositions, rates and representativity."""
    s, r, i, d, u = t.samples.c, t.responses.c, t.invitations.c, t.dispositions.c, t.frame_units.c
    finals = final_codes(store, wave_id)
    with store.engine.connect() as conn:
        sampled = conn.execute(
            sa.select(s.case_id, s.stratum, s.design_weight, u.size_band, u.sector, u.region)
            .join(t.frame_units, u.id == s.unit_id)
            .where(s.wave_id == wave_id)
        ).all()
        stamps = conn.execute(
            sa.select(s.case_id, r.status, r.started_at, r.submitted_at)
            .join(t.samples, s.id == r.sample_id)
            .where(r.wave_id == wave_id)
        ).all()
        invitations = conn.execute(
            sa.select(i.sent_at, i.reminded_at, i.reminder_count, i.opted_out_at).where(
                i.wave_id == wave_id
            )
        ).all()
        bounces = conn.execute(
            sa.select(sa.func.count(sa.distinct(d.sample_id))).where(
                d.wave_id == wave_id, d.code == BOUNCE_CODE
            )
        ).scalar_one()
    strata = {row.case_id: row.stratum for row in sampled}
    complete_cases = {row.case_id for row in stamps if row.status == "complete"}
    status = Counter(row.status for row in stamps)
    tally = Counter(finals.values())
    rates = campaign_rates(finals, strata) if strata else None
    return Fieldwork(
        cases=len(strata),
        complete=status["complete"],
        partial=status["partial"],
        opted_out=sum(1 for row in invitations if row.opted_out_at is not None),
        per_day=_per_day(stamps, invitations),
        dispositions=tuple(
            DispositionCount(code, CATALOGUE[code].label_fr, CATALOGUE[code].label_en, n)
            for code, n in sorted(tally.items())
        ),
        rates=rates,
        invitations=len(invitations),
        sent=sum(1 for row in invitations if row.sent_at is not None),
        reminders=sum(int(row.reminder_count or 0) for row in invitations),
        bounces=int(bounces),
        strata=_strata(strata, complete_cases, rates),
        representativity=_representativity(sampled, complete_cases),
    )


def _per_day(stamps: Sequence[Any], invitations: Sequence[Any]) -> tuple[DayReturns, ...]:
    started = Counter(row.started_at.date() for row in stamps)
    completed = Counter(row.submitted_at.date() for row in stamps if row.submitted_at)
    sent = Counter(row.sent_at.date() for row in invitations if row.sent_at)
    reminded = Counter(row.reminded_at.date() for row in invitations if row.reminded_at)
    days = sorted(set(started) | set(completed) | set(sent) | set(reminded))
    return tuple(
        DayReturns(day, started[day], completed[day], sent[day], reminded[day]) for day in days
    )


def _strata(
    strata: dict[str, str], complete: set[str], rates: CampaignRates | None
) -> tuple[StratumProgress, ...]:
    sampled = Counter(strata.values())
    done = Counter(strata[c] for c in complete if c in strata)
    rr1 = {x.stratum: x.rates.rr1 for x in rates.strata} if rates else {}
    return tuple(
        StratumProgress(h, n, done[h], rr1.get(h), min(1.0, TARGET_COMPLETES / n))
        for h, n in sorted(sampled.items())
    )


def _representativity(sampled: Sequence[Any], complete: set[str]) -> tuple[ShareGap, ...]:
    out: list[ShareGap] = []
    for variable in PROFILE_VARIABLES:
        frame: defaultdict[str, float] = defaultdict(float)
        answered: defaultdict[str, float] = defaultdict(float)
        for row in sampled:
            category = getattr(row, variable)
            if category is None:
                continue
            frame[category] += row.design_weight
            if row.case_id in complete:
                answered[category] += row.design_weight
        frame_total, answered_total = sum(frame.values()), sum(answered.values())
        for category in sorted(frame):
            out.append(
                ShareGap(
                    variable,
                    category,
                    frame[category] / frame_total,
                    answered[category] / answered_total if answered_total else None,
                )
            )
    return tuple(out)
