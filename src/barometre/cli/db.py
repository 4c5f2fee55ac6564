"""`barometre db`: create or migrate the database, and show what it holds."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(name="db", help="Create, migrate and inspect the barometer's database.")

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="Database URL (sqlite:///file.sqlite or postgresql+psycopg://...); "
        "default: $BAROMETRE_DATABASE_URL, else sqlite:///barometre.sqlite.",
    ),
]


@app.command()
def upgrade(url: UrlOption = None) -> None:
    """Create the database if needed and migrate its schema to the newest revision."""
    from barometre.store import default_url, open_store

    with open_store(url or default_url()) as store:
        info = store.info()
    typer.echo(f"{info.url}: schema at revision {info.revision} (newest)")


@app.command()
def info(url: UrlOption = None) -> None:
    """Show the database URL, its schema revision and how many rows each table holds."""
    from barometre.store import default_url, open_store

    with open_store(url or default_url(), upgrade=False) as store:
        details = store.info()
        waves = [
            (w, store.frame_size(w.id), store.sample_size(w.id), store.response_counts(w.id))
            for w in (store.waves() if details.revision else ())
        ]
    state = "up to date" if details.up_to_date else f"behind (newest: {details.head})"
    typer.echo(f"database: {details.url} ({details.dialect})")
    typer.echo(f"schema:   {details.revision or 'empty'}, {state}")
    for table, count in sorted(details.row_counts.items()):
        typer.echo(f"  {table:<14} {count:>10,}")
    for wave, frame, sample, responses in waves:
        typer.echo(
            f"wave {wave.id} {wave.name!r}: {wave.status}, "
            f"{wave.questionnaire_id} {wave.questionnaire_version}; frame {frame:,}, "
            f"sample {sample:,}, responses {responses['complete']:,} complete "
            f"+ {responses['partial']:,} partial"
        )
