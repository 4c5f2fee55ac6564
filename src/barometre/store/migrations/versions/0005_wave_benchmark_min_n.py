"""A wave's benchmark keeps its min_n once, on the wave, instead of on every row.

Tables stored before revision 0002 recorded no min_n: the smallest cell they show is the best
reading of it, so it is written once here rather than guessed at every read.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("waves") as batch_op:
        batch_op.add_column(sa.Column("benchmark_min_n", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE waves SET benchmark_min_n = COALESCE("
        " (SELECT MAX(b.min_n) FROM benchmarks b WHERE b.wave_id = waves.id),"
        " (SELECT MIN(b.n) FROM benchmarks b WHERE b.wave_id = waves.id AND NOT b.suppressed))"
    )
    with op.batch_alter_table("benchmarks") as batch_op:
        batch_op.drop_column("min_n")


def downgrade() -> None:
    with op.batch_alter_table("benchmarks") as batch_op:
        batch_op.add_column(sa.Column("min_n", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE benchmarks SET min_n ="
        " (SELECT w.benchmark_min_n FROM waves w WHERE w.id = benchmarks.wave_id)"
    )
    with op.batch_alter_table("waves") as batch_op:
        batch_op.drop_column("benchmark_min_n")
