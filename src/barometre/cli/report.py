"""`barometre report`: the published report of a wave, its exports and its codebook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from barometre.cli._common import console, progress_bar

# barometre.report (matplotlib, WeasyPrint, polars) is imported inside the commands: every
# `barometre ...` command loads this module, and only the report commands need it.

app = typer.Typer(
    name="report",
    help="Publish a wave: HTML and PDF report, results.json, labelled exports, codebook.",
    no_args_is_help=True,
)

WaveArg = Annotated[Path, typer.Argument(help="The wave dataset (.parquet or .csv).")]
OutOption = Annotated[Path, typer.Option("--out", help="Output folder.")]
QuestionnaireOption = Annotated[
    str,
    typer.Option(
        "--questionnaire", help="Built-in questionnaire id, or an .xlsx/.yaml/.json file."
    ),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language: fr or en.")]
SpecOption = Annotated[
    Path | None,
    typer.Option(
        "--weighting-spec",
        help="The wave's <name>.weighting.json (from `barometre wave dataset`): "
        "the estimates then rest on its calibrated design with the fpc.",
    ),
]
ReplicatesOption = Annotated[
    bool,
    typer.Option(
        "--replicate-weights",
        help="Add JKn replicate weights, recalibrated in each replicate, to the exports.",
    ),
]


def _design(data: Any, spec_file: Path | None) -> tuple[Any, Any]:
    """The dataset with its weighting groups, and the report's design, from a spec file."""
    from barometre.wave import design_info, read_spec_file, with_weighting_groups

    if spec_file is None:
        return data, None
    spec = read_spec_file(spec_file)
    return with_weighting_groups(data, spec), design_info(spec)


def _questionnaire(spec: str) -> Any:
    from barometre.questionnaire import (
        QuestionnaireError,
        load_builtin,
        read_questionnaire_file,
    )

    try:
        return read_questionnaire_file(spec) if Path(spec).is_file() else load_builtin(spec)
    except (QuestionnaireError, KeyError, ValueError) as ex:
        raise typer.BadParameter(f"questionnaire {spec!r}: {ex}") from ex


def _wave(path: Path) -> Any:
    import polars as pl

    if not path.is_file():
        raise typer.BadParameter(f"no wave file {path}")
    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path)
    if path.suffix.lower() == ".csv":
        return pl.read_csv(path, infer_schema_length=None)
    raise typer.BadParameter(f"{path}: a wave file is .parquet or .csv")


@app.command("build")
def build(
    wave: WaveArg,
    out: OutOption = Path("report"),
    questionnaire: QuestionnaireOption = "bpi2018",
    lang: LangOption = "fr",
    name: Annotated[str, typer.Option("--name", help="Name of the wave, e.g. 2026.")] = "",
    previous: Annotated[
        Path | None, typer.Option("--previous", help="results.json of an earlier wave.")
    ] = None,
    methodology: Annotated[
        Path | None, typer.Option("--methodology", help="YAML file of methodology facts.")
    ] = None,
    min_base: Annotated[int, typer.Option("--min-base", help="Smallest published base.")] = 30,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write the PDF.")] = True,
    replicates: Annotated[
        int, typer.Option("--replicates", help="Bootstrap replicates for the drivers' weights.")
    ] = 100,
    weighting_spec: SpecOption = None,
    replicate_weights: ReplicatesOption = False,
) -> None:
    """Write report.html, report.pdf, results.json and the exports of a wave."""
    from barometre.report import Methodology, build_report

    q = _questionnaire(questionnaire)
    data, design = _design(_wave(wave), weighting_spec)
    meta = Methodology.from_yaml(methodology) if methodology else None
    with progress_bar("report", percent=True) as progress:
        paths = build_report(
            data,
            q,
            out,
            lang,
            previous,
            meta,
            wave=name,
            min_base=min_base,
            pdf=pdf,
            driver_replicates=replicates,
            progress=progress,
            design=design,
            replicate_weights=replicate_weights,
        )
    console.print(f"report: {paths.html}" + (f" and {paths.pdf}" if paths.pdf else ""))
    console.print(f"results: {paths.results_json}")
    if paths.exports:
        console.print(f"exports: {paths.exports.csv.parent}")


@app.command("export")
def export(
    wave: WaveArg,
    out: OutOption = Path("exports"),
    questionnaire: QuestionnaireOption = "bpi2018",
    lang: LangOption = "fr",
    keep_all: Annotated[
        bool,
        typer.Option("--keep-all", help="Keep every column (no pseudonymisation)."),
    ] = False,
    weighting_spec: SpecOption = None,
    replicate_weights: ReplicatesOption = False,
) -> None:
    """Export a wave to CSV, Parquet, Excel, SPSS and Stata with its codebook.

    `--replicate-weights` adds JKn replicate weights (recalibrated in each replicate when
    `--weighting-spec` gives the wave's calibration), their scales and a Stata do-file.
    """
    from barometre.report import export_wave

    data, design = _design(_wave(wave), weighting_spec)
    paths = export_wave(
        data,
        _questionnaire(questionnaire),
        out,
        lang=lang,
        pseudonymised=not keep_all,
        design=design,
        replicate_weights=replicate_weights,
    )
    for p in (paths.csv, paths.parquet, paths.xlsx, paths.sav, paths.dta, paths.codebook_md):
        console.print(str(p))
    for extra in (paths.replicate_scales, paths.replicate_do, paths.replicate_dta):
        if extra is not None:
            console.print(str(extra))


@app.command("codebook")
def codebook(
    out: OutOption = Path("."),
    questionnaire: QuestionnaireOption = "bpi2018",
    lang: LangOption = "fr",
) -> None:
    """Write the codebook of a questionnaire as codebook.md and codebook.html."""
    from barometre.report import write_codebook

    md, html = write_codebook(_questionnaire(questionnaire), out, lang)
    console.print(f"{md}\n{html}")


@app.command("check-results")
def check_results(results: Annotated[Path, typer.Argument(help="A results.json file.")]) -> None:
    """Read a results.json back and print its wave, size and number of indicators."""
    from barometre.report import read_results_json

    r = read_results_json(results)
    console.print(
        f"wave {r.wave or '—'}: {r.n_respondents} respondents, {len(r.indicators)} indicators"
    )
