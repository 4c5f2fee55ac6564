"""HCPC chooses FactoMineR's number of clusters and the same partition (frozen by R)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from barometre.typology import ClusterModel, cluster_model, hcpc, mca
from barometre.typology.kmeans import hartigan_wong

from ._reference import data, table

CASES = ["tea", "tea_weighted", "poison", "poison_weighted"]


def fit(case: str):
    base = case.removesuffix("_weighted")
    frame, active, _, w = data(base)
    return mca(frame, active, weights=w if case.endswith("_weighted") else None)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("consolidate", [True, False])
def test_partition_and_k_match(case: str, consolidate: bool) -> None:
    """k by the inertia-gain rule and the partition (labels too) equal FactoMineR's HCPC."""
    result = hcpc(fit(case), consolidate=consolidate)
    assert result.n_clusters == table(f"{case}_hcpc_k")["k"][0]
    expected = table(f"{case}_hcpc_partition")["consolidated" if consolidate else "ward"].to_numpy()
    np.testing.assert_array_equal(result.labels, expected)


@pytest.mark.parametrize("case", CASES)
def test_inertia_gains_match(case: str) -> None:
    """The largest inertia gains of the Ward tree equal FactoMineR's inert.gain."""
    result = hcpc(fit(case), consolidate=False)
    ref = table(f"{case}_hcpc_gain")["inertia_gain"].to_numpy()
    np.testing.assert_allclose(result.inertia_gain[: ref.size], ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_forced_number_of_clusters(case: str) -> None:
    """A requested k=4 cuts the tree where FactoMineR's nb.clust=4 cuts it."""
    result = hcpc(fit(case), n_clusters=4, consolidate=False)
    assert result.n_clusters == 4
    np.testing.assert_array_equal(
        result.labels, table(f"{case}_hcpc_partition4")["ward4"].to_numpy()
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", ["synthetic", "synthetic_weighted"])
@pytest.mark.parametrize("consolidate", [True, False])
def test_partition_matches_on_larger_file(case: str, consolidate: bool) -> None:
    """Over 4000 distinct profiles (k-d tree Ward rounds), the partition is still FactoMineR's."""
    frame, active, _, w = data("synthetic")
    result = hcpc(
        mca(frame, active, weights=w if case.endswith("_weighted") else None),
        consolidate=consolidate,
    )
    assert result.n_clusters == table(f"{case}_hcpc_k")["k"][0]
    expected = table(f"{case}_hcpc_partition")["consolidated" if consolidate else "ward"].to_numpy()
    np.testing.assert_array_equal(result.labels, expected)
    gains = table(f"{case}_hcpc_gain")["inertia_gain"].to_numpy()
    np.testing.assert_allclose(result.inertia_gain[:15], gains, rtol=0, atol=1e-12)


def test_hartigan_wong_matches_r_kmeans() -> None:
    """The Hartigan-Wong port gives R kmeans' clusters and iteration count."""
    x = table("kmeans_x").to_numpy().astype(float)
    centers = table("kmeans_centers").to_numpy().astype(float)
    ref = table("kmeans_result")
    result = hartigan_wong(x, centers, iter_max=10)
    np.testing.assert_array_equal(result.labels + 1, ref["cluster"].to_numpy())
    assert result.iterations == ref["iter"][0]
    assert result.fault == ref["ifault"][0]


def test_new_respondent_goes_to_nearest_cluster() -> None:
    """An active respondent re-assigned as a new one lands in its consolidated cluster."""
    frame, active, _, _ = data("tea")
    clusters = hcpc(fit("tea"))
    for i in (0, 50, 299):
        row = frame.row(i, named=True)
        assert clusters.assign({c: row[c] for c in active}) == clusters.labels[i]


def test_stored_cluster_model_places_respondents_like_the_fit() -> None:
    """A cluster model written to JSON and read back assigns as the fitted HCPC does."""
    frame, active, _, _ = data("tea")
    clusters = hcpc(fit("tea"))
    model = ClusterModel.from_dict(json.loads(json.dumps(cluster_model(clusters).to_dict())))
    assert model.n_clusters == clusters.n_clusters
    for i in (0, 7, 150, 299):
        row = frame.row(i, named=True)
        answers = {c: row[c] for c in active}
        assert model.assign(answers) == clusters.assign(answers)
        np.testing.assert_allclose(
            model.coordinates(answers), clusters.mca.row_coordinates[i], atol=1e-12
        )
