"""Describe exploratory clusters: characteristic categories (v.test) and typical respondents.

Characteristic categories follow FactoMineR's ``catdes`` (used by ``HCPC``'s
``desc.var$category``): for cluster j and category k, with weighted counts
rounded to integers, the two-sided mid-p hypergeometric probability of the
count observed, and v.test = ±qnorm(p/2), positive when the category is more
frequent in the cluster than overall. Paragons (``desc.ind$para``) are the
respondents closest to their cluster's centre; specific respondents
(``desc.ind$dist``) those farthest from every other centre.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats as st

from barometre.typology._frame import FloatArray, as_polars, code_column
from barometre.typology.hcpc import HCPCResult


@dataclass(frozen=True)
class CharacteristicCategory:
    """A category over- (v_test > 0) or under-represented (< 0) in a cluster.

    ``cla_mod``: % of the category's respondents in the cluster; ``mod_cla``: %
    of the cluster with the category; ``global_share``: % overall (weighted).
    """

    variable: str
    level: str
    cla_mod: float
    mod_cla: float
    global_share: float
    p_value: float
    v_test: float


@dataclass(frozen=True)
class ClusterDescription:
    """What characterises one cluster, and its most typical and most specific respondents."""

    cluster: int
    n: int
    weighted_share: float
    categories: tuple[CharacteristicCategory, ...]
    paragons: tuple[int, ...]
    paragon_distances: tuple[float, ...]
    specific: tuple[int, ...]
    specific_distances: tuple[float, ...]


def _mid_p(x: int, cluster: int, total: int, category: int) -> float:
    """catdes' two-sided probability: min over tails of 2 * P(tail, strict) + P(X = x)."""
    law = st.hypergeom(total, cluster, category)
    point = float(law.pmf(x))
    low = float(law.cdf(x - 1)) * 2 + point
    high = float(law.sf(x)) * 2 + point
    return min(low, high)


def _categories(
    labels: Any,
    k: int,
    weights: FloatArray,
    columns: Sequence[tuple[str, tuple[str, ...], Any]],
    proba: float,
) -> list[list[CharacteristicCategory]]:
    out: list[list[CharacteristicCategory]] = [[] for _ in range(k)]
    cluster_w = np.bincount(labels, weights=weights, minlength=k)
    total_w = float(cluster_w.sum())
    for name, levels, codes in columns:
        table = np.zeros((k, len(levels)))
        np.add.at(table, (labels, codes), weights)
        level_w = table.sum(axis=0)
        for j in range(k):
            for c, level in enumerate(levels):
                p = _mid_p(
                    round(table[j, c]), round(cluster_w[j]), round(total_w), round(level_w[c])
                )
                if p > proba:
                    continue
                mod_cla = table[j, c] / cluster_w[j]
                overall = level_w[c] / level_w.sum()
                sign = -1.0 if mod_cla > overall else 1.0
                out[j].append(
                    CharacteristicCategory(
                        variable=name,
                        level=level,
                        cla_mod=100 * table[j, c] / level_w[c],
                        mod_cla=100 * mod_cla,
                        global_share=100 * overall,
                        p_value=p,
                        v_test=sign * float(st.norm.ppf(p / 2)),
                    )
                )
    return out


def describe_clusters(
    clusters: HCPCResult,
    df: Any = None,
    supplementary: Sequence[str] = (),
    proba: float = 0.05,
    n_paragons: int = 5,
) -> tuple[ClusterDescription, ...]:
    """Characteristic categories (active and ``supplementary`` columns of ``df``) and paragons."""
    result = clusters.mca
    k = clusters.n_clusters
    labels = clusters.labels - 1
    w = result.row_weights
    columns: list[tuple[str, tuple[str, ...], Any]] = []
    start = 0
    for q, name in enumerate(result.columns):
        levels = tuple(c.level for c in result.categories if c.variable == name)
        columns.append((name, levels, result.row_codes[:, q] - start))
        start += len(levels)
    if supplementary:
        frame = as_polars(df)
        for name in supplementary:
            coded = code_column(frame, name)
            columns.append((name, coded.levels, coded.codes))
    per_cluster = _categories(labels, k, w, columns, proba)
    coords = result.row_coordinates
    dist = np.sqrt(((coords[:, None, :] - clusters.centers[None, :, :]) ** 2).sum(axis=2))
    out = []
    for j in range(k):
        members = np.flatnonzero(labels == j)
        own = dist[members, j]
        near = np.argsort(own, kind="stable")[:n_paragons]
        if k > 1:
            others = np.delete(dist[members], j, axis=1).min(axis=1)
        else:
            others = np.zeros(members.size)
        far = np.argsort(-others, kind="stable")[:n_paragons]
        cats = sorted(per_cluster[j], key=lambda c: -c.v_test)
        out.append(
            ClusterDescription(
                cluster=j + 1,
                n=int(members.size),
                weighted_share=float(w[members].sum() / w.sum()),
                categories=tuple(cats),
                paragons=tuple(int(i) for i in members[near]),
                paragon_distances=tuple(float(d) for d in own[near]),
                specific=tuple(int(i) for i in members[far]),
                specific_distances=tuple(float(d) for d in others[far]),
            )
        )
    return tuple(out)
