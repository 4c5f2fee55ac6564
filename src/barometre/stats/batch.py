"""Many estimates at once, for reports and benchmark tables.

``estimate_many`` stacks every (indicator, domain) pair into one vectorized
pass per statistic, so a wave's thousands of estimates cost seconds, not one
design build per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from barometre.stats._estimators import Request
from barometre.stats.results import LabelledEstimate

if TYPE_CHECKING:
    from barometre.stats.design import Design

Key = tuple[str, Any, str | None, Any, str]


def _domains(design: Design, by: Sequence[str | None]) -> list[tuple[str | None, Any, Any, int]]:
    out: list[tuple[str | None, Any, Any, int]] = []
    for b in by:
        if b is None:
            out.append((None, None, np.ones(design.n, dtype=bool), design.n))
            continue
        levels, codes = design.levels(b, "by")
        for k, lv in enumerate(levels):
            mask = codes == k
            out.append((b, lv, mask, int(mask.sum())))
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
    """
    domains = _domains(design, by)
    rows: list[LabelledEstimate] = []
    mean_keys: list[Key] = []
    mean_reqs: list[Request] = []
    for col in means:
        values = design.values(col)
        for b, lv, mask, _ in domains:
            mean_keys.append((col, None, b, lv, "mean"))
            mean_reqs.append(Request(values, mask))
    if mean_reqs:
        for key, est in zip(mean_keys, design._means(mean_reqs, "mean"), strict=True):
            rows.append(LabelledEstimate(*key, value=est))
    prop_keys: list[Key] = []
    prop_reqs: list[Request] = []
    n_rows: list[int] = []
    for item in proportions:
        col, wanted = (item, None) if isinstance(item, str) else item
        levels = design.levels(col)[0] if wanted is None else (wanted,)
        for level in levels:
            ind = design.indicator(col, level)
            for b, lv, mask, size in domains:
                prop_keys.append((col, level, b, lv, "proportion"))
                prop_reqs.append(Request(ind, mask))
                n_rows.append(size)
    if prop_reqs:
        ests = design.proportions_of(prop_reqs, ci, n_rows)
        for key, est in zip(prop_keys, ests, strict=True):
            rows.append(LabelledEstimate(*key, value=est))
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
