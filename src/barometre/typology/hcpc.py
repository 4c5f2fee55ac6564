"""HCPC: Ward clustering on MCA coordinates, as FactoMineR's ``HCPC(res, nb.clust=-1)``.

The steps follow FactoMineR 2.7 (``print(HCPC)`` in R):

1. rows are sorted by their first coordinate (``order=TRUE``);
2. Ward's tree on the kept coordinates, each row weighted by its survey weight
   (``row.w.init``), heights being inertia gains;
3. k is the ``k`` in ``min..max`` minimising within(k) / within(k-1)
   (``min=3``, ``max=min(10, round(n/2))``);
4. optional consolidation: R's Hartigan-Wong k-means started from the Ward
   clusters' unweighted centres (R's ``kmeans`` takes no weights);
5. clusters are numbered by the first coordinate of their centre.

Rows with the same answers have the same coordinates and are merged (with
their summed weight) before Ward: zero-cost merges come first whatever the
order, so the tree above them is unchanged. ``pre_clusters`` (FactoMineR's
``kk``) first groups rows into that many weighted k-means centres.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from barometre.typology._frame import FloatArray, IntArray
from barometre.typology.errors import TypologyError
from barometre.typology.kmeans import hartigan_wong, weighted_lloyd
from barometre.typology.mca import MCAResult
from barometre.typology.ward import ward_tree


@dataclass(frozen=True)
class HCPCResult:
    """A partition of the respondents into ``n_clusters`` clusters labelled 1..k."""

    labels: IntArray
    n_clusters: int
    centers: FloatArray
    inertia_gain: FloatArray
    within_inertia: FloatArray
    quotients: FloatArray
    consolidated: bool
    pre_clusters: int | None
    kmeans_fault: int
    weighted_sizes: FloatArray
    mca: MCAResult

    @property
    def shares(self) -> FloatArray:
        """Weighted share of each cluster (sums to 1)."""
        return np.asarray(self.weighted_sizes / self.weighted_sizes.sum(), dtype=np.float64)

    def assign(self, answers: Mapping[str, str | None]) -> int:
        """Cluster (1..k) of a new respondent: projected as a supplementary row, nearest centre."""
        return int(self.assign_coordinates(self.mca.project(answers)[None, :])[0])

    def assign_coordinates(self, coordinates: FloatArray) -> IntArray:
        """Nearest-centre cluster (1..k) of rows already in factor coordinates."""
        diff = coordinates[:, None, :] - self.centers[None, :, :]
        return np.asarray(np.argmin((diff * diff).sum(axis=2), axis=1) + 1, dtype=np.int64)


def _first_appearance(labels: IntArray) -> IntArray:
    """Renumber labels 0..k-1 by order of first appearance (R's ``cutree`` numbering)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first, kind="stable"), kind="stable")
    return np.asarray(rank[inverse.ravel()], dtype=np.int64)


def _profile_keys(codes: IntArray) -> IntArray:
    """One integer per answer profile (mixed-radix), or row ranks when it would overflow."""
    local = codes - codes.min(axis=0)
    radix = local.max(axis=0).astype(np.float64) + 1
    if float(np.prod(radix)) < 2.0**62:
        key = np.zeros(codes.shape[0], dtype=np.int64)
        for q in range(codes.shape[1]):
            key = key * int(radix[q]) + local[:, q]
        return key
    _, inverse = np.unique(codes, axis=0, return_inverse=True)
    return np.asarray(inverse.ravel(), dtype=np.int64)


def _unweighted_centers(x: FloatArray, labels: IntArray, k: int) -> FloatArray:
    sums = np.zeros((k, x.shape[1]))
    np.add.at(sums, labels, x)
    return np.asarray(sums / np.bincount(labels, minlength=k)[:, None], dtype=np.float64)


def _choose_k(gains: FloatArray, minimum: int, maximum: int) -> tuple[int, FloatArray, FloatArray]:
    """FactoMineR's rule: argmin over k of within(k)/within(k-1), within(k) = sum of gains[k-1:]."""
    within = np.cumsum(gains[::-1])[::-1]
    if within.size < maximum:
        raise TypologyError(
            f"only {within.size + 1} distinct profiles: cannot look for {maximum} clusters"
        )
    quot = within[minimum - 1 : maximum] / within[minimum - 2 : maximum - 1]
    return int(np.argmin(quot)) + minimum, within, quot


def hcpc(
    mca_result: MCAResult,
    n_clusters: int | None = None,
    consolidate: bool = True,
    min_clusters: int = 3,
    max_clusters: int | None = None,
    iter_max: int = 10,
    pre_clusters: int | None = None,
    seed: int = 0,
) -> HCPCResult:
    """Hierarchical clustering on the MCA's kept coordinates (FactoMineR ``HCPC``).

    ``n_clusters=None`` picks k by the inertia-gain rule between ``min_clusters``
    and ``max_clusters``. ``pre_clusters`` (FactoMineR's ``kk``) runs a weighted
    k-means to that many centres first, for very large files; as in FactoMineR
    there is then no consolidation.
    """
    x = mca_result.row_coordinates
    w = mca_result.row_weights
    n = x.shape[0]
    if min_clusters < 2:
        raise TypologyError(f"min_clusters must be at least 2, got {min_clusters}")
    maximum = min(10, round(n / 2)) if max_clusters is None else max_clusters
    maximum = min(maximum, n - 1)
    if maximum < min_clusters and n_clusters is None:
        raise TypologyError(
            f"{n} rows are too few to choose between {min_clusters} and {maximum} clusters"
        )
    if n_clusters is not None and not 1 <= n_clusters <= n:
        raise TypologyError(f"n_clusters={n_clusters} is not between 1 and {n}")
    order = np.argsort(x[:, 0], kind="stable")
    xs = x[order]
    ws = w[order]
    # one leaf per distinct answer profile, in order of first appearance among sorted rows
    _, first, leaf_of_row = np.unique(
        _profile_keys(mca_result.row_codes[order]), return_index=True, return_inverse=True
    )
    leaf_of_row = leaf_of_row.ravel()
    by_first = np.argsort(first, kind="stable")
    rank = np.empty_like(by_first)
    rank[by_first] = np.arange(by_first.size)
    leaf_of_row = rank[leaf_of_row]
    leaf_points = xs[np.sort(first)]
    leaf_weights = np.bincount(leaf_of_row, weights=ws).astype(np.float64)
    extra_within = 0.0
    group_of_leaf = np.arange(leaf_points.shape[0])
    if pre_clusters is not None and pre_clusters < leaf_points.shape[0]:
        consolidate = False
        group_of_leaf, centres, masses = weighted_lloyd(
            leaf_points, leaf_weights, pre_clusters, seed
        )
        resid = leaf_points - centres[group_of_leaf]
        extra_within = float(
            (leaf_weights * (resid * resid).sum(axis=1)).sum() / leaf_weights.sum()
        )
        leaf_points, leaf_weights = centres, masses
    tree = ward_tree(leaf_points, leaf_weights)
    gains = tree.heights[::-1].copy()
    if extra_within > 0:
        gains = np.append(gains, extra_within)
    if n_clusters is None:
        k, within, quot = _choose_k(gains, min_clusters, maximum)
    else:
        k = n_clusters
        within = np.cumsum(gains[::-1])[::-1]
        quot = np.zeros(0)
    if k > leaf_points.shape[0]:
        raise TypologyError(
            f"cannot form {k} clusters from {leaf_points.shape[0]} distinct profiles"
        )
    ward_labels = tree.cut(k)[group_of_leaf][leaf_of_row]
    labels = _first_appearance(ward_labels)
    fault = 0
    if consolidate and k >= 2:
        km = hartigan_wong(xs, _unweighted_centers(xs, labels, k), iter_max=iter_max)
        labels, centers, fault = km.labels, km.centers, km.fault
    else:
        centers = _unweighted_centers(xs, labels, k)
    # FactoMineR numbers clusters by the first coordinate of their centre
    ordering = np.argsort(centers[:, 0], kind="stable")
    renumber = np.empty(k, dtype=np.int64)
    renumber[ordering] = np.arange(1, k + 1)
    sorted_labels = renumber[labels]
    out = np.empty(n, dtype=np.int64)
    out[order] = sorted_labels
    return HCPCResult(
        labels=out,
        n_clusters=k,
        centers=centers[ordering],
        inertia_gain=gains[: max(15, maximum)],
        within_inertia=within[: max(15, maximum)],
        quotients=quot,
        consolidated=consolidate and k >= 2,
        pre_clusters=pre_clusters,
        kmeans_fault=fault,
        weighted_sizes=np.bincount(out - 1, weights=w, minlength=k).astype(np.float64),
        mca=mca_result,
    )
