"""`barometre stats`: weighted estimates and weight diagnostics on a wave file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from barometre.cli._common import console

if TYPE_CHECKING:
    import polars as pl

    from barometre.stats import Design

app = typer.Typer(
    name="stats",
    help="Weighted estimates with R-equivalent standard errors, and weight diagnostics.",
    no_args_is_help=True,
)

DataArg = Annotated[Path, typer.Argument(help="Wave dataset (.parquet or .csv).")]
WeightsOpt = Annotated[str, typer.Option("--weights", help="Column of final weights.")]
StrataOpt = Annotated[str | None, typer.Option("--strata", help="Column of strata.")]
PsuOpt = Annotated[str | None, typer.Option("--psu", help="Column of PSUs (clusters).")]
FpcOpt = Annotated[str | None, typer.Option("--fpc", help="Column of stratum population sizes.")]


def _read(path: Path) -> pl.DataFrame:
    import polars as pl

    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    return pl.read_csv(path, infer_schema_length=None)


def _design(
    path: Path, weights: str, strata: str | None, psu: str | None, fpc: str | None
) -> Design:
    from barometre.stats import Design

    return Design(_read(path), weights=weights, strata=strata, psu=psu, fpc=fpc)


@app.command()
def weights(data: DataArg, weights: WeightsOpt, strata: StrataOpt = None) -> None:
    """Print weight diagnostics: min, max, ratio, effective sample size, Kish deff."""
    diag = _design(data, weights, strata, None, None).weight_diagnostics()
    table = Table("n", "total", "min", "max", "max/min", "effective n", "Kish deff")
    table.add_row(
        str(diag.n),
        f"{diag.total:,.1f}",
        f"{diag.min:.3f}",
        f"{diag.max:.3f}",
        f"{diag.ratio:.2f}",
        f"{diag.effective_n:,.1f}",
        f"{diag.kish_deff:.3f}",
    )
    console.print(table)


@app.command()
def estimate(
    data: DataArg,
    weights: WeightsOpt,
    strata: StrataOpt = None,
    psu: PsuOpt = None,
    fpc: FpcOpt = None,
    mean: Annotated[
        list[str] | None, typer.Option("--mean", help="Numeric column (repeat).")
    ] = None,
    proportion: Annotated[
        list[str] | None, typer.Option("--proportion", help="Categorical column (repeat).")
    ] = None,
    by: Annotated[list[str] | None, typer.Option("--by", help="Breakdown column (repeat).")] = None,
    ci: Annotated[str, typer.Option("--ci", help="logit, beta or mean.")] = "logit",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write a .csv or .parquet table.")
    ] = None,
) -> None:
    """Estimate means and proportions in the whole sample and by domain, with 95 % CIs."""
    design = _design(data, weights, strata, psu, fpc)
    from barometre.stats import estimates_frame

    rows = design.estimate_many(
        means=mean or [], proportions=proportion or [], by=[None, *(by or [])], ci=ci
    )
    frame = estimates_frame(rows)
    if out is not None:
        frame.write_parquet(out) if out.suffix == ".parquet" else frame.write_csv(out)
        console.print(f"{frame.height} estimates written to {out}")
        return
    table = Table(*frame.columns)
    for row in frame.iter_rows():
        table.add_row(
            *("" if v is None else f"{v:.4g}" if isinstance(v, float) else str(v) for v in row)
        )
    console.print(table)
