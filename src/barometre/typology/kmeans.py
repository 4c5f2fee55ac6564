"""K-means: R's Hartigan-Wong (for HCPC consolidation) and a weighted Lloyd (for pre-clustering).

FactoMineR consolidates the Ward partition with ``kmeans(X, centers)``, R's
default Hartigan-Wong algorithm (AS 136, ``src/library/stats/src/kmns.f``).
Hartigan-Wong visits points one by one and moves centres after every
transfer, so another k-means can stop in another local optimum: to give the
same partition as FactoMineR this is a faithful port. It runs in blocks of
points: between two transfers nothing the test of a point reads changes, so a
block is tested at once with numpy and only the transfers run one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from barometre.typology._frame import FloatArray, IntArray
from barometre.typology.errors import TypologyError

_BIG = 1.0e30
_BLOCK = 512


@dataclass(frozen=True)
class KMeansResult:
    """Final cluster index (0-based) per point, centres, sizes and R's ``ifault`` code.

    ``fault`` 0: converged; 2: ``iter_max`` reached; 4: quick-transfer step limit hit.
    """

    labels: IntArray
    centers: FloatArray
    sizes: IntArray
    within_ss: FloatArray
    iterations: int
    fault: int


class _State:
    """The AS 136 working arrays (clusters 0-based; step counters 1-based as in Fortran)."""

    def __init__(self, a: FloatArray, c: FloatArray) -> None:
        self.a = a
        self.c = c
        self.m, self.k = a.shape[0], c.shape[0]
        self.ic1 = np.zeros(self.m, dtype=np.int64)
        self.ic2 = np.zeros(self.m, dtype=np.int64)
        self.nc = np.zeros(self.k, dtype=np.int64)
        self.an1 = np.zeros(self.k)
        self.an2 = np.zeros(self.k)
        self.ncp = np.zeros(self.k, dtype=np.int64)
        self.d = np.zeros(self.m)
        self.itran = np.zeros(self.k, dtype=np.int64)
        self.live = np.zeros(self.k, dtype=np.int64)
        self.indx = 0

    def dist2(self, rows: IntArray, clusters: IntArray) -> FloatArray:
        diff = self.a[rows] - self.c[clusters]
        return np.asarray((diff * diff).sum(axis=1), dtype=np.float64)

    def transfer(self, i: int, l1: int, l2: int) -> None:
        """Move point i from cluster l1 to l2, updating centres as AS 136 does."""
        al1 = float(self.nc[l1])
        alw = al1 - 1.0
        al2 = float(self.nc[l2])
        alt = al2 + 1.0
        self.c[l1] = (self.c[l1] * al1 - self.a[i]) / alw
        self.c[l2] = (self.c[l2] * al2 + self.a[i]) / alt
        self.nc[l1] -= 1
        self.nc[l2] += 1
        self.an2[l1] = alw / al1
        self.an1[l1] = alw / (alw - 1.0) if alw > 1.0 else _BIG
        self.an1[l2] = alt / al2
        self.an2[l2] = alt / (alt + 1.0)
        self.ic1[i] = l2
        self.ic2[i] = l1


def hartigan_wong(x: FloatArray, centers: FloatArray, iter_max: int = 10) -> KMeansResult:
    """R's ``kmeans(x, centers, iter.max, algorithm="Hartigan-Wong")``, same result."""
    a = np.ascontiguousarray(x, dtype=np.float64)
    c = np.array(centers, dtype=np.float64)
    m, k = a.shape[0], c.shape[0]
    if k < 2 or k >= m:
        raise TypologyError(f"Hartigan-Wong needs 2 <= k < n points, got k={k}, n={m}")
    if np.unique(c, axis=0).shape[0] != k:
        raise TypologyError("initial centers are not distinct")
    s = _State(a, c)
    _initial_assignment(s)
    for l in range(k):  # noqa: E741 - the Fortran's name for a cluster index
        if s.nc[l] == 0:
            raise TypologyError("empty cluster: try a better set of initial centers")
    s.c = np.zeros_like(c)
    np.add.at(s.c, s.ic1, a)
    aa = s.nc.astype(np.float64)
    s.c /= aa[:, None]
    s.an2 = aa / (aa + 1.0)
    s.an1 = np.where(aa > 1.0, aa / np.maximum(aa - 1.0, 1.0), _BIG)
    s.itran[:] = 1
    s.ncp[:] = -1
    max_qtran = min(np.iinfo(np.int32).max, 50 * m)  # R's isteps.Qtran
    fault = 2
    iterations = iter_max
    for ij in range(1, iter_max + 1):
        _optra(s)
        if s.indx == m:
            fault, iterations = 0, ij
            break
        if not _qtran(s, max_qtran):
            fault, iterations = 4, ij
            break
        if k == 2:
            fault, iterations = 0, ij
            break
        s.ncp[:] = 0
    centers_out = np.zeros_like(c)
    np.add.at(centers_out, s.ic1, a)
    centers_out /= s.nc[:, None].astype(np.float64)
    resid = a - centers_out[s.ic1]
    wss = np.zeros(k)
    np.add.at(wss, s.ic1, (resid * resid).sum(axis=1))
    return KMeansResult(
        labels=s.ic1.copy(),
        centers=centers_out,
        sizes=s.nc.copy(),
        within_ss=wss,
        iterations=iterations,
        fault=fault,
    )


