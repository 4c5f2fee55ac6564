"""Weighted Ward hierarchical clustering without a distance matrix.

FactoMineR's HCPC feeds ``flashClust::hclust(method="ward")`` the n x n matrix of
merge costs w_a w_b / (w_a + w_b) / W * ||x_a - x_b||^2, i.e. the between-cluster
inertia gained by a merge. That matrix is what runs out of memory at 3 x 10^4
respondents. Ward is a *reducible* linkage, so the same tree is obtained by
merging reciprocal nearest neighbours in any order:

* while many clusters remain, every cluster's Ward-nearest neighbour is found
  with k-d trees (one per band of cluster weights, so the weight factor of the
  cost can be bounded), and all reciprocal pairs are merged in one round;
* below a few thousand clusters, a nearest-neighbour chain finishes the tree,
  computing costs from centroids on the fly.

Memory stays O(n); merge costs are computed from centroids, so heights equal
FactoMineR's up to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from barometre.typology._frame import FloatArray, IntArray

# Below this many clusters the nearest-neighbour chain is cheaper than k-d tree rounds.
_CHAIN_SIZE = 4000
# Neighbours asked of each k-d tree before falling back to a brute-force scan.
_NEIGHBOURS = 8


@dataclass(frozen=True)
class WardTree:
    """A Ward tree over ``n_leaves`` weighted points, merges sorted by increasing height.

    ``children[t]`` are the ids merged at step t (leaves are 0..n-1, the cluster
    created at creation step s has id n + s), ``heights[t]`` the inertia gained.
    """

    n_leaves: int
    children: IntArray
    created: IntArray
    heights: FloatArray

    def cut(self, k: int) -> IntArray:
        """Cluster index 0..k-1 (arbitrary numbering) of every leaf, cut into ``k`` clusters."""
        n = self.n_leaves
        if not 1 <= k <= n:
            raise ValueError(f"cannot cut {n} points into {k} clusters")
        parent = np.arange(2 * n - 1)
        done = n - k
        kids = self.children[:done]
        new = n + self.created[:done]
        parent[kids[:, 0]] = new
        parent[kids[:, 1]] = new
        root = parent.copy()
        while True:  # pointer doubling: O(log depth) vectorised passes
            nxt = root[root]
            if np.array_equal(nxt, root):
                break
            root = nxt
        _, labels = np.unique(root[:n], return_inverse=True)
        return np.asarray(labels, dtype=np.int64)


def _gain(wa: FloatArray | float, wb: FloatArray | float) -> FloatArray:
    return np.asarray(np.multiply(wa, wb) / np.add(wa, wb), dtype=np.float64)


def ward_tree(points: FloatArray, weights: FloatArray) -> WardTree:
    """Weighted Ward tree of ``points`` (n x d) with ``weights`` (n,), heights as inertia gains."""
    points = np.ascontiguousarray(points, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    n = points.shape[0]
    total = float(weights.sum())
    # cluster state, indexed by cluster id (leaves first, then creations)
    centroid = np.empty((2 * n - 1, points.shape[1]))
    centroid[:n] = points
    mass = np.empty(2 * n - 1)
    mass[:n] = weights
    merges: list[tuple[int, int, float]] = []
    active = np.arange(n)
    while active.size > _CHAIN_SIZE:
        before = active.size
        active = _rnn_round(active, centroid, mass, merges, n)
        if active.size == before:  # exact ties in a cycle: let the chain settle them
            break
    _nn_chain(active, centroid, mass, merges, n)
    raw = np.array([m[2] for m in merges]) / total if merges else np.zeros(0)
    kids = np.array([[m[0], m[1]] for m in merges], dtype=np.int64).reshape(-1, 2)
    order = np.lexsort((np.arange(raw.size), raw))
    return WardTree(
        n_leaves=n,
        children=kids[order],
        created=np.asarray(order, dtype=np.int64),
        heights=np.asarray(raw[order], dtype=np.float64),
    )


def _merge(
    a: int,
    b: int,
    cost: float,
    centroid: FloatArray,
    mass: FloatArray,
    merges: list[tuple[int, int, float]],
    n: int,
) -> int:
    new = n + len(merges)
    wa, wb = mass[a], mass[b]
    mass[new] = wa + wb
    centroid[new] = (wa * centroid[a] + wb * centroid[b]) / (wa + wb)
    merges.append((a, b, cost))
    return new


def _update(
    rows: IntArray,
    cand: IntArray,
    dist: FloatArray,
    w: FloatArray,
    best: FloatArray,
    arg: IntArray,
) -> None:
    """Keep, for each row, the cheapest Ward merge among its candidates (inf distance = none)."""
    found = np.isfinite(dist)
    safe = np.where(found, cand, 0)
    cost = np.where(found, dist**2 * _gain(w[rows][:, None], w[safe]), np.inf)
    cost[safe == rows[:, None]] = np.inf
    j = np.argmin(cost, axis=1)
    local = cost[np.arange(rows.size), j]
    better = local < best[rows]
    best[rows[better]] = local[better]
    arg[rows[better]] = safe[better, j[better]]


def _scan(
    todo: IntArray, members: IntArray, c: FloatArray, w: FloatArray, best: FloatArray, arg: IntArray
) -> None:
    """Brute-force Ward costs from ``todo`` rows to every member of a band."""
    for start in range(0, todo.size, 256):
        rows = todo[start : start + 256]
        diff = c[rows][:, None, :] - c[members][None, :, :]
        cost = np.einsum("ijk,ijk->ij", diff, diff) * _gain(w[rows][:, None], w[members][None, :])
        cost[members[None, :] == rows[:, None]] = np.inf
        j = np.argmin(cost, axis=1)
        local = cost[np.arange(rows.size), j]
        better = local < best[rows]
        best[rows[better]] = local[better]
        arg[rows[better]] = members[j[better]]


def _nearest(
    active: IntArray, centroid: FloatArray, mass: FloatArray
) -> tuple[IntArray, FloatArray]:
    """Exact Ward-nearest neighbour (position in ``active``) and cost of every active cluster.

    A first Euclidean k-NN query gives each cluster a candidate cost B. Then,
    in each band of cluster weights (within a factor 2), a neighbour can only
    beat B within radius sqrt(B / h(w, lightest weight of the band)): the band's
    tree is searched within that radius (rows grouped by radius, as the k-d tree
    takes one bound per query). Where k neighbours fill the radius, the rest of
    the band is scanned by brute force for the rows it could still improve.
    """
    c = centroid[active]
    w = mass[active]
    m = active.size
    everyone = np.arange(m)
    best = np.full(m, np.inf)
    arg = np.full(m, -1, dtype=np.int64)
    k0 = min(_NEIGHBOURS + 1, m)
    dist, nb = cKDTree(c, leafsize=64).query(c, k=k0, workers=-1)
    _update(everyone, nb.reshape(m, k0), dist.reshape(m, k0), w, best, arg)
    band = np.floor(np.log2(w / w.min())).astype(np.int64)
    for g in np.unique(band):
        members = np.flatnonzero(band == g)
        lightest = float(w[members].min())
        tree = cKDTree(c[members], leafsize=64)
        radius = np.sqrt(best / _gain(w, lightest))
        order = np.argsort(radius)
        parts = [p for p in np.array_split(order, 8) if p.size]
        # rows whose k nearest band members all lie within their radius may have
        # more there: ask again with more neighbours, then scan the band
        for k in (_NEIGHBOURS, 8 * _NEIGHBOURS, 64 * _NEIGHBOURS):
            k = min(k, members.size)
            pending: list[IntArray] = []
            for part in parts:
                bound = float(np.sqrt(best[part] / _gain(w[part], lightest)).max()) * (1 + 1e-9)
                workers = -1 if part.size > 5000 else 1  # threads cost more than small queries
                dist, nb = tree.query(c[part], k=k, distance_upper_bound=bound, workers=workers)
                dist = dist.reshape(part.size, k)
                nb = np.minimum(nb.reshape(part.size, k), members.size - 1)
                _update(part, members[nb], dist, w, best, arg)
                if k < members.size:
                    full = np.isfinite(dist[:, -1])
                    limit = dist[full, -1] ** 2 * _gain(w[part[full]], lightest)
                    pending.append(part[full][limit < best[part[full]]])
            parts = [p for p in pending if p.size]
            if not parts:
                break
        for part in parts:
            _scan(part, members, c, w, best, arg)
    return arg, best


def _rnn_round(
    active: IntArray,
    centroid: FloatArray,
    mass: FloatArray,
    merges: list[tuple[int, int, float]],
    n: int,
) -> IntArray:
    """Merge every pair of reciprocal Ward-nearest neighbours; return the new active ids."""
    arg, best = _nearest(active, centroid, mass)
    m = active.size
    pos = np.arange(m)
    mutual = (arg[arg] == pos) & (pos < arg)
    keep = np.ones(m, dtype=bool)
    created: list[int] = []
    for i in np.flatnonzero(mutual):
        j = int(arg[i])
        created.append(
            _merge(int(active[i]), int(active[j]), float(best[i]), centroid, mass, merges, n)
        )
        keep[i] = keep[j] = False
    return np.concatenate([active[keep], np.asarray(created, dtype=np.int64)])


def _nn_chain(
    active: IntArray,
    centroid: FloatArray,
    mass: FloatArray,
    merges: list[tuple[int, int, float]],
    n: int,
) -> None:
    """Finish the tree with a nearest-neighbour chain over the remaining clusters."""
    slots = [int(a) for a in active]
    m = len(slots)
    ids = np.array(slots, dtype=np.int64)
    c = centroid[ids].copy()
    w = mass[ids].copy()
    alive = np.ones(m, dtype=bool)
    remaining = m
    chain: list[int] = []
    while remaining > 1:
        if not chain:
            chain.append(int(np.flatnonzero(alive)[0]))
        a = chain[-1]
        diff = c - c[a]
        cost = np.einsum("ij,ij->i", diff, diff) * _gain(w[a], w)
        cost[~alive] = np.inf
        cost[a] = np.inf
        b = int(np.argmin(cost))
        if len(chain) > 1 and cost[chain[-2]] <= cost[b]:
            b = chain[-2]
        if len(chain) > 1 and b == chain[-2]:
            chain.pop()
            chain.pop()
            new = _merge(int(ids[a]), int(ids[b]), float(cost[b]), centroid, mass, merges, n)
            ids[a] = new
            c[a] = centroid[new]
            w[a] = mass[new]
            alive[b] = False
            remaining -= 1
        else:
            chain.append(b)
