"""The frame and the sample: companies of a wave's frame, their contacts, the sampled cases."""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa

from barometre.store import schema as t
from barometre.store._base import StoreBase, pairs
from barometre.store._rows import check_columns, iter_batches, siren_of
from barometre.store._types import utcnow
from barometre.store.errors import DuplicateError, InputError, NotFoundError
from barometre.store.records import Case, Contact, FrameUnit

FRAME_COLUMNS = (
    "siren",
    "name",
    "naf_code",
    "headcount_code",
    "size_band",
    "sector",
    "region",
    "category",
    "turnover",
)
# Columns that go to the contact side (personal data, purgeable), not to the frame.
CONTACT_COLUMNS = ("person_name", "email", "address", "postal_code", "city", "country")
SAMPLE_COLUMNS = ("siren", "stratum", "inclusion_probability", "design_weight", "case_id")

DEFAULT_BATCH = 5_000
_MAX_IN = 5_000
_UNIT_IDS = sa.select(t.frame_units.c.siren, t.frame_units.c.id).where(
    t.frame_units.c.wave_id == sa.bindparam("wave_id"),
    t.frame_units.c.siren.in_(sa.bindparam("sirens", expanding=True)),
)


def _case_id(wave_id: int, number: int) -> str:
    # Pseudonymous and stable: the n-th sampled company of the wave, never the SIREN.
    return f"{wave_id}-{number:06d}"


