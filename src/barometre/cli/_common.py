"""What the command groups share: the database and wave options, the console, users' errors.

Errors go one way: a command raises a `UserError` (a package's own, or `fail(message)` for a
check made here) and the root group prints it (see `barometre.cli`). Heavy libraries are
imported inside the helpers, so that loading a command group stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from barometre.errors import UserError

if TYPE_CHECKING:
    from barometre.store import Store

# One console for every group; rich wraps tables and text to the terminal (80 columns when
# the output is not a terminal).
console = Console()

UrlOption = Annotated[
    str | None, typer.Option("--url", help="Database URL (default: $BAROMETRE_DATABASE_URL).")
]
WaveOption = Annotated[str, typer.Option("--wave", help="Name of the wave.")]


def fail(message: str) -> UserError:
    """A user's error found by the command line itself, to raise (printed once, exit code 1)."""
    return UserError(message)


def open_store_or_exit(url: str | None) -> Store:
    """The store at `url` (default: $BAROMETRE_DATABASE_URL); a `StoreError` if unusable."""
    from barometre.store import default_url, open_store

    return open_store(url or default_url())


def wave_id_or_exit(store: Store, name: str) -> int:
    """The id of the wave called `name`; a `NotFoundError` naming it otherwise."""
    return store.wave_by_name(name).id
