"""`barometre demo`: the whole barometer on a synthetic wave, then the web app on it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()


def command(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the registry, database and report.")
    ] = Path("demo-output"),
    units: Annotated[
        int, typer.Option("--units", help="Firms in scope in the synthetic registry.")
    ] = 150_000,
    sample_size: Annotated[
        int, typer.Option("--sample", help="Companies sampled and invited.")
    ] = 30_000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (the demo is reproducible).")
    ] = 2018,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: fr or en.")] = "fr",
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write the PDF report.")] = True,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the web app afterwards.")
    ] = True,
    port: Annotated[int, typer.Option("--port", help="Port of the web app.")] = 8000,
) -> None:
    """Run the demo wave end to end (registry, sample, returns, weights, report), then serve it."""
    from barometre.demo import STEPS, DemoConfig, run_demo

    if lang not in ("fr", "en"):
        raise typer.BadParameter("use fr or en", param_hint="--lang")
    config = DemoConfig(
        out_dir=out, n_units=units, sample_size=sample_size, seed=seed, lang=lang, pdf=pdf
    )
    start = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("demo", total=len(STEPS))

        def step(name: str, message: str) -> None:
            bar.update(task, completed=STEPS.index(name), description=f"{name}: {message}")

        result = run_demo(config, progress=step)
        bar.update(task, completed=len(STEPS), description="done")
    elapsed = time.perf_counter() - start
    w = result.weighting.diagnostics
    console.print(
        f"[bold]Demo wave done in {elapsed:.0f} s[/bold]: "
        f"{result.frame_units:,} firms in the frame, "
        f"{result.sampled:,} invited, {result.respondents:,} answers "
        f"({result.respondents / result.sampled:.1%}); weights: effective n {w.effective_n:,.0f}, "
        f"design effect {w.kish_deff:.2f}."
    )
    console.print(f"  report      {result.report_html}")
    if result.report_pdf:
        console.print(f"  PDF         {result.report_pdf}")
    console.print(f"  results     {result.results_json}")
    console.print(f"  exports     {result.report_html.parent / 'exports'}")
    console.print(f"  truth       {result.truth_json}")
    console.print(f"  database    {result.database_url}")
    if serve:
        from barometre.web.server import serve as serve_app

        serve_app(result.database_url, port=port)
