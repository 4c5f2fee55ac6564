"""`barometre gdpr`: erase a company's data on request; purge a closed wave's contacts."""

from __future__ import annotations

import logging
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


@app.command()
def erase(siren: str, by: ByOption, reason: ReasonOption = "", url: UrlOption = None) -> None:
    """Remove one company's contact data and answers from every wave, and log the erasure."""
    try:
        with open_store(url or default_url()) as store:
            entries = store.erase_company(siren, requested_by=by, reason=reason)
    except StoreError as exc:
        raise typer.BadParameter(str(exc)) from exc
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
