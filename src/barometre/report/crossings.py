"""The domains the results explorer offers: each explorer variable and every pair of them.

The web explorer never computes statistics; every (indicator, domain) share it can show is
estimated here once, with the wave's design and small-cell rule, and stored in results.json
(`WaveResults.crossings`). A crossing of two variables is a domain variable of its own, its
levels "0-9|11" read as "Moins de 10 salariés · Île-de-France".
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import polars as pl

from barometre.report.indicators import short_name
from barometre.report.order import level_key, level_label
from barometre.report.results import Breakdown, BreakdownCell, Share

EXPLORER_VARIABLES = ("size_band", "sector", "region", "market")
CROSS = "*"  # joins the variables of a crossing in its name: "size_band*region"
LEVELS = "|"  # joins the levels of a crossed domain: "0-9|11"

EXPLORER_INDICATORS: tuple[str, ...] = (
    "presence_any",
    "activity.active_or_tres_active",
    "tempo.en_retard",
    "strategy.yes",
    "staff_trained.yes",
    "marketing_team.yes",
    "spend.zero",
    "spend.10k_or_more",
    "obstacles.lack_time",
    "obstacles.not_priority",
    "obstacles.lack_skills",
    "competitive_edge.yes",
    "leader_activity.inactive_or_peu_active",
    "net_facebook.yes@present",
    "net_linkedin.yes@present",
    "net_instagram.yes@present",
)


def explorer_domains(columns: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The explorer's domain variables present in the wave: each alone, then each pair."""
    present = [v for v in EXPLORER_VARIABLES if v in columns]
    return tuple((v,) for v in present) + tuple(combinations(present, 2))


def domain_name(variables: Sequence[str]) -> str:
    """The column name of a domain variable: "size_band" or "size_band*region"."""
    return CROSS.join(variables)


def with_crossings(data: pl.DataFrame, domains: Sequence[Sequence[str]]) -> pl.DataFrame:
    """The wave with one text column per crossing (null when either level is missing)."""
    crossed = [d for d in domains if len(d) > 1]
    return data.with_columns(
        pl.concat_str([pl.col(v).cast(pl.Utf8) for v in d], separator=LEVELS).alias(domain_name(d))
        for d in crossed
    )


def crossing_results(
    questionnaire: Any,
    data: pl.DataFrame,
    domains: Sequence[Sequence[str]],
    cells: dict[str, dict[tuple[str, str], Share]],
) -> tuple[Breakdown, ...]:
    """Each domain variable as a `Breakdown`: levels in questionnaire order, labels, cells."""
    out = []
    for variables in domains:
        name = domain_name(variables)
        keys = [level_key(questionnaire, v) for v in variables]
        present = {str(x) for x in data[name].drop_nulls().unique().to_list()}
        levels = sorted(
            present,
            key=lambda d: tuple(k(p) for k, p in zip(keys, d.split(LEVELS), strict=True)),
        )

        def label(domain: str, lang: str, variables: Sequence[str] = variables) -> str:
            parts = domain.split(LEVELS)
            return " · ".join(
                level_label(questionnaire, v, p, lang)
                for v, p in zip(variables, parts, strict=True)
            )

        out.append(
            Breakdown(
                name,
                " × ".join(short_name(v, "fr") for v in variables),
                " × ".join(short_name(v, "en") for v in variables),
                tuple(levels),
                tuple(label(d, "fr") for d in levels),
                tuple(label(d, "en") for d in levels),
                tuple(
                    BreakdownCell(i, d, s)
                    for (i, d), s in sorted(cells.get(name, {}).items())
                    if d in present
                ),
            )
        )
    return tuple(out)