class FrameRepository(StoreBase):
    """Frame units, contacts and sample membership."""

    def add_frame_units(self, wave_id: int, units: Any, *, batch_size: int = DEFAULT_BATCH) -> int:
        """Add companies to a wave's frame; returns how many. All or nothing.

        `units` is a polars/pandas DataFrame or an iterable of mappings with the columns
        of `FRAME_COLUMNS` (only `siren` required) and optionally `CONTACT_COLUMNS`,
        which are stored on the contact side.
        """
        total = 0
        seen: set[str] = set()
        with self._write() as conn:
            self._wave_row(conn, wave_id)
            for batch in iter_batches(units, batch_size):
                unit_rows, contact_rows = [], []
                for i, row in enumerate(batch, start=total + 1):
                    place = f"frame row {i}"
                    check_columns(row, FRAME_COLUMNS + CONTACT_COLUMNS, ["siren"], place)
                    siren = siren_of(row["siren"], place)
                    if siren in seen:
                        raise DuplicateError(f"{place}: SIREN {siren} appears twice")
                    seen.add(siren)
                    unit: dict[str, Any] = {c: row.get(c) for c in FRAME_COLUMNS}
                    unit["siren"], unit["wave_id"] = siren, wave_id
                    if unit["turnover"] is not None:
                        unit["turnover"] = float(unit["turnover"])
                    unit_rows.append(unit)
                    contact = {c: row.get(c) for c in CONTACT_COLUMNS}
                    contact_rows.append(
                        contact if any(v is not None for v in contact.values()) else None
                    )
                total += len(batch)
                try:
                    conn.execute(sa.insert(t.frame_units), unit_rows)
                except sa.exc.IntegrityError as exc:
                    raise DuplicateError(
                        f"wave {wave_id}: a SIREN of this batch is already in the frame"
                    ) from exc
                if all(c is None for c in contact_rows):
                    continue
                # One query for the batch's new ids (INSERT ... RETURNING in parameter order
                # runs row by row on SQLite, several times slower).
                sirens = [u["siren"] for u in unit_rows]
                ids: dict[str, int] = {}
                for start in range(0, len(sirens), _MAX_IN):  # SQLite caps bound parameters
                    chunk = sirens[start : start + _MAX_IN]
                    ids.update(
                        pairs(conn.execute(_UNIT_IDS, {"wave_id": wave_id, "sirens": chunk}))
                    )
                now = utcnow()
                conn.execute(
                    sa.insert(t.contacts),
                    [
                        {**c, "unit_id": ids[u["siren"]], "updated_at": now}
                        for u, c in zip(unit_rows, contact_rows, strict=True)
                        if c is not None
                    ],
                )
        return total

    def frame_unit(self, wave_id: int, siren: str) -> FrameUnit:
        """The frame unit of a company in a wave."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(t.frame_units).where(
                    t.frame_units.c.wave_id == wave_id, t.frame_units.c.siren == siren
                )
            ).first()
        if row is None:
            raise NotFoundError(f"wave {wave_id} has no company {siren} in its frame")
        return FrameUnit(**{c: getattr(row, c) for c in ("id", "wave_id", *FRAME_COLUMNS)})

    def frame_size(self, wave_id: int) -> int:
        """How many companies the wave's frame holds."""
        with self._read() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).where(t.frame_units.c.wave_id == wave_id)
                ).scalar_one()
            )

    def sample_size(self, wave_id: int) -> int:
        """How many companies the wave's sample holds."""
        with self._read() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).where(t.samples.c.wave_id == wave_id)
                ).scalar_one()
            )

    def add_sample(self, wave_id: int, members: Any, *, batch_size: int = DEFAULT_BATCH) -> int:
        """Put frame units in the wave's sample; returns how many. All or nothing.

        Each row: `siren`, `stratum`, `inclusion_probability`, optionally `design_weight`
        (default 1 / probability) and `case_id` (default: `<wave>-<number>`).
        """
        total = 0
        with self._write() as conn:
            self._wave_row(conn, wave_id)
            unit_ids = pairs(
                conn.execute(
                    sa.select(t.frame_units.c.siren, t.frame_units.c.id).where(
                        t.frame_units.c.wave_id == wave_id
                    )
                )
            )
            count = conn.execute(
                sa.select(sa.func.count()).where(t.samples.c.wave_id == wave_id)
            ).scalar_one()
            for batch in iter_batches(members, batch_size):
                rows = []
                for i, row in enumerate(batch, start=total + 1):
                    rows.append(
                        self._sample_row(wave_id, row, unit_ids, f"sample row {i}", count + i)
                    )
                total += len(batch)
                try:
                    conn.execute(sa.insert(t.samples), rows)
                except sa.exc.IntegrityError as exc:
                    raise DuplicateError(
                        f"wave {wave_id}: a company or case id of this batch is already sampled"
                    ) from exc
        return total

    @staticmethod
    def _sample_row(
        wave_id: int, row: dict[str, Any], unit_ids: dict[str, int], place: str, number: int
    ) -> dict[str, Any]:
        check_columns(row, SAMPLE_COLUMNS, ["siren", "stratum", "inclusion_probability"], place)
        siren = siren_of(row["siren"], place)
        if siren not in unit_ids:
            raise InputError(f"{place}: SIREN {siren} is not in wave {wave_id}'s frame")
        probability = row["inclusion_probability"]
        if not isinstance(probability, int | float) or not 0 < probability <= 1:
            raise InputError(
                f"{place}: inclusion probability must be in (0, 1], got {probability!r}"
            )
        weight = row.get("design_weight")
        return {
            "wave_id": wave_id,
            "unit_id": unit_ids[siren],
            "case_id": str(row.get("case_id") or _case_id(wave_id, number)),
            "stratum": str(row["stratum"]),
            "inclusion_probability": float(probability),
            "design_weight": float(weight) if weight is not None else 1.0 / float(probability),
        }

    def case(self, wave_id: int, case_id: str) -> Case:
        """A sampled company of the wave."""
        with self._read() as conn:
            row = self._case_row(conn, wave_id, case_id)
        return _case_from_row(row)

    def case_by_siren(self, wave_id: int, siren: str) -> Case:
        """The case of a company (by SIREN) in the wave's sample."""
        with self._read() as conn:
            row = conn.execute(
                _cases_query().where(t.samples.c.wave_id == wave_id, t.frame_units.c.siren == siren)
            ).first()
        if row is None:
            raise NotFoundError(f"company {siren} is not in wave {wave_id}'s sample")
        return _case_from_row(row)

    def cases(self, wave_id: int) -> tuple[Case, ...]:
        """Every sampled company of the wave, in case id order."""
        with self._read() as conn:
            rows = conn.execute(
                _cases_query().where(t.samples.c.wave_id == wave_id).order_by(t.samples.c.case_id)
            ).all()
        return tuple(_case_from_row(r) for r in rows)

    def sample_table(self, wave_id: int) -> pl.DataFrame:
        """The wave's sample with frame attributes, one row per case (no contact data)."""
        f, s = t.frame_units.c, t.samples.c
        query = (
            sa.select(
                s.case_id, f.siren, s.stratum, s.inclusion_probability, s.design_weight,
                f.name, f.naf_code, f.headcount_code, f.size_band, f.sector, f.region,
                f.category, f.turnover,
            )
            .join(t.frame_units, f.id == s.unit_id)
            .where(s.wave_id == wave_id)
            .order_by(s.case_id)
        )  # fmt: skip  # the query reads clause by clause
        return _frame_from_query(self, query, _SAMPLE_SCHEMA)

    def contact(self, wave_id: int, case_id: str) -> Contact | None:
        """How to reach a sampled company (None once erased or purged)."""
        with self._read() as conn:
            case = self._case_row(conn, wave_id, case_id)
            row = conn.execute(
                sa.select(t.contacts).where(t.contacts.c.unit_id == case.unit_id)
            ).first()
        if row is None:
            return None
        return Contact(siren=case.siren, **{c: getattr(row, c) for c in CONTACT_COLUMNS})

    def mailing_list(self, wave_id: int) -> pl.DataFrame:
        """Cases with their contact data, short code and opt-out, for letters and e-mails."""
        s, c, i = t.samples.c, t.contacts.c, t.invitations.c
        query = (
            sa.select(
                s.case_id, t.frame_units.c.siren, t.frame_units.c.name, s.stratum,
                c.person_name, c.email, c.address, c.postal_code, c.city, c.country,
                i.short_code, i.sent_at, i.reminded_at, i.reminder_count, i.opted_out_at,
            )
            .join(t.frame_units, t.frame_units.c.id == s.unit_id)
            .outerjoin(t.contacts, c.unit_id == s.unit_id)
            .outerjoin(t.invitations, i.sample_id == s.id)
            .where(s.wave_id == wave_id)
            .order_by(s.case_id)
        )  # fmt: skip  # the query reads clause by clause
        return _frame_from_query(self, query, _MAILING_SCHEMA)


