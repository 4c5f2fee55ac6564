"""`barometre wave`: list waves, weight a wave, write its dataset, publish it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from barometre.cli._common import (
    UrlOption,
    WaveOption,
    console,
    fail,
    open_store_or_exit,
    wave_id_or_exit,
)
from barometre.store import Store

app = typer.Typer(
    name="wave",
    help="Weight, extract and publish a wave once its fieldwork is over.",
    no_args_is_help=True,
)


def _open(url: str | None, wave: str | None = None) -> tuple[Store, int]:
    store = open_store_or_exit(url)
    return store, wave_id_or_exit(store, wave) if wave else 0


@app.command("list")
def list_waves(url: UrlOption = None) -> None:
    """List the waves with their questionnaire, status and number of answers."""
    store, _ = _open(url)
    table = Table("wave", "questionnaire", "status", "complete", "partial")
    for w in store.waves():
        counts = store.response_counts(w.id)
        table.add_row(
            w.name,
            f"{w.questionnaire_id} {w.questionnaire_version}",
            w.status,
            str(counts.get("complete", 0)),
            str(counts.get("partial", 0)),
        )
    console.print(table)


@app.command()
def weight(
    wave: WaveOption,
    frame: Annotated[
        Path, typer.Option("--frame", help="Frame written by `barometre campaign frame`.")
    ],
    url: UrlOption = None,
    min_cell: Annotated[
        int, typer.Option(help="Fewest respondents a weighting cell may have.")
    ] = 5,
    low: Annotated[float, typer.Option(help="Lowest adjustment factor (relative).")] = 0.25,
    high: Annotated[float, typer.Option(help="Highest adjustment factor (relative).")] = 4.0,
    region: Annotated[
        bool, typer.Option("--region/--no-region", help="Also rake to regions.")
    ] = True,
) -> None:
    """Rake the respondents' design weights to the frame's counts and store the final weights."""
    from barometre.stats import StatsError
    from barometre.wave import WeightingError, frame_counts, weight_wave

    store, wave_id = _open(url, wave)
    try:
        counts = frame_counts(pl.read_parquet(frame), ("size_band", "sector", "region"))
        result = weight_wave(
            store.wave_dataset(wave_id),
            counts,
            min_cell=min_cell,
            bounds=(low, high),
            use_region=region,
        )
    except (WeightingError, StatsError, OSError) as exc:
        raise fail(str(exc)) from exc
    store.store_weights(
        wave_id,
        result.weights,
        method="raking: size x sector cells" + (", region" if region else ""),
    )
    d = result.diagnostics
    console.print(
        f"{d.n:,} respondents weighted to {result.population:,.0f} firms; "
        f"weights {d.min:.1f}-{d.max:.1f} "
        f"(ratio {d.ratio:.1f}), design effect {d.kish_deff:.2f}, effective n {d.effective_n:,.0f}"
    )
    for merge in result.merges:
        console.print(
            f"  merged {merge.variable}: {', '.join(merge.merged)} -> {merge.into} "
            f"({merge.respondents} respondents)"
        )


@app.command()
def dataset(
    wave: WaveOption,
    out: Annotated[Path, typer.Option("--out", help="File to write (.parquet or .csv).")] = Path(
        "wave.parquet"
    ),
    url: UrlOption = None,
    partial: Annotated[bool, typer.Option(help="Include partial responses.")] = False,
) -> None:
    """Write the wave dataset: one row per respondent, coded answers, design variables, weight."""
    store, wave_id = _open(url, wave)
    data = store.wave_dataset(wave_id, include_partial=partial)
    if out.suffix == ".csv":
        data.write_csv(out)
    else:
        data.write_parquet(out)
    console.print(f"{data.height:,} respondents written to {out}")


@app.command()
def publish(
    wave: WaveOption,
    results: Annotated[
        Path, typer.Option("--results", help="results.json of `barometre report build`.")
    ],
    url: UrlOption = None,
) -> None:
    """Store the wave's results and benchmark table; the self-diagnostic then compares with it."""
    from barometre.report import read_results_json
    from barometre.wave import publish as publish_wave

    store, wave_id = _open(url, wave)
    # A ReportError (unreadable file) or PublicationMismatch is a UserError: cli.main prints it.
    table = publish_wave(store, wave_id, read_results_json(results))
    console.print(
        f"wave {wave} published: benchmark of {len(table.cells)} peer groups (min n {table.min_n})"
    )


@app.command()
def report(
    wave: WaveOption,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("report"),
    url: UrlOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Language: fr or en.")] = "fr",
    methodology: Annotated[
        Path | None, typer.Option("--methodology", help="YAML file of methodology facts.")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write the PDF.")] = True,
) -> None:
    """Build a stored wave's report, with the change since the last published wave if any."""
    from barometre.report import Methodology, ReportError, build_report
    from barometre.wave import earlier_results

    store, wave_id = _open(url, wave)
    try:
        previous = earlier_results(store, wave_id)
        paths = build_report(
            store.wave_dataset(wave_id),
            store.questionnaire_of(wave_id),
            out,
            lang=lang,
            previous=previous,
            methodology=Methodology.from_yaml(methodology) if methodology else None,
            wave=wave,
            pdf=pdf,
        )
    except ReportError as exc:
        raise fail(str(exc)) from exc
    since = f", compared with {previous.wave}" if previous else ""
    console.print(f"report of {wave}{since}: {paths.html}")
