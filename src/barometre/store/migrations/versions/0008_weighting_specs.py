"""Waves keep their weighting spec (margins, merged cells, bounds, method, stratum sizes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weighting_specs",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["wave_id"],
            ["waves.id"],
            name=op.f("fk_weighting_specs_wave_id_waves"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("wave_id", name=op.f("pk_weighting_specs")),
    )


def downgrade() -> None:
    op.drop_table("weighting_specs")
