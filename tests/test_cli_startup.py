"""The command line starts fast: its root imports no heavy library, and errors take one path."""

from __future__ import annotations

import os
import subprocess
import sys

import typer
from typer.testing import CliRunner

from barometre.errors import UserError

HEAVY = ("scipy", "polars", "sqlalchemy", "matplotlib", "numpy", "pandas", "weasyprint")


def _modules_after(code: str) -> set[str]:
    """The top-level modules imported by a fresh interpreter after running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_importing_the_cli_pulls_no_heavy_library() -> None:
    """`import barometre.cli` loads none of scipy, polars, SQLAlchemy, matplotlib and the rest."""
    loaded = _modules_after("import barometre.cli")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_help_and_version_pull_no_heavy_library() -> None:
    """`barometre --help` and `barometre version` run without importing a heavy library."""
    for argv in (["--help"], ["version"]):
        loaded = _modules_after(
            "import sys\nfrom barometre.cli import main\n"
            f"sys.argv = ['barometre', *{argv!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass"
        )
        assert not loaded & set(HEAVY), (argv, sorted(loaded & set(HEAVY)))


def test_the_command_line_runs_one_blas_thread_unless_told_otherwise() -> None:
    """`barometre` sets OPENBLAS_NUM_THREADS=1 before a command loads numpy; a value the
    user set is kept."""
    probe = (
        "import os, sys\nfrom barometre.cli import main\n"
        "sys.argv = ['barometre', 'version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('threads', os.environ['OPENBLAS_NUM_THREADS'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for given, expected in ((None, "1"), ("2", "2")):
        run_env = env if given is None else {**env, "OPENBLAS_NUM_THREADS": given}
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=run_env
        ).stdout
        assert out.splitlines()[-1] == f"threads {expected}", out


def test_root_help_lists_every_group_with_its_description() -> None:
    """The root help names each group with the help its module declares, read without import."""
    from barometre.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for group, words in (
        ("campaign", "fieldwork"),
        ("questionnaire", "XLSForm"),
        ("version", "version"),
    ):
        line = next(line for line in result.output.splitlines() if line.strip().startswith(group))
        assert words in line or words in result.output.split(group, 1)[1][:200], line


def test_a_user_error_is_one_line_and_exit_code_1() -> None:
    """A `UserError` raised by any command is printed once, without traceback, with exit code 1."""
    from barometre.cli import LazyGroup

    probe = typer.Typer(cls=LazyGroup, add_completion=False)

    @probe.command()
    def broken() -> None:
        """Fail as a user's mistake would."""
        raise UserError("frame.csv, line 12: not a SIREN")

    @probe.command()
    def other() -> None:
        """A second command, so that `broken` stays a subcommand."""

    result = CliRunner().invoke(probe, ["broken"])
    assert result.exit_code == 1
    assert "error: frame.csv, line 12: not a SIREN" in result.output
    assert "Traceback" not in result.output


def test_importing_the_store_pulls_no_statistics() -> None:
    """`import barometre.store` (every wave and campaign command) loads neither scipy nor the
    diagnostic and typology packages; they come with the commands that compute."""
    code = (
        "import sys, barometre.store, barometre.cli.wave, barometre.cli.campaign\n"
        "print(' '.join(m for m in sys.modules if m.startswith('barometre.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    loaded = _modules_after("import barometre.store")
    assert "scipy" not in loaded and "matplotlib" not in loaded, sorted(loaded)
    ours = [m for m in out if m.startswith(("barometre.diagnostic", "barometre.typology"))]
    assert not ours, ours