def _initial_assignment(s: _State) -> None:
    """Closest and second-closest centre of each point, with AS 136's tie rules."""
    dist = ((s.a[:, None, :] - s.c[None, :, :]) ** 2).sum(axis=2)
    dt1, dt2 = dist[:, 0].copy(), dist[:, 1].copy()
    ic1 = np.zeros(s.m, dtype=np.int64)
    ic2 = np.ones(s.m, dtype=np.int64)
    swap = dt1 > dt2
    ic1[swap], ic2[swap] = 1, 0
    dt1[swap], dt2[swap] = dist[swap, 1], dist[swap, 0]
    for l in range(2, s.k):  # noqa: E741 - the Fortran's name for a cluster index
        db = dist[:, l]
        considered = db < dt2
        second = considered & (db >= dt1)
        first = considered & (db < dt1)
        dt2[second] = db[second]
        ic2[second] = l
        dt2[first] = dt1[first]
        ic2[first] = ic1[first]
        dt1[first] = db[first]
        ic1[first] = l
    s.ic1, s.ic2 = ic1, ic2
    s.nc = np.bincount(ic1, minlength=s.k).astype(np.int64)


def _optra(s: _State) -> None:
    """Optimal-transfer stage (AS 136.1): one pass, each point to its best cluster."""
    m = s.m
    s.live[s.itran == 1] = m + 1
    i = 0
    while i < m:
        rows = np.arange(i, min(i + _BLOCK, m))
        step = rows + 1  # Fortran's I
        l1 = s.ic1[rows]
        ll = s.ic2[rows]
        single = s.nc[l1] == 1
        recompute = s.ncp[l1] != 0
        d_new = np.where(recompute, s.dist2(rows, l1) * s.an1[l1], s.d[rows])
        r2 = s.dist2(rows, ll) * s.an2[ll]
        l2 = ll.copy()
        all_d = ((s.a[rows][:, None, :] - s.c[None, :, :]) ** 2).sum(axis=2)
        out_l1 = step >= s.live[l1]
        for l in range(s.k):  # noqa: E741 - the Fortran's name for a cluster index
            skip = (out_l1 & (step >= s.live[l])) | (l1 == l) | (ll == l)
            take = ~skip & (all_d[:, l] < r2 / s.an2[l])
            r2 = np.where(take, all_d[:, l] * s.an2[l], r2)
            l2 = np.where(take, l, l2)
        moves = ~single & (r2 < d_new)
        first_move = int(np.argmax(moves)) if moves.any() else rows.size
        stop = m - s.indx - 1  # position where INDX would reach M without a transfer
        if stop < first_move and stop < rows.size:
            _keep(s, rows[: stop + 1], single[: stop + 1], d_new[: stop + 1], l2[: stop + 1])
            s.indx = m
            return
        upto = min(first_move, rows.size)
        _keep(s, rows[:upto], single[:upto], d_new[:upto], l2[:upto])
        if first_move < rows.size:
            p = int(rows[first_move])
            s.d[p] = d_new[first_move]
            a1, a2 = int(l1[first_move]), int(l2[first_move])
            s.indx = 0
            s.live[a1] = s.live[a2] = m + p + 1
            s.ncp[a1] = s.ncp[a2] = p + 1
            s.transfer(p, a1, a2)
            i = p + 1
        else:
            s.indx += rows.size
            i = int(rows[-1]) + 1
    s.itran[:] = 0
    s.live -= m


def _keep(
    s: _State, rows: IntArray, single: npt.NDArray[np.bool_], d_new: FloatArray, l2: IntArray
) -> None:
    """Points that stay: store their distance to their cluster and their new runner-up."""
    upd = ~single
    s.d[rows[upd]] = d_new[upd]
    s.ic2[rows[upd]] = l2[upd]


