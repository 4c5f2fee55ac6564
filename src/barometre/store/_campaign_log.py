"""A wave's settings (organiser, notice, sender) and its campaign log (messages, reissues)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._types import utcnow
from barometre.store.errors import InputError


@dataclass(frozen=True)
class CampaignEvent:
    """One logged campaign event: a message sent, a code reissued."""

    wave_id: int
    case_id: str | None
    event: str
    detail: str
    recorded_at: datetime
    recorded_by: str


class CampaignLogRepository(StoreBase):
    """Wave settings and the campaign log."""

    def wave_settings(self, wave_id: int) -> dict[str, Any]:
        """The wave's stored settings (an empty mapping when none were set)."""
        with self._read() as conn:
            self._wave_row(conn, wave_id)
            text = conn.execute(
                sa.select(t.wave_settings.c.settings_json).where(
                    t.wave_settings.c.wave_id == wave_id
                )
            ).scalar()
        loaded = json.loads(text) if text else {}
        return loaded if isinstance(loaded, dict) else {}

    def set_wave_settings(self, wave_id: int, settings: Mapping[str, Any]) -> None:
        """Replace the wave's settings (a JSON object)."""
        try:
            text = json.dumps(dict(settings), ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise InputError(f"wave settings are not JSON-serialisable ({exc})") from exc
        with self._write() as conn:
            self._wave_row(conn, wave_id)
            conn.execute(sa.delete(t.wave_settings).where(t.wave_settings.c.wave_id == wave_id))
            conn.execute(
                sa.insert(t.wave_settings).values(
                    wave_id=wave_id, settings_json=text, updated_at=utcnow()
                )
            )

    def log_campaign_event(
        self,
        wave_id: int,
        event: str,
        *,
        case_id: str | None = None,
        detail: str = "",
        recorded_by: str = "barometre",
    ) -> None:
        """Append one event to the wave's campaign log (its own transaction: it survives a kill)."""
        with self._write() as conn:
            conn.execute(
                sa.insert(t.campaign_log).values(
                    wave_id=wave_id,
                    case_id=case_id,
                    event=event,
                    detail=detail,
                    recorded_at=utcnow(),
                    recorded_by=recorded_by,
                )
            )

    def campaign_log(self, wave_id: int, event: str | None = None) -> tuple[CampaignEvent, ...]:
        """The wave's campaign log, oldest first (of one kind of event if given)."""
        query = sa.select(t.campaign_log).where(t.campaign_log.c.wave_id == wave_id)
        if event is not None:
            query = query.where(t.campaign_log.c.event == event)
        with self._read() as conn:
            rows = conn.execute(query.order_by(t.campaign_log.c.id)).all()
        return tuple(
            CampaignEvent(r.wave_id, r.case_id, r.event, r.detail, r.recorded_at, r.recorded_by)
            for r in rows
        )