_SAMPLE_SCHEMA: dict[str, Any] = {
    "case_id": pl.String, "siren": pl.String, "stratum": pl.String,
    "inclusion_probability": pl.Float64, "design_weight": pl.Float64, "name": pl.String,
    "naf_code": pl.String, "headcount_code": pl.String, "size_band": pl.String,
    "sector": pl.String, "region": pl.String, "category": pl.String, "turnover": pl.Float64,
}  # fmt: skip  # one record per line reads as a table
_MAILING_SCHEMA: dict[str, Any] = {
    "case_id": pl.String, "siren": pl.String, "name": pl.String, "stratum": pl.String,
    "person_name": pl.String, "email": pl.String, "address": pl.String,
    "postal_code": pl.String, "city": pl.String, "country": pl.String,
    "short_code": pl.String, "sent_at": pl.Datetime("us", "UTC"),
    "reminded_at": pl.Datetime("us", "UTC"), "reminder_count": pl.Int64,
    "opted_out_at": pl.Datetime("us", "UTC"),
}  # fmt: skip  # one record per line reads as a table


def _frame_from_query(store: StoreBase, query: Any, schema: dict[str, Any]) -> pl.DataFrame:
    with store._read() as conn:
        rows = conn.execute(query).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def _cases_query() -> sa.Select[Any]:
    return sa.select(t.samples, t.frame_units.c.siren).join(
        t.frame_units, t.frame_units.c.id == t.samples.c.unit_id
    )


def _case_from_row(row: Any) -> Case:
    return Case(
        wave_id=row.wave_id,
        case_id=row.case_id,
        siren=row.siren,
        stratum=row.stratum,
        inclusion_probability=row.inclusion_probability,
        design_weight=row.design_weight,
    )