def _qtran(s: _State, max_steps: int) -> bool:
    """Quick-transfer stage (AS 136.2); False when R's step limit is hit."""
    m = s.m
    icoun = 0
    istep = 0
    i = 0
    while True:
        rows = np.arange(i, min(i + _BLOCK, m))
        steps = istep + 1 + np.arange(rows.size)
        l1 = s.ic1[rows]
        l2 = s.ic2[rows]
        single = s.nc[l1] == 1
        recompute = ~single & (steps <= s.ncp[l1])
        d_now = np.where(recompute, s.dist2(rows, l1) * s.an1[l1], s.d[rows])
        test = ~single & ((steps < s.ncp[l1]) | (steps < s.ncp[l2]))
        moves = test & (s.dist2(rows, l2) < d_now / s.an2[l2])
        first_move = int(np.argmax(moves)) if moves.any() else rows.size
        limit = max_steps - istep - 1  # position where ISTEP reaches the limit (checked first)
        stop = m - icoun - 1  # position where ICOUN would reach M
        if limit <= first_move and limit <= stop and limit < rows.size:
            s.d[rows[:limit]] = d_now[:limit]
            return False
        if stop < first_move and stop < rows.size:
            s.d[rows[: stop + 1]] = d_now[: stop + 1]
            return True
        upto = min(first_move, rows.size)
        s.d[rows[:upto]] = d_now[:upto]
        if first_move < rows.size:
            p = int(rows[first_move])
            s.d[p] = d_now[first_move]
            istep = int(steps[first_move])
            a1, a2 = int(l1[first_move]), int(l2[first_move])
            icoun = 0
            s.indx = 0
            s.itran[a1] = s.itran[a2] = 1
            s.ncp[a1] = s.ncp[a2] = istep + m
            s.transfer(p, a1, a2)
            i = p + 1
        else:
            istep += rows.size
            icoun += rows.size
            i = int(rows[-1]) + 1
        if i >= m:
            i = 0


def weighted_lloyd(
    x: FloatArray, weights: FloatArray, k: int, seed: int = 0, iter_max: int = 20
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Weighted k-means for pre-clustering: labels, centres (weighted means) and masses.

    Used only to pre-cluster very large files before Ward (FactoMineR's ``kk``,
    whose k-means is itself randomly started, so R cannot be matched here).
    k-means++ seeding (on 10 points per centre) and Lloyd iterations run on a
    weighted sample of 50 points per centre; every point is then assigned to
    its nearest centre (k-d tree) and the centres recomputed as weighted means.
    """
    rng = np.random.default_rng(seed)
    m = x.shape[0]
    k = min(k, m)
    size = min(m, 50 * k)
    sample = rng.choice(m, size=size, replace=False, p=weights / weights.sum())
    xs = x[sample]
    ws = weights[sample]
    # k-means++ seeding on the first 10 sampled points per centre (the sample is random)
    seeds = xs[: min(size, 10 * k)]
    centers = np.empty((k, x.shape[1]))
    centers[0] = seeds[0]
    closest = ((seeds - centers[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        total = closest.sum()
        pick = rng.choice(seeds.shape[0], p=closest / total) if total > 0 else j
        centers[j] = seeds[pick]
        closest = np.minimum(closest, ((seeds - centers[j]) ** 2).sum(axis=1))
    previous = np.full(size, -1, dtype=np.int64)
    for _ in range(iter_max):
        _, found = cKDTree(centers).query(xs, k=1, workers=-1)
        labels_s = np.asarray(found, dtype=np.int64)
        _weighted_means(xs, ws, labels_s, centers)
        if np.array_equal(labels_s, previous):
            break
        previous = labels_s
    _, found = cKDTree(centers).query(x, k=1, workers=-1)
    labels = np.asarray(found, dtype=np.int64)
    _weighted_means(x, weights, labels, centers)
    used = np.unique(labels)
    remap = np.full(k, -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    final_mass: FloatArray = np.bincount(labels, weights=weights, minlength=k).astype(np.float64)
    return remap[labels], centers[used], final_mass[used]


def _weighted_means(x: FloatArray, w: FloatArray, labels: IntArray, centers: FloatArray) -> None:
    """Move each non-empty centre to the weighted mean of its points (in place)."""
    k = centers.shape[0]
    mass = np.bincount(labels, weights=w, minlength=k)
    filled = mass > 0
    for dim in range(x.shape[1]):
        sums = np.bincount(labels, weights=w * x[:, dim], minlength=k)
        centers[filled, dim] = sums[filled] / mass[filled]
