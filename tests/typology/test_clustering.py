"""Ward without a distance matrix, pre-clustering, input errors and the contract shapes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy.cluster.hierarchy import fcluster, linkage

from barometre.typology import ColumnError, WeightError, hcpc, mca
from barometre.typology.ward import ward_tree

from ._reference import data


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@pytest.mark.parametrize("n", [300, 5000])
def test_ward_equals_scipy_on_unweighted_points(n: int) -> None:
    """Unit weights: heights are scipy's ward heights d^2/(2n), partitions are the same."""
    rng = np.random.default_rng(n)
    points = rng.normal(size=(n, 3)) + rng.integers(0, 4, size=(n, 1))
    tree = ward_tree(points, np.ones(n))
    ref = linkage(points, method="ward")
    np.testing.assert_allclose(tree.heights, np.sort(ref[:, 2]) ** 2 / 2 / n, rtol=1e-9)
    for k in (2, 3, 5, 9):
        assert same_partition(tree.cut(k), fcluster(ref, k, criterion="maxclust"))


def test_weighted_point_equals_its_repeated_copies() -> None:
    """A point of weight 3 clusters as three identical unit points would."""
    rng = np.random.default_rng(5)
    points = rng.normal(size=(40, 2))
    weights = rng.integers(1, 4, size=40).astype(float)
    repeated = np.repeat(points, weights.astype(int), axis=0)
    a = ward_tree(points, weights)
    b = ward_tree(repeated, np.ones(len(repeated)))
    np.testing.assert_allclose(a.heights[::-1][:30], b.heights[::-1][:30], rtol=1e-9)
    for k in (2, 4, 6):
        assert same_partition(np.repeat(a.cut(k), weights.astype(int)), b.cut(k))


def between_share(coords: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> float:
    """Share of the weighted inertia between clusters (the quality of a partition)."""
    centre = np.average(coords, axis=0, weights=weights)
    total = float((weights * ((coords - centre) ** 2).sum(axis=1)).sum())
    between = 0.0
    for c in np.unique(labels):
        inside = labels == c
        mean = np.average(coords[inside], axis=0, weights=weights[inside])
        between += float(weights[inside].sum() * ((mean - centre) ** 2).sum())
    return between / total


def test_pre_clustering_mode_keeps_the_partition_quality() -> None:
    """FactoMineR kk-style pre-clustering: same k, labels 1..k, as much inertia explained."""
    frame, active, _, w = data("synthetic")
    result = mca(frame, active, weights=w)
    exact = hcpc(result, consolidate=False)
    fast = hcpc(result, pre_clusters=300)
    assert fast.n_clusters == exact.n_clusters
    assert fast.consolidated is False
    assert set(fast.labels.tolist()) == set(range(1, fast.n_clusters + 1))
    coords = result.row_coordinates
    assert between_share(coords, w, fast.labels) > 0.95 * between_share(coords, w, exact.labels)


def test_pandas_input_gives_the_same_mca() -> None:
    """A pandas frame is accepted and gives the same eigenvalues as polars."""
    frame, active, _, w = data("poison")
    a = mca(frame, active, weights=w)
    b = mca(frame.to_pandas(), active, weights=pd.Series(w))
    np.testing.assert_allclose(a.eigenvalues, b.eigenvalues, atol=1e-14)


def test_total_inertia_and_eigenvalue_count() -> None:
    """All J - Q eigenvalues are returned and sum to J/Q - 1, nulls forming their own category."""
    frame = pl.DataFrame(
        {
            "a": ["x", "y", "z", None, "x", "y"] * 5,
            "b": ["u", "v", "u", "v", "v", "u", "u"] * 4 + ["v", "u"],
            "c": ["p", "q", "r", "p", "s"] * 6,
        }
    )
    result = mca(frame, ["a", "b", "c"], n_components=2)
    n_levels = 4 + 2 + 4
    assert result.eigenvalues.size == n_levels - 3
    assert result.eigenvalues.sum() == pytest.approx(n_levels / 3 - 1)
    assert result.row_coordinates.shape == (30, 2)
    assert ("a", "NA") in [(c.variable, c.level) for c in result.categories]


def test_constant_column_does_not_break_the_analysis() -> None:
    """A question everyone answered the same way adds no axis and gets zero cos2 and v.test."""
    frame = pl.DataFrame(
        {"a": ["x", "y", "z", "x", "y"] * 4, "b": ["u", "v"] * 10, "c": ["k"] * 20}
    )
    result = mca(frame, ["a", "b", "c"])
    assert result.eigenvalues.size == (3 + 2 + 1) - 3
    constant = result.category_index("c", "k")
    assert np.all(result.category_cos2[constant] == 0)
    assert np.all(result.category_v_test[constant] == 0)
    assert np.all(np.isfinite(result.row_coordinates))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"columns": ["a"]}, ColumnError, "at least two"),
        ({"columns": ["a", "zz"]}, ColumnError, "'zz'"),
        ({"columns": ["a", "b"], "weights": "nope"}, WeightError, "'nope'"),
        ({"columns": ["a", "b"], "weights": [1.0, -1.0, 1.0]}, WeightError, "row 1"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs: dict, error: type, message: str) -> None:
    """Too few columns, unknown columns and bad weights raise errors naming the problem."""
    frame = pl.DataFrame({"a": ["x", "y", "x"], "b": ["u", "u", "v"]})
    with pytest.raises(error, match=message):
        mca(frame, **kwargs)
