"""Changes between two waves: the covariance of overlapping samples, multiplicity control.

A firm sampled in both waves makes the two estimates covary; ignoring it overstates the SE
of a change when the samples overlap (a panel: the two estimates move together). The
covariance of two means is estimated from the firms that answered both waves, from their
linearised values within the weighting cells (z = w (y - mean of its cell) / sum w, the
post-stratified influence values), stratum by stratum, with the without-replacement
factor of a coordinated SRSWOR design: for two samples of sizes n1, n2 with m firms in
common out of N, Cov = (m / (n1 n2) - 1 / N) S12, estimated as sum_common z1 z2 times
(1 - n1 n2 / (m N)). Two independent draws give m ~ n1 n2 / N and a covariance of zero.

Multiplicity: when k indicators are tested for change at once, the chance that at least
one "changes" by chance alone is far above 5 %; Holm's step-down adjustment keeps that
family-wise error at 5 %, Benjamini-Hochberg keeps the expected share of false changes
among those reported at 5 %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import polars as pl

from barometre.stats.errors import StatsError

Adjustment = Literal["holm", "bh", "none"]
ADJUSTMENTS: tuple[str, ...] = ("holm", "bh", "none")


def adjust_p_values(p_values: Sequence[float], method: Adjustment = "holm") -> list[float]:
    """Adjusted p-values (R `p.adjust(p, method = "holm" | "BH" | "none")`)."""
    if method not in ADJUSTMENTS:
        raise StatsError(f"multiplicity adjustment must be one of {ADJUSTMENTS}, got {method!r}")
    p = np.asarray(p_values, dtype=np.float64)
    m = p.shape[0]
    if m == 0 or method == "none":
        return [float(v) for v in p]
    if method == "holm":
        order = np.argsort(p, kind="stable")
        stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    else:
        order = np.argsort(-p, kind="stable")
        stepped = np.minimum.accumulate(m / (m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return [float(v) for v in out]


def _influence(data: pl.DataFrame, column: str, weights: str, cell: str, unit: str) -> pl.DataFrame:
    frame = data.select(list(dict.fromkeys([unit, cell, "stratum", weights, column])))
    frame = frame.drop_nulls(column)
    total = float(frame[weights].sum())
    return frame.with_columns(
        (
            pl.col(weights)
            * (
                pl.col(column)
                - (pl.col(column) * pl.col(weights)).sum().over(cell)
                / pl.col(weights).sum().over(cell)
            )
            / total
        ).alias("_z")
    )


def overlap_covariance(
    first: pl.DataFrame,
    second: pl.DataFrame,
    column: str,
    *,
    stratum_population: Mapping[str, float],
    unit: str = "siren",
    weights: str = "weight",
    cell: str = "stratum",
) -> float:
    """Covariance of the weighted means of `column` in two waves that share firms.

    Each frame holds one wave's respondents with `unit` (the firm's identifier, the same in
    both waves), `stratum` (the sampling stratum), `cell` (the weighting cell), `weights`
    (final weights) and `column` (missing values are outside the base).
    """
    for name, frame in (("first", first), ("second", second)):
        missing = [c for c in (unit, "stratum", cell, weights, column) if c not in frame.columns]
        if missing:
            raise StatsError(f"the {name} wave has no column(s) {missing}")
    a = _influence(first, column, weights, cell, unit)
    b = _influence(second, column, weights, cell, unit)
    n1 = dict(a.group_by("stratum").len().iter_rows())
    n2 = dict(b.group_by("stratum").len().iter_rows())
    both = (
        a.select(unit, "stratum", "_z")
        .join(b.select(unit, pl.col("stratum").alias("_s2"), pl.col("_z").alias("_z2")), on=unit)
        .filter(pl.col("stratum") == pl.col("_s2"))
    )
    cov = 0.0
    for (stratum,), group in both.group_by(["stratum"]):
        m = group.height
        big_n = stratum_population.get(str(stratum))
        if big_n is None:
            raise StatsError(f"stratum {stratum!r} has no population size")
        # m / (m - 1) as the variance's n / (n - 1): a panel of the same answers then has a
        # covariance equal to each wave's variance, and its change an SE of zero.
        factor = (1.0 - n1[stratum] * n2[stratum] / (m * big_n)) * (m / (m - 1) if m > 1 else 1.0)
        cov += factor * float((group["_z"] * group["_z2"]).sum())
    return cov
