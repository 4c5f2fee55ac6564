"""`barometre simulate`: replicate a wave's design on a synthetic population."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from barometre.cli._common import console, fail

app = typer.Typer(
    name="simulate",
    help="Replicate a wave's design on a synthetic population: coverage, bias, SE ratios.",
    no_args_is_help=True,
)


@app.command()
def coverage(
    replicates: Annotated[int, typer.Option(help="Replicated waves (MC SE ~ 2.2 % at 100).")] = 100,
    population: Annotated[int, typer.Option(help="Firms in the synthetic frame.")] = 150_000,
    sample_size: Annotated[int, typer.Option("--n", help="Sample size of each wave.")] = 30_000,
    nonresponse: Annotated[
        str,
        typer.Option(
            help="Synthetic non-response: mixed (registry variables and unobserved activity), "
            "registry (registry variables only), activity, none (every sampled firm answers)."
        ),
    ] = "mixed",
    auxiliaries: Annotated[
        bool, typer.Option(help="Weight on the registry auxiliaries too (raking margins).")
    ] = True,
    seed: Annotated[int, typer.Option(help="Seed of the replicates.")] = 1,
    lang: Annotated[str, typer.Option(help="Language of the closing note: fr or en.")] = "en",
) -> None:
    """Per key indicator: coverage of the 95 % CIs (MC SE), relative bias, SE / SD."""
    from barometre.auxiliaries import AUXILIARIES
    from barometre.simulation.coverage import coverage_study, reader_note
    from barometre.simulation.population import simulated_population
    from barometre.synth.response import NON_RESPONSE_MODES

    if nonresponse not in NON_RESPONSE_MODES:
        raise fail(
            f"--nonresponse {nonresponse!r}: expected one of {', '.join(NON_RESPONSE_MODES)}"
        )
    if replicates < 2 or sample_size < 1 or population < sample_size:
        raise fail("need --replicates >= 2 and 1 <= --n <= --population")
    with console.status(f"synthetic population of {population:,} firms..."):
        pop = simulated_population(population)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("replicated waves", total=replicates)
        study = coverage_study(
            pop,
            sample_size=sample_size,
            replicates=replicates,
            nonresponse=nonresponse,  # type: ignore[arg-type]
            auxiliaries=AUXILIARIES if auxiliaries else (),
            seed=seed,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    table = Table(
        "indicator", "truth", "coverage", "MC SE", "rel. bias", "bias / SD", "SE / SD",
        title=f"{replicates} waves, non-response {nonresponse}, "
        f"auxiliaries {'yes' if auxiliaries else 'no'}, {study.mean_respondents:,.0f} returns",
    )  # fmt: skip
    for row in study.rows:
        table.add_row(
            row.indicator, f"{row.truth:.3f}", f"{row.coverage:.1%}", f"{row.coverage_mc_se:.1%}",
            f"{row.relative_bias:+.1%}", f"{row.bias_in_sd:+.2f}", f"{row.se_ratio:.2f}",
        )  # fmt: skip
    console.print(table)
    steps = ", ".join(f"{k} {v}" for k, v in sorted(study.steps.items())) or "none"
    console.print(
        f"weighting failures: {study.failures}; waves with a fallback step: "
        f"{study.waves_with_fallback} ({steps})"
    )
    note = reader_note(study, lang)
    if note:
        console.print(note)
