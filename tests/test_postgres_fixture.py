"""The test session really reaches a PostgreSQL server (CI must not silently run SQLite only)."""

import sqlalchemy as sa


def test_postgres_answers(postgres_url: str) -> None:
    """A fresh PostgreSQL database answers a query and reports its server version."""
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("SHOW server_version")).scalar_one()
    engine.dispose()
    assert int(str(version).split(".")[0]) >= 13
