"""Waves can be archived, keep their settings (organiser, notice, sender), and log campaign events.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01

`archived_at` is a new column rather than a new value of `waves.status`: on SQLite a
changed CHECK constraint means rebuilding `waves`, and dropping the old table would
cascade-delete every wave's sample and answers (foreign keys are on).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite supports it without rebuilding the table.
    op.add_column("waves", sa.Column("archived_at", sa.DateTime(), nullable=True))
    op.create_table(
        "wave_settings",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["waves.id"], name=op.f("fk_wave_settings_wave_id_waves"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("wave_id", name=op.f("pk_wave_settings")),
    )  # fmt: skip
    op.create_table(
        "campaign_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["waves.id"], name=op.f("fk_campaign_log_wave_id_waves"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_log")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_campaign_log_wave_id_event"), "campaign_log", ["wave_id", "event"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_campaign_log_wave_id_event"), table_name="campaign_log")
    op.drop_table("campaign_log")
    op.drop_table("wave_settings")
    with op.batch_alter_table("waves", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
