"""`barometre user`: study-team accounts for the web app's team area and API."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from barometre.cli._common import UrlOption, fail
from barometre.store import StoreError, default_url, open_store

app = typer.Typer(name="user", help="Create study-team users and their API tokens.")


@app.command()
def add(
    username: str,
    role: Annotated[str, typer.Option(help="admin, team or viewer.")] = "team",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    url: UrlOption = None,
) -> None:
    """Create a user; the password (asked twice, or read from stdin) is stored as argon2."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with open_store(url or default_url()) as store:
            user = store.create_user(username, password, role)  # type: ignore[arg-type]
    except StoreError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(f"user {user.username!r} created with role {user.role}")


@app.command()
def token(
    username: str,
    name: Annotated[str, typer.Argument(help="What the token is for.")],
    url: UrlOption = None,
) -> None:
    """Create an API token for a user and print its secret (shown only this once)."""
    try:
        with open_store(url or default_url()) as store:
            record, secret = store.create_api_token(username, name)
    except StoreError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(f"API token {record.id} ({record.name}) for {record.username}:")
    typer.echo(secret)


@app.command()
def disable(username: str, url: UrlOption = None) -> None:
    """Disable a user: sign-in, its open sessions and its API tokens stop working at once."""
    try:
        with open_store(url or default_url()) as store:
            user = store.disable_user(username)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"user {user.username!r} disabled; its sessions are ended")


@app.command("list")
def list_users(url: UrlOption = None) -> None:
    """List the users, their roles and whether they are disabled."""
    try:
        with open_store(url or default_url()) as store:
            users = store.users()
    except StoreError as exc:
        raise fail(str(exc)) from exc
    for user in users:
        state = "disabled" if user.disabled_at else "active"
        typer.echo(f"{user.username}\t{user.role}\t{state}")
