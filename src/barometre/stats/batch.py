"""Many estimates at once, for reports and benchmark tables.

``estimate_many`` stacks the columns of every (indicator, domain) pair into
blocks and runs one vectorized pass per block and breakdown (sparse sums per
domain and calibration cell, see ``_cells``), then one interval computation
for the whole batch, so a wave's thousands of estimates cost a fraction of a
second, not one pass per estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from barometre.stats._estimators import Linearized
from barometre.stats._variance import CELLS_PER_BLOCK, FloatArray
from barometre.stats.results import Estimate, LabelledEstimate

if TYPE_CHECKING:
    from barometre.stats.design import Design


def _concat(parts: list[Linearized]) -> Linearized:
    deffs = [p.deff if p.deff is not None else np.full(p.estimate.shape, np.nan) for p in parts]
    return Linearized(
        estimate=np.concatenate([p.estimate for p in parts]),
        se=np.concatenate([p.se for p in parts]),
        df=np.concatenate([p.df for p in parts]),
        n=np.concatenate([p.n for p in parts]),
        nonzero=np.concatenate([p.nonzero for p in parts]),
        deff=np.concatenate(deffs),
    )


def _block_estimates(
    design: Design,
    columns: FloatArray,
    by: Sequence[str | None],
    proportion_ci: str | None,
) -> list[list[Estimate]]:
    """Means (or proportions) of every column of ``columns`` (rows x k) in every domain.

    Returns, per breakdown, the flat list column-major (column i, domain d at
    ``i * domains + d``). Columns go in blocks that keep ~CELLS_PER_BLOCK values.
    """
    k = columns.shape[1]
    if k == 0:
        return [[] for _ in by]
    out: list[list[Estimate]] = []
    per_block = max(1, CELLS_PER_BLOCK // max(design.n, 1))
    for b in by:
        _, _, sizes = design.breakdown(b)
        parts = [
            # A transposed view: the fast path wants rows x estimates anyway.
            design.linearize(
                columns[:, start : start + per_block].T, b, "mean", binary=proportion_ci is not None
            )
            for start in range(0, k, per_block)
        ]
        lin = _concat(parts)
        if proportion_ci is None:
            out.append(design.mean_estimates(lin))
        else:
            out.append(design.proportion_estimates(lin, proportion_ci, sizes * k))
    return out


def estimate_many(
    design: Design,
    *,
    means: Sequence[str] = (),
    proportions: Sequence[str | tuple[str, Any]] = (),
    by: Sequence[str | None] = (None,),
    ci: str = "logit",
) -> tuple[LabelledEstimate, ...]:
    """Every mean and proportion in the whole sample (``None``) and each ``by`` domain.

    ``proportions`` items are a column (every level) or ``(column, level)``.
    Rows come column by column (and level by level), then breakdown by
    breakdown, then domain by domain.
    """
    breakdowns = [(b, design.breakdown(b)[0]) for b in by]
    rows: list[LabelledEstimate] = []
    mean_ests = _block_estimates(design, design.values_block(list(means)), by, None)
    for i, col in enumerate(means):
        for j, (b, levels) in enumerate(breakdowns):
            ests = mean_ests[j][i * len(levels) : (i + 1) * len(levels)]
            for lv, est in zip(levels, ests, strict=True):
                rows.append(LabelledEstimate(col, None, b, lv, "mean", est))
    wanted: list[tuple[str, Any]] = []
    for item in proportions:
        col, level = (item, None) if isinstance(item, str) else item
        col_levels = design.levels(col)[0] if level is None else (level,)
        wanted.extend((col, lv) for lv in col_levels)
    prop_ests = _block_estimates(design, design.indicator_block(wanted), by, ci)
    for i, (col, level) in enumerate(wanted):
        for j, (b, levels) in enumerate(breakdowns):
            ests = prop_ests[j][i * len(levels) : (i + 1) * len(levels)]
            for lv, est in zip(levels, ests, strict=True):
                rows.append(LabelledEstimate(col, level, b, lv, "proportion", est))
    return tuple(rows)


def estimates_frame(rows: Sequence[LabelledEstimate]) -> pl.DataFrame:
    """A batch of estimates as a polars table (levels and domains as text)."""
    return pl.DataFrame(
        {
            "variable": [r.variable for r in rows],
            "level": [None if r.level is None else str(r.level) for r in rows],
            "by": [r.by for r in rows],
            "domain": [None if r.domain is None else str(r.domain) for r in rows],
            "statistic": [r.statistic for r in rows],
            "estimate": [r.value.estimate for r in rows],
            "se": [r.value.se for r in rows],
            "ci_low": [r.value.ci_low for r in rows],
            "ci_high": [r.value.ci_high for r in rows],
            "df": [r.value.df for r in rows],
            "n": [r.value.n for r in rows],
            "deff": [r.value.deff for r in rows],
        },
        schema_overrides={"level": pl.String, "by": pl.String, "domain": pl.String},
    )
