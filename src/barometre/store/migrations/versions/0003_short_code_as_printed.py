"""Invitations keep the short code as printed, and match typed codes on a separate key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_code_key", sa.String(length=32), nullable=True))
    # Revision 0001 stored codes already compacted (upper case, no spaces or dashes).
    op.execute(
        "UPDATE invitations SET short_code_key = "
        "UPPER(REPLACE(REPLACE(short_code, '-', ''), ' ', ''))"
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.alter_column("short_code_key", existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_constraint(batch_op.f("uq_invitations_short_code"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_invitations_short_code_key"), ["short_code_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_invitations_short_code_key"), type_="unique")
    op.execute("UPDATE invitations SET short_code = short_code_key")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_invitations_short_code"), ["short_code"])
        batch_op.drop_column("short_code_key")
