"""The `barometre` command line: one command group per job, each a thin call into the library.

Command groups live in sibling modules (``cli/questionnaire.py``, ``cli/campaign.py``...),
each exposing ``app: typer.Typer``; they are discovered here so that adding a job never
means editing a central list.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(
    name="barometre",
    help="Run a survey barometer of how SMEs use social networks, from registry to report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_groups() -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        group = getattr(module, "app", None)
        if isinstance(group, typer.Typer):
            app.add_typer(group)
        command = getattr(module, "command", None)
        if callable(command):
            app.command(name=module_info.name.replace("_", "-"))(command)


_register_groups()


def main() -> None:
    """Entry point of the `barometre` console script."""
    app()
