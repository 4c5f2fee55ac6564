"""What the command groups share: the database and wave options, and clean user errors."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from barometre.store import NotFoundError, Store, StoreError, default_url, open_store

console = Console()

UrlOption = Annotated[
    str | None, typer.Option("--url", help="Database URL (default: $BAROMETRE_DATABASE_URL).")
]
WaveOption = Annotated[str, typer.Option("--wave", help="Name of the wave.")]


def fail(message: str) -> typer.Exit:
    """Print a user's error and return the exit to raise (code 1, no traceback)."""
    console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=1)


def open_store_or_exit(url: str | None) -> Store:
    """The store at `url` (default: $BAROMETRE_DATABASE_URL), or a clean error."""
    try:
        return open_store(url or default_url())
    except StoreError as exc:
        raise fail(str(exc)) from exc


def wave_id_or_exit(store: Store, name: str) -> int:
    """The id of the wave called `name`, or a clean error naming it."""
    try:
        return store.wave_by_name(name).id
    except NotFoundError as exc:
        raise fail(str(exc)) from exc
