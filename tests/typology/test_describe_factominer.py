"""Cluster descriptions equal FactoMineR's catdes v.test and HCPC paragons (frozen by R)."""

from __future__ import annotations

import numpy as np
import pytest

from barometre.typology import hcpc, mca
from barometre.typology.describe import describe_clusters

from ._reference import data, table

CASES = ["tea", "tea_weighted", "poison", "poison_weighted"]


def describe(case: str):
    base = case.removesuffix("_weighted")
    frame, active, sup, w = data(base)
    clusters = hcpc(mca(frame, active, weights=w if case.endswith("_weighted") else None))
    return describe_clusters(clusters, frame, supplementary=sup)


@pytest.mark.parametrize("case", CASES)
def test_characteristic_categories_match_catdes(case: str) -> None:
    """Each cluster's significant categories, shares, p-values and v.tests equal catdes'."""
    ref = table(f"{case}_hcpc_categories")
    for desc in describe(case):
        expected = ref.filter(ref["cluster"] == desc.cluster)
        ours = {f"{c.variable}={c.level}": c for c in desc.categories}
        assert set(ours) == set(expected["label"].to_list())
        for row in expected.iter_rows(named=True):
            cat = ours[row["label"]]
            assert cat.v_test == pytest.approx(row["v_test"], abs=1e-8)
            assert cat.p_value == pytest.approx(row["p_value"], rel=1e-8, abs=1e-300)
            assert cat.cla_mod == pytest.approx(row["cla_mod"], abs=1e-8)
            assert cat.mod_cla == pytest.approx(row["mod_cla"], abs=1e-8)
            assert cat.global_share == pytest.approx(row["global"], abs=1e-8)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", ["paragons", "specific"])
def test_typical_respondents_match_hcpc(case: str, kind: str) -> None:
    """Paragons (closest to the centre) and specific respondents equal HCPC's desc.ind."""
    ref = table(f"{case}_hcpc_{kind}")
    for desc in describe(case):
        expected = ref.filter(ref["cluster"] == desc.cluster)
        rows = desc.paragons if kind == "paragons" else desc.specific
        dists = desc.paragon_distances if kind == "paragons" else desc.specific_distances
        ref_dist = expected["distance"].to_numpy()
        np.testing.assert_allclose(dists, ref_dist, atol=1e-8)
        # identical respondents tie exactly; R breaks ties by rounding noise, so compare
        # the rows up to ties: each of ours is one of R's or at a distance R lists
        for row, dist in zip(rows, dists, strict=True):
            assert (
                row + 1 in expected["row"].to_list() or np.isclose(dist, ref_dist, atol=1e-8).any()
            )
