"""The fieldwork figures of the team dashboard, read in a few bulk queries.

Final dispositions and AAPOR rates are the campaign's own (`final_codes`, which reads the
whole wave's history in one query, and `campaign_rates`); returns per day and opt-outs are
read here, read-only, from the store's tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from barometre.campaign.aapor import CampaignRates, campaign_rates
from barometre.campaign.dispositions import CATALOGUE
from barometre.campaign.storage import final_codes
from barometre.store import Store
from barometre.store import schema as t


@dataclass(frozen=True)
class DayReturns:
    """Questionnaires started and completed on one day."""

    day: date
    started: int
    completed: int


@dataclass(frozen=True)
class DispositionCount:
    """How many cases end with one AAPOR disposition."""

    code: str
    label_fr: str
    label_en: str
    n: int


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


def fieldwork(store: Store, wave_id: int) -> Fieldwork:
    """Returns per day, final dispositions and AAPOR rates of a wave."""
    s, r, i = t.samples.c, t.responses.c, t.invitations.c
    finals = final_codes(store, wave_id)
    with store.engine.connect() as conn:
        strata: dict[str, str] = dict(
            conn.execute(sa.select(s.case_id, s.stratum).where(s.wave_id == wave_id)).all()
        )
        stamps = conn.execute(
            sa.select(r.status, r.started_at, r.submitted_at).where(r.wave_id == wave_id)
        ).all()
        opted_out = conn.execute(
            sa.select(sa.func.count())
            .select_from(t.invitations)
            .where(i.wave_id == wave_id, i.opted_out_at.is_not(None))
        ).scalar_one()
    started: Counter[date] = Counter(row.started_at.date() for row in stamps)
    completed: Counter[date] = Counter(
        row.submitted_at.date() for row in stamps if row.submitted_at is not None
    )
    per_day = tuple(
        DayReturns(day, started[day], completed[day])
        for day in sorted(set(started) | set(completed))
    )
    tally = Counter(finals.values())
    dispositions = tuple(
        DispositionCount(code, CATALOGUE[code].label_fr, CATALOGUE[code].label_en, n)
        for code, n in sorted(tally.items())
    )
    status = Counter(row.status for row in stamps)
    return Fieldwork(
        cases=len(strata),
        complete=status["complete"],
        partial=status["partial"],
        opted_out=int(opted_out),
        per_day=per_day,
        dispositions=dispositions,
        rates=campaign_rates(finals, strata) if strata else None,
    )
