"""`barometre token`: the study team's API tokens (created with `barometre user token`)."""

from __future__ import annotations

from typing import Annotated

import typer

from barometre.cli._common import UrlOption, fail
from barometre.store import StoreError, default_url, open_store

app = typer.Typer(name="token", help="List and revoke API tokens.")


@app.command("list")
def list_tokens(
    username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
    url: UrlOption = None,
) -> None:
    """List API tokens: id, user, name, last use and whether revoked (never the secret)."""
    try:
        with open_store(url or default_url()) as store:
            tokens = store.api_tokens(username)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    for token in tokens:
        used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "-"
        state = "revoked" if token.revoked_at else "active"
        typer.echo(f"{token.id}\t{token.username}\t{token.name}\t{used}\t{state}")


@app.command()
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `barometre token list`).")],
    url: UrlOption = None,
) -> None:
    """Revoke an API token: it stops working at once, on every server."""
    try:
        with open_store(url or default_url()) as store:
            store.revoke_api_token(token_id)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"API token {token_id} revoked")
