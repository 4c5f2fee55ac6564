"""`barometre questionnaire`: show, check, export and import questionnaires."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from barometre.cli._common import fail
from barometre.questionnaire import (
    BUILTINS,
    Questionnaire,
    QuestionnaireError,
    diagnostic_subset,
    load_builtin,
    questionnaire_to_yaml,
    read_questionnaire_file,
    read_xlsform,
    validate,
    write_questionnaire_file,
)

app = typer.Typer(
    name="questionnaire",
    help="Show, check, export and import questionnaires (built-in or XLSForm).",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)  # whole lines: easy to grep and copy

IdOption = Annotated[
    str,
    typer.Option(
        "--id", help=f"Built-in questionnaire ({', '.join(BUILTINS)}); ignored with --file."
    ),
]
FileOption = Annotated[
    Path | None,
    typer.Option("--file", help="Questionnaire file instead: XLSForm (.xlsx), YAML or JSON."),
]
LangOption = Annotated[
    str, typer.Option("--lang", help="Language of labels and messages: fr or en.")
]
DiagnosticOption = Annotated[
    bool, typer.Option("--diagnostic", help="Use the short self-diagnostic subset.")
]


def _check_lang(lang: str) -> str:
    if lang not in ("fr", "en"):
        raise typer.BadParameter("use fr or en", param_hint="--lang")
    return lang


def _load(builtin: str, path: Path | None, diagnostic: bool = False) -> Questionnaire:
    try:
        questionnaire = read_questionnaire_file(path) if path else load_builtin(builtin)
        return diagnostic_subset(questionnaire) if diagnostic else questionnaire
    except QuestionnaireError as error:
        message = str(error)
        if path is not None and not message.startswith(str(path)):
            message = f"{path}: {message}"
        raise fail(message) from error


@app.command()
def show(
    builtin: IdOption = "bpi2018",
    file: FileOption = None,
    lang: LangOption = "fr",
    diagnostic: DiagnosticOption = False,
) -> None:
    """Print a questionnaire as a tree: sections, questions, choices and skip logic."""
    _check_lang(lang)
    questionnaire = _load(builtin, file, diagnostic)
    title = questionnaire.title_fr if lang == "fr" else questionnaire.title_en
    tree = Tree(
        f"[bold]{escape(title)}[/bold]  ({questionnaire.id} {questionnaire.version}, "
        f"{len(questionnaire.questions)} questions)"
    )
    for section in questionnaire.sections:
        branch = tree.add(
            f"[bold cyan]{escape(section.label(lang))}[/bold cyan]  [dim]{section.id}[/dim]"
        )
        if section.relevant:
            branch.add(f"[yellow]if {escape(section.relevant)}[/yellow]")
        for question in section.questions:
            flags = " [red]*[/red]" if question.required else ""
            node = branch.add(
                f"[green]{question.id}[/green] [dim]({question.type.value})[/dim]{flags} "
                f"{escape(question.label(lang))}"
            )
            hint = question.hint(lang)
            if hint:
                node.add(f"[dim italic]{escape(hint)}[/dim italic]")
            if question.relevant:
                node.add(f"[yellow]if {escape(question.relevant)}[/yellow]")
            if question.constraint:
                node.add(f"[magenta]check {escape(question.constraint)}[/magenta]")
            if question.minimum is not None or question.maximum is not None or question.unit:
                low = "" if question.minimum is None else question.minimum
                high = "" if question.maximum is None else question.maximum
                node.add(f"[magenta]{low}..{high} {escape(question.unit or '')}[/magenta]")
            for choice in question.choices:
                node.add(f"[dim]{escape(choice.code)}[/dim]  {escape(choice.label(lang))}")
    console.print(tree)
    console.print("[red]*[/red] required")


def _answer_sets(path: Path) -> list[Mapping[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise fail(f"{path}: cannot be read ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise fail(f"{path}: not valid JSON ({error})") from error
    sets = data if isinstance(data, list) else [data]
    for index, item in enumerate(sets):
        if not isinstance(item, dict):
            raise fail(f"{path}: answer set {index + 1} is not an object of question id -> answer")
    return sets


@app.command("validate")
def validate_command(
    builtin: IdOption = "bpi2018",
    file: FileOption = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="JSON file: one answer set (an object) or a list of them, to check as well.",
        ),
    ] = None,
    lang: LangOption = "fr",
    diagnostic: DiagnosticOption = False,
) -> None:
    """Check a questionnaire definition, and optionally answer sets; exit 1 on any problem."""
    _check_lang(lang)
    questionnaire = _load(builtin, file, diagnostic)
    console.print(
        f"[green]ok[/green] questionnaire {questionnaire.id} {questionnaire.version}: "
        f"{len(questionnaire.sections)} sections, {len(questionnaire.questions)} questions"
    )
    if answers is None:
        return
    sets = _answer_sets(answers)
    failed = 0
    for index, answer_set in enumerate(sets, start=1):
        found = validate(questionnaire, answer_set)  # JSON values are the documented answer types
        if found:
            failed += 1
        for problem in found:
            line = (
                f"{answers}: answer set {index}, question {problem.question_id} "
                f"[{problem.code.value}]: {problem.message(lang)}"
            )
            errors.print(escape(line))
    if failed:
        raise fail(f"{failed} of {len(sets)} answer set(s) have problems")
    console.print(f"[green]ok[/green] {len(sets)} answer set(s) valid")


@app.command()
def export(
    outputs: Annotated[
        list[Path],
        typer.Argument(help="Files to write; the format follows the suffix: .xlsx, .json, .yaml."),
    ],
    builtin: IdOption = "bpi2018",
    file: FileOption = None,
    diagnostic: DiagnosticOption = False,
) -> None:
    """Write a questionnaire as XLSForm (.xlsx, for KoboToolbox/ODK) and/or JSON or YAML."""
    questionnaire = _load(builtin, file, diagnostic)
    for output in outputs:
        try:
            write_questionnaire_file(questionnaire, output)
        except (QuestionnaireError, OSError) as error:
            raise fail(f"{output}: {error}") from error
        console.print(f"wrote {escape(str(output))}")


@app.command("import")
def import_command(
    form: Annotated[Path, typer.Argument(help="The XLSForm workbook (.xlsx) to read.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Canonical file to write (.yaml or .json); default: print YAML."
        ),
    ] = None,
) -> None:
    """Read an XLSForm, report its errors with sheet, row and column, write the canonical file."""
    try:
        questionnaire = read_xlsform(form)
    except QuestionnaireError as error:
        raise fail(f"{form}: {error}") from error
    except OSError as error:
        raise fail(f"{form}: cannot be read ({error.strerror})") from error
    if output is None:
        typer.echo(questionnaire_to_yaml(questionnaire), nl=False)
        return
    if output.suffix.lower() == ".xlsx":
        raise fail(
            "--output must be .yaml or .json; use `barometre questionnaire export` for XLSForm"
        )
    try:
        write_questionnaire_file(questionnaire, output)
    except (QuestionnaireError, OSError) as error:
        raise fail(f"{output}: {error}") from error
    errors.print(
        f"[green]ok[/green] {questionnaire.id} {questionnaire.version}: "
        f"{len(questionnaire.questions)} questions written to {escape(str(output))}"
    )
