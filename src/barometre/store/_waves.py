"""Waves: create one per campaign, move it through draft, open, closed, published."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._types import utcnow
from barometre.store.errors import DuplicateError, InputError, NotFoundError
from barometre.store.records import Wave, WaveStatus


def wave_from_row(row: Any) -> Wave:
    """A `Wave` record from a `waves` row."""
    return Wave(
        id=row.id,
        name=row.name,
        questionnaire_id=row.questionnaire_id,
        questionnaire_version=row.questionnaire_version,
        frame_description=row.frame_description,
        opens_on=row.opens_on,
        closes_on=row.closes_on,
        status=row.status,
        created_at=row.created_at,
        published_at=row.published_at,
    )


class WaveRepository(StoreBase):
    """Waves of the barometer."""

    def register_questionnaire(self, questionnaire: Any) -> None:
        """Make a questionnaire that is not built in (e.g. from XLSForm) usable by waves."""
        self._catalog.register(questionnaire)

    def questionnaire_of(self, wave_id: int) -> Any:
        """The questionnaire (id and version) a wave collects answers to."""
        wave = self.wave(wave_id)
        return self._catalog.get(wave.questionnaire_id, wave.questionnaire_version)

    def create_wave(
        self,
        name: str,
        questionnaire_id: str = "bpi2018",
        questionnaire_version: str | None = None,
        *,
        frame_description: str = "",
        opens_on: date | None = None,
        closes_on: date | None = None,
    ) -> Wave:
        """A new draft wave; the questionnaire must be known (built in or registered)."""
        if not name.strip():
            raise InputError("a wave needs a non-empty name")
        if opens_on and closes_on and closes_on < opens_on:
            raise InputError(f"wave {name!r}: closes on {closes_on} before it opens ({opens_on})")
        questionnaire = self._catalog.get(questionnaire_id, questionnaire_version)
        values = {
            "name": name.strip(),
            "questionnaire_id": str(questionnaire.id),
            "questionnaire_version": str(questionnaire.version),
            "frame_description": frame_description,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "status": "draft",
            "created_at": utcnow(),
        }
        try:
            with self._write() as conn:
                wave_id = conn.execute(
                    sa.insert(t.waves).values(**values).returning(t.waves.c.id)
                ).scalar_one()
        except sa.exc.IntegrityError as exc:
            raise DuplicateError(f"a wave named {name!r} already exists") from exc
        return self.wave(wave_id)

    def wave(self, wave_id: int) -> Wave:
        """The wave with this id."""
        with self._read() as conn:
            return wave_from_row(self._wave_row(conn, wave_id))

    def wave_by_name(self, name: str) -> Wave:
        """The wave with this name."""
        with self._read() as conn:
            row = conn.execute(sa.select(t.waves).where(t.waves.c.name == name)).first()
        if row is None:
            raise NotFoundError(f"no wave named {name!r}")
        return wave_from_row(row)

    def waves(self) -> tuple[Wave, ...]:
        """Every wave, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.waves).order_by(t.waves.c.id)).all()
        return tuple(wave_from_row(r) for r in rows)

    def latest_published_wave(self) -> Wave | None:
        """The most recently published wave (what the self-diagnostic benchmarks against)."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(t.waves)
                .where(t.waves.c.status == "published")
                .order_by(t.waves.c.published_at.desc(), t.waves.c.id.desc())
                .limit(1)
            ).first()
        return None if row is None else wave_from_row(row)

    def set_wave_status(self, wave_id: int, status: WaveStatus) -> Wave:
        """Move a wave to `status` (draft→open→closed→published; closed→open to reopen)."""
        if status not in t.WAVE_STATUSES:
            raise InputError(f"unknown wave status {status!r}; expected one of {t.WAVE_STATUSES}")
        with self._write() as conn:
            self._change_status(conn, wave_id, status)
        return self.wave(wave_id)
