"""The weighted MCA reproduces FactoMineR 2.7 (frozen by r/typology_reference.R)."""

from __future__ import annotations

import numpy as np
import pytest

from barometre.typology import MCAResult, mca

from ._reference import data, dims, table

CASES = ["tea", "tea_weighted", "poison", "poison_weighted"]
TOL = 1e-8


def fit(case: str) -> MCAResult:
    base = case.removesuffix("_weighted")
    frame, active, sup, w = data(base)
    return mca(frame, active, weights=w if case.endswith("_weighted") else None, supplementary=sup)


def axis_signs(result: MCAResult, case: str) -> np.ndarray:
    ref = table(f"{case}_ind_coord").to_numpy()
    return np.sign((ref * result.row_coordinates).sum(axis=0))


def category_rows(result: MCAResult, ref) -> list[int]:
    return [
        result.category_index(v, lev) for v, lev in zip(ref["variable"], ref["level"], strict=True)
    ]


@pytest.mark.parametrize("case", CASES)
def test_eigenvalues_match(case: str) -> None:
    """All non-zero eigenvalues and their percentages equal FactoMineR's eig to 1e-8."""
    result = fit(case)
    ref = table(f"{case}_eig")
    np.testing.assert_allclose(result.eigenvalues, ref["eigenvalue"].to_numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(
        result.explained_inertia, ref["percent"].to_numpy(), rtol=0, atol=1e-6
    )


@pytest.mark.parametrize("case", CASES)
def test_row_results_match(case: str) -> None:
    """Row coordinates (up to axis sign), contributions and cos2 equal FactoMineR's ind."""
    result = fit(case)
    signs = axis_signs(result, case)
    ref = table(f"{case}_ind_coord").to_numpy()
    np.testing.assert_allclose(result.row_coordinates * signs, ref, rtol=0, atol=TOL)
    np.testing.assert_allclose(
        result.row_contributions, table(f"{case}_ind_contrib").to_numpy(), atol=TOL
    )
    np.testing.assert_allclose(result.row_cos2, table(f"{case}_ind_cos2").to_numpy(), atol=TOL)


@pytest.mark.parametrize("case", CASES)
def test_axis_orientation_is_factominer_s(case: str) -> None:
    """Axes come out with FactoMineR's orientation, not merely up to sign."""
    assert (axis_signs(fit(case), case) == 1).all()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(
    ("what", "signed"),
    [("coord", True), ("contrib", False), ("cos2", False), ("vtest", True)],
)
def test_category_results_match(case: str, what: str, signed: bool) -> None:
    """Category coordinates, contributions, cos2 and v.test equal FactoMineR's var."""
    result = fit(case)
    ref = table(f"{case}_var_{what}")
    ours = {
        "coord": result.category_coordinates,
        "contrib": result.category_contributions,
        "cos2": result.category_cos2,
        "vtest": result.category_v_test,
    }[what][category_rows(result, ref)]
    signs = axis_signs(result, case) if signed else 1.0
    np.testing.assert_allclose(ours * signs, dims(ref), rtol=0, atol=TOL)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("what", "signed"), [("coord", True), ("cos2", False), ("vtest", True)])
def test_supplementary_categories_match(case: str, what: str, signed: bool) -> None:
    """Supplementary categories are projected as FactoMineR's quali.sup."""
    result = fit(case)
    assert result.supplementary is not None
    ref = table(f"{case}_sup_{what}")
    labels = [(c.variable, c.level) for c in result.supplementary.categories]
    rows = [labels.index((v, lev)) for v, lev in zip(ref["variable"], ref["level"], strict=True)]
    ours = {
        "coord": result.supplementary.coordinates,
        "cos2": result.supplementary.cos2,
        "vtest": result.supplementary.v_test,
    }[what][rows]
    signs = axis_signs(result, case) if signed else 1.0
    np.testing.assert_allclose(ours * signs, dims(ref), rtol=0, atol=TOL)


@pytest.mark.parametrize("case", ["synthetic", "synthetic_weighted"])
def test_eigenvalues_match_on_larger_file(case: str) -> None:
    """On 6000 survey-like rows the eigenvalues still equal FactoMineR's."""
    frame, active, _, w = data("synthetic")
    result = mca(frame, active, weights=w if case.endswith("_weighted") else None)
    ref = table(f"{case}_eig")["eigenvalue"].to_numpy()
    np.testing.assert_allclose(result.eigenvalues, ref, rtol=0, atol=TOL)


def test_projection_of_an_active_row_gives_its_coordinates() -> None:
    """Projecting a respondent's own answers as a new row returns that row's coordinates."""
    frame, active, _, _ = data("tea")
    result = fit("tea")
    row = frame.row(17, named=True)
    np.testing.assert_allclose(
        result.project({c: row[c] for c in active}), result.row_coordinates[17], atol=1e-12
    )
