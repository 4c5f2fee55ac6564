"""The CLI is documented: every command answers --help and is named in the README or docs."""

from __future__ import annotations

import enum
import re
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from barometre.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _command(path: tuple[str, ...]) -> Any:
    """The click command at `path`, loading lazy groups the way a run would."""
    cmd: Any = typer.main.get_command(app)
    ctx = cmd.make_context("barometre", [], resilient_parsing=True)
    for name in path:
        cmd = cmd.get_command(ctx, name)
        ctx = cmd.make_context(name, [], parent=ctx, resilient_parsing=True)
    return cmd


def _command_paths() -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []

    # typer ships its own click, so groups are recognised by their sub-commands.
    def walk(prefix: tuple[str, ...]) -> None:
        cmd = _command(prefix)
        if hasattr(cmd, "list_commands"):
            ctx = cmd.make_context("barometre", [], resilient_parsing=True)
            for name in cmd.list_commands(ctx):
                walk((*prefix, name))
        else:
            paths.append(prefix)

    walk(())
    return paths


def _documentation() -> str:
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    return "\n".join(texts)


def test_there_are_commands() -> None:
    """The CLI exposes at least the questionnaire group."""
    assert any(p[0] == "questionnaire" for p in _command_paths())


def test_every_command_has_help() -> None:
    """`barometre <command> --help` exits 0 and shows a description for every command."""
    runner = CliRunner()
    for path in _command_paths():
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        cmd = _command(path)
        assert (cmd.help or "").strip(), f"barometre {' '.join(path)} has no help text"


def test_every_command_is_documented() -> None:
    """Each command appears as `barometre <path>` in README.md or docs/*.md."""
    docs = _documentation()
    missing = [
        " ".join(path)
        for path in _command_paths()
        if not re.search(r"barometre\s+" + r"\s+".join(map(re.escape, path)) + r"\b", docs)
    ]
    assert not missing, f"commands not documented in README.md or docs/: {missing}"


def _unboxed(output: str) -> str:
    """Help text without rich's panel borders, its lines joined, spaces collapsed."""
    text = re.sub(r"[│╭╮╰╯─]", " ", output)
    return " ".join(text.split())


def _choices(param: Any) -> list[str]:
    """The values an option accepts when its type is an enumeration (shown whole in help)."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    return []


def test_every_help_fits_80_columns_uncut() -> None:
    """At 80 columns, no help line is wider, nothing ends in an ellipsis, every option's
    help and every group's command list is shown whole."""
    runner = CliRunner()
    groups = {path[:-1] for path in _command_paths()}
    for path in sorted({*_command_paths(), *groups}):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
        assert result.exit_code == 0, (path, result.output)
        wide = [line for line in result.output.splitlines() if len(line) > 80]
        assert not wide, (path, wide)
        assert "…" not in result.output, (path, result.output)
        shown = _unboxed(result.output)
        cmd = _command(path)
        for param in getattr(cmd, "params", ()):
            words = " ".join(str(getattr(param, "help", None) or "").split())
            assert words in shown, (path, param.name, words)
            for option in getattr(param, "opts", ()):
                assert option in shown, (path, option)
            choices = _choices(param)
            if choices and not param.metavar:  # shown as <a|b|c>, which must not be split
                assert "|".join(choices) in shown, (path, param.name, choices)
