"""The `barometre` command line: one command group per job, each a thin call into the library.

Command groups live in sibling modules (``cli/questionnaire.py``, ``cli/campaign.py``...),
each exposing ``app: typer.Typer`` (a group) or ``command`` (a single command). They are
discovered from the package's files, so that adding a job never means editing a central
list, and imported only when their command runs: ``barometre --help`` and
``barometre version`` then cost a Python start and typer, not scipy, polars and SQLAlchemy
(click's "lazily loading subcommands" pattern). The top-level help reads each group's
description from its source without importing it.

Users' errors (`barometre.errors.UserError` and the packages' subclasses) are caught once,
here, and printed as one line with exit code 1; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
import typer.core
from typer import _click as click  # typer ships its own click

from barometre.errors import UserError

if TYPE_CHECKING:  # a type only: importing the questionnaire at startup costs time
    from barometre.questionnaire import Language

_HERE = Path(__file__).parent


def _modules() -> dict[str, str]:
    """Command name -> module name, for every public module of this package."""
    return {
        info.name.replace("_", "-"): info.name
        for info in sorted(pkgutil.iter_modules([str(_HERE)]), key=lambda m: m.name)
        if not info.name.startswith("_")
    }


@cache
def _short_help(module: str) -> str:
    """A group's help (``typer.Typer(help=...)``) or a command's docstring, read from source."""
    tree = ast.parse((_HERE / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Typer":
            for keyword in node.keywords:
                if keyword.arg == "help" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
        if isinstance(node, ast.FunctionDef) and node.name == "command":
            return (ast.get_docstring(node) or "").split("\n")[0]
    return ""


def cli_language() -> Language:
    """The language of the CLI's messages: $BAROMETRE_LANGUAGE, else the locale, else English."""
    chosen = os.environ.get("BAROMETRE_LANGUAGE") or os.environ.get("LC_ALL") or ""
    chosen = chosen or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "fr" if chosen.lower().startswith("fr") else "en"


class LazyGroup(typer.core.TyperGroup):
    """The root group: subcommands imported on first use, users' errors caught once."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_modules()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        module_name = _modules().get(cmd_name)
        if module_name is None:
            return None
        command = _load(module_name, cmd_name)
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _short_help(_modules()[name])) for name in _modules()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            click.echo(f"error: {error.message(cli_language())}", err=True)
            raise typer.Exit(1) from error


def _load(module_name: str, cmd_name: str) -> click.Command:
    module = importlib.import_module(f"{__name__}.{module_name}")
    group = getattr(module, "app", None)
    if isinstance(group, typer.Typer):
        # Shell completion is the root's business (off), not each group's.
        group._add_completion = False
        return typer.main.get_command(group)
    single = typer.Typer(add_completion=False)
    single.command(name=cmd_name)(module.command)
    command = typer.main.get_command(single)
    command.name = cmd_name
    return command


app = typer.Typer(
    name="barometre",
    help="Run a survey barometer of how SMEs use social networks, from registry to report.",
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help at the root: typer's rich help would import every group to list them.
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """Run a survey barometer of how SMEs use social networks, from registry to report."""


def main() -> None:
    """Entry point of the `barometre` console script."""
    # One BLAS thread unless the user asks for more. The commands' matrices are small (a
    # report's 48 x 48 Gram matrices, the drivers' 1,600 x 15 model matrices, by the
    # hundred): OpenBLAS' threads cost more to wake than they save, and on a loaded machine
    # they spin waiting for each other (wave report's results: 2.5 s CPU with them, 1.8 s
    # without, the same bits). Set before any command module imports numpy.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    app(prog_name="barometre")


if __name__ == "__main__":  # pragma: no cover - `python -m barometre.cli`
    main()
