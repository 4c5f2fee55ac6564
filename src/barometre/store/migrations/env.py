"""Alembic environment: runs on the connection `barometre.store.migrate` hands over."""

from __future__ import annotations

from alembic import context

from barometre.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through barometre.store.migrate (or `barometre db upgrade`), "
        "which passes the connection in"
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things: batch mode rebuilds tables instead.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
