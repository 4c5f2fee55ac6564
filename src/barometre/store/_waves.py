"""Waves: create one per campaign, move it through draft, open, closed, published, archived."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa

from barometre.questionnaire import Questionnaire, questionnaire_from_dict, questionnaire_to_dict
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
        # Archived is stored as published + archived_at (migration 0006 says why).
        status="archived" if row.archived_at is not None else row.status,
        created_at=row.created_at,
        published_at=row.published_at,
        archived_at=row.archived_at,
    )


class WaveRepository(StoreBase):
    """Waves of the barometer."""

    def register_questionnaire(self, questionnaire: Questionnaire) -> None:
        """Make a questionnaire that is not built in (e.g. from XLSForm) usable by waves."""
        self._catalog.register(questionnaire)

    def questionnaire_of(self, wave_id: int) -> Questionnaire:
        """The questionnaire (id and version) a wave collects answers to, as stored with it."""
        with self._read() as conn:
            wave = self._wave_row(conn, wave_id)
            return self._questionnaire(conn, wave.questionnaire_id, wave.questionnaire_version)

    def _questionnaire_for_new_wave(
        self, conn: sa.Connection, questionnaire_id: str, version: str | None
    ) -> Questionnaire:
        """The questionnaire a new wave uses, its definition stored if it is not yet."""
        try:
            known: Questionnaire | None = self._catalog.get(questionnaire_id, version)
        except NotFoundError:
            known = None
        wanted = version or (known.version if known else None)
        q = t.questionnaires.c
        query = sa.select(q.version, q.definition_json).where(
            q.questionnaire_id == questionnaire_id
        )
        query = query.where(q.version == wanted) if wanted else query.order_by(q.stored_at.desc())
        stored = conn.execute(query.limit(1)).first()
        if stored is not None:
            definition = json.loads(stored.definition_json)
            if known is not None and questionnaire_to_dict(known) != definition:
                raise DuplicateError(
                    f"questionnaire {questionnaire_id!r} version {stored.version!r} is stored "
                    "with a different definition; give the changed questionnaire a new version"
                )
            return questionnaire_from_dict(definition)
        if known is None:
            raise NotFoundError(
                f"unknown questionnaire {questionnaire_id!r}"
                + (f" version {version!r}" if version else "")
                + ": neither stored, built in, nor registered with register_questionnaire"
            )
        conn.execute(
            sa.insert(t.questionnaires).values(
                questionnaire_id=known.id,
                version=known.version,
                definition_json=json.dumps(questionnaire_to_dict(known), ensure_ascii=False),
                stored_at=utcnow(),
            )
        )
        return known

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
        """A new draft wave; its questionnaire's definition is stored with it.

        The questionnaire is one already stored, a built-in one or one registered with
        `register_questionnaire`; `questionnaire_version` defaults to the known one.
        """
        if not name.strip():
            raise InputError("a wave needs a non-empty name")
        if opens_on and closes_on and closes_on < opens_on:
            raise InputError(f"wave {name!r}: closes on {closes_on} before it opens ({opens_on})")
        values = {
            "name": name.strip(),
            "frame_description": frame_description,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "status": "draft",
            "created_at": utcnow(),
        }
        try:
            with self._write() as conn:
                questionnaire = self._questionnaire_for_new_wave(
                    conn, questionnaire_id, questionnaire_version
                )
                values["questionnaire_id"] = questionnaire.id
                values["questionnaire_version"] = questionnaire.version
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
                .where(t.waves.c.status == "published", t.waves.c.archived_at.is_(None))
                .order_by(t.waves.c.published_at.desc(), t.waves.c.id.desc())
                .limit(1)
            ).first()
        return None if row is None else wave_from_row(row)

    def set_wave_status(self, wave_id: int, status: WaveStatus) -> Wave:
        """Move a wave to `status` (draft→open→closed→published→archived; closed→open reopens)."""
        known = (*t.WAVE_STATUSES, "archived")
        if status not in known:
            raise InputError(f"unknown wave status {status!r}; expected one of {known}")
        with self._write() as conn:
            self._change_status(conn, wave_id, status)
        return self.wave(wave_id)
