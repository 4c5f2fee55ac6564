"""`barometre serve`: serve the web app on a store."""

from __future__ import annotations

import typer


def command(
    url: str = typer.Option(
        None, "--url", help="Store URL (default: $BAROMETRE_DATABASE_URL or barometre.sqlite)."
    ),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes (need BAROMETRE_SECRET_KEY)."),
) -> None:
    """Serve the questionnaire, the self-diagnostic, the team area and the API."""
    from barometre.web.server import serve

    serve(url, host=host, port=port, workers=workers)
