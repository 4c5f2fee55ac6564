"""What the command groups share: the database and wave options, the console, users' errors.

Errors go one way: a command raises a `UserError` (a package's own, or `fail(message)` for a
check made here) and the root group prints it (see `barometre.cli`). Heavy libraries are
imported inside the helpers, so that loading a command group stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from barometre.errors import UserError

if TYPE_CHECKING:
    import polars as pl

    from barometre.store import Store

# One console for every group; rich wraps tables and text to the terminal (80 columns when
# the output is not a terminal).
console = Console()

ProgressCallback = Callable[[str, int, int], None]
"""(what is being done, units done, units in all; 0 in all when not known)."""


@contextmanager
def progress_bar(description: str = "", *, percent: bool = False) -> Iterator[ProgressCallback]:
    """A progress bar on stderr for a long command: its step, count (or share) done, time spent.

    Off when stderr is not a terminal (a pipe, a log file, a test), so that stdout and
    stderr stay plain text for scripts. Every long command shows its progress with it
    (`report build`, `wave report`, `campaign frame|sample|letters|send|remind`).
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    errors = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn() if percent else MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        disable=not errors.is_terminal,
    ) as bar:
        task = bar.add_task(description, total=None)
        shown = [""]

        def update(label: str, done: int, total: int) -> None:
            label = label or description
            # A new step is drawn at once; counts within a step at the bar's refresh rate.
            bar.update(
                task, description=label, completed=done, total=total or None,
                refresh=label != shown[0],
            )  # fmt: skip
            shown[0] = label

        yield update


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


def read_parquet_file(path: Path, what: str) -> pl.DataFrame:
    """A Parquet file the user named, or a `UserError` naming it and saying what is wrong."""
    import polars as pl

    if not path.is_file():
        raise fail(f"{path}: no such file ({what})")
    with path.open("rb") as handle:
        head = handle.read(4)
    if head != b"PAR1":
        kind = "it is empty" if not head else "it does not start like Parquet (a CSV file?)"
        raise fail(f"{path}: not a Parquet file ({what}): {kind}")
    try:
        return pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise fail(f"{path}: unreadable Parquet file ({what}): {exc}") from exc


def read_utf8_csv(path: Path, what: str) -> pl.DataFrame:
    """A CSV file the user named, all text: UTF-8 checked first, so that a stray byte is
    reported with its line, and an empty file is refused."""
    import polars as pl

    if not path.is_file():
        raise fail(f"{path}: no such file ({what})")
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise fail(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            f"save the file as UTF-8 ({what})"
        ) from exc
    if not data.strip():
        raise fail(f"{path}: the file is empty ({what})")
    try:
        return pl.read_csv(data, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise fail(f"{path}: not a readable CSV file ({what}): {exc}") from exc
