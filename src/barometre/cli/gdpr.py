"""`barometre gdpr`: erase a company's data on request; purge a closed wave's contacts."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from barometre.cli._common import UrlOption, fail
from barometre.store import NotFoundError, Store, StoreError, default_url, open_store

app = typer.Typer(name="gdpr", help="Erase one company's data, or purge a closed wave's contacts.")
log = logging.getLogger("barometre.gdpr")

ByOption = Annotated[str, typer.Option("--by", help="Who asked for it (kept in the log).")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept in the log).")]


def _wave_id(store: Store, wave: str) -> int:
    """A wave by name (names like "2026" are common), else by id."""
    try:
        return store.wave_by_name(wave).id
    except NotFoundError:
        if not wave.isdigit():
            raise
        return store.wave(int(wave)).id


ExportsOption = Annotated[
    Path | None,
    typer.Option(
        "--exports",
        help="Folder of files built from the store (default: $BAROMETRE_DOWNLOADS_DIR): those "
        "that may hold the company are removed.",
    ),
]
# Files whose bytes cannot be searched (compressed or binary): removed whenever a company is
# erased, since they may hold its rows.
_OPAQUE = {".parquet", ".xlsx", ".xls", ".ods", ".zip", ".gz", ".pdf", ".sav", ".dta", ".rds"}


def _stale_exports(folder: Path, traces: tuple[str, ...]) -> list[Path]:
    """The files of `folder` that hold one of `traces`, or cannot be searched for them."""
    needles = [t.encode("utf-8") for t in traces]
    stale = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in _OPAQUE:
            stale.append(path)
            continue
        data = path.read_bytes()
        if any(n in data for n in needles):
            stale.append(path)
    return stale


@app.command()
def erase(
    siren: str,
    by: ByOption,
    reason: ReasonOption = "",
    exports: ExportsOption = None,
    url: UrlOption = None,
) -> None:
    """Remove one company's contact data and answers from every wave, and log the erasure.

    Files already built from the store (the exports folder) that hold the company, or that
    cannot be searched, are removed: rebuild them (`barometre report`) after the erasure.
    """
    folder = exports or (Path(d) if (d := os.environ.get("BAROMETRE_DOWNLOADS_DIR")) else None)
    try:
        with open_store(url or default_url()) as store:
            traces = store.company_traces(siren)
            entries = store.erase_company(siren, requested_by=by, reason=reason)
    except StoreError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if folder is not None and folder.is_dir():
        for path in _stale_exports(folder, traces):
            path.unlink()
            typer.echo(f"removed {path} (built before the erasure; rebuild it)")
    for e in entries:
        # The log names the pseudonymous case, never the person or the answers.
        log.info("erasure wave=%s case=%s by=%s", e.wave_id, e.case_id, e.requested_by)
        typer.echo(
            f"wave {e.wave_id}, case {e.case_id or '-'}: {e.contacts_removed} contact(s) and "
            f"{e.answers_removed} answer(s) erased; logged"
        )


@app.command()
def purge(
    wave: Annotated[str, typer.Argument(help="Wave name or id.")],
    by: ByOption,
    reason: ReasonOption = "",
    url: UrlOption = None,
) -> None:
    """Drop the contact data of a closed (or published) wave, keeping the answers; logged."""
    try:
        with open_store(url or default_url()) as store:
            wave_id = _wave_id(store, wave)
            name = store.wave(wave_id).name
            entry = store.purge_contacts(wave_id, requested_by=by, reason=reason)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    log.info("purge wave=%s by=%s", entry.wave_id, entry.requested_by)
    removed = entry.contacts_removed
    typer.echo(f"wave {name!r}: {removed} contact{'s' if removed != 1 else ''} purged; logged")
