"""`barometre version`: print the installed version."""

from __future__ import annotations

import typer

from barometre import __version__


def command() -> None:
    """Print the version of barometre."""
    typer.echo(__version__)
