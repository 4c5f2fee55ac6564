"""Many estimates at once, for reports and benchmark tables.

``estimate_many`` stacks every (indicator, domain) pair into one vectorized
pass per statistic, so a wave's thousands of estimates cost seconds, not one
design build per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from barometre.stats.results import LabelledEstimate

if TYPE_CHECKING:
    from barometre.stats.design import Design


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
    """
    rows: list[LabelledEstimate] = []
    breakdowns = [(b, *design.breakdown(b)) for b in by]
    for col in means:
        values = design.values(col)
        for b, levels, _, _ in breakdowns:
            ests = design.mean_estimates(design.linearize(values, b, "mean"))
            for lv, est in zip(levels, ests, strict=True):
                rows.append(LabelledEstimate(col, None, b, lv, "mean", est))
    for item in proportions:
        col, wanted = (item, None) if isinstance(item, str) else item
        col_levels = design.levels(col)[0] if wanted is None else (wanted,)
        for level in col_levels:
            ind = design.indicator(col, level)
            for b, levels, _, sizes in breakdowns:
                lin = design.linearize(ind, b, "mean", binary=True)
                ests = design.proportion_estimates(lin, ci, sizes)
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
        },
        schema_overrides={"level": pl.String, "by": pl.String, "domain": pl.String},
    )
