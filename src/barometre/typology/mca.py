"""Weighted multiple correspondence analysis, numerically equal to FactoMineR's ``MCA``.

The MCA is the correspondence analysis of the indicator matrix Z (n rows x J
categories, Q variables) with row masses proportional to the survey weights.
It is computed from the small J x J matrix S'S rather than an n x J SVD, so a
million respondents cost one sparse product; eigenvalues and coordinates are
those of FactoMineR (``eig``, ``ind$coord``, ``var$coord``, ``contrib``,
``cos2``, ``v.test``, ``quali.sup``) up to the sign of each axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from barometre.typology._frame import (
    MISSING_LEVEL,
    CodedColumn,
    FloatArray,
    IntArray,
    as_polars,
    code_column,
    read_weights,
)
from barometre.typology.errors import ColumnError, UnknownCategoryError

# Eigenvalues below this (relative to the largest) are numerical zeros of the indicator CA.
_ZERO_EIGENVALUE = 1e-12


@dataclass(frozen=True)
class Category:
    """One category of one variable, e.g. ``activity = peu_active``."""

    variable: str
    level: str

    @property
    def label(self) -> str:
        """``variable=level``, the name used in tables."""
        return f"{self.variable}={self.level}"


@dataclass(frozen=True)
class SupplementaryCategories:
    """Supplementary categorical variables projected on the axes (FactoMineR ``quali.sup``)."""

    categories: tuple[Category, ...]
    coordinates: FloatArray
    cos2: FloatArray
    v_test: FloatArray


@dataclass(frozen=True)
class MCAResult:
    """A fitted MCA: eigenvalues, row and category results, and what projection needs."""

    columns: tuple[str, ...]
    categories: tuple[Category, ...]
    eigenvalues: FloatArray
    explained_inertia: FloatArray
    cumulative_inertia: FloatArray
    row_weights: FloatArray
    row_coordinates: FloatArray
    row_contributions: FloatArray
    row_cos2: FloatArray
    category_masses: FloatArray
    category_coordinates: FloatArray
    category_contributions: FloatArray
    category_cos2: FloatArray
    category_v_test: FloatArray
    variable_eta2: FloatArray
    supplementary: SupplementaryCategories | None
    row_codes: IntArray

    @property
    def n_components(self) -> int:
        """Number of kept axes (columns of the coordinate arrays)."""
        return int(self.row_coordinates.shape[1])

    def category_index(self, variable: str, level: str) -> int:
        """Position of a category in ``categories``."""
        try:
            return self.categories.index(Category(variable, level))
        except ValueError:
            raise UnknownCategoryError(
                f"category {level!r} of {variable!r} was not in the analysed data"
            ) from None

    def project(self, answers: Mapping[str, str | None]) -> FloatArray:
        """Coordinates of one new respondent (a supplementary row), by the transition formula."""
        q = len(self.columns)
        total = np.zeros(self.n_components)
        for variable in self.columns:
            if variable not in answers:
                raise UnknownCategoryError(f"answer to {variable!r} is missing")
            value = answers[variable]
            level = MISSING_LEVEL if value is None else str(value)
            total += self.category_coordinates[self.category_index(variable, level)]
        lam = self.eigenvalues[: self.n_components]
        return np.asarray(total / (q * np.sqrt(lam)), dtype=np.float64)


def _category_indices(coded: Sequence[CodedColumn]) -> tuple[IntArray, int]:
    """Each row's category index per variable (n x Q, numbered across variables), and J.

    The indicator matrix Z is never built: every product with it is a gather
    (Z @ A = sum over variables of A[codes]) or a weighted bincount (Z' w).
    """
    offsets = np.cumsum([0] + [len(c.levels) for c in coded])
    # column-major: every product reads one variable's codes at a time
    cols = np.empty((coded[0].codes.shape[0], len(coded)), dtype=np.int64, order="F")
    for i, c in enumerate(coded):
        cols[:, i] = c.codes + offsets[i]
    return cols, int(offsets[-1])


def _column_sums(codes: IntArray, values: FloatArray, n_cat: int) -> FloatArray:
    """Z' values: the sum of ``values`` over the rows holding each category."""
    out = np.zeros(n_cat)
    for q in range(codes.shape[1]):
        out += np.bincount(codes[:, q], weights=values, minlength=n_cat)
    return out


def _row_sums(codes: IntArray, table: FloatArray) -> FloatArray:
    """Z @ table: for each row, the sum of ``table`` over its categories."""
    out = np.zeros((codes.shape[0], *table.shape[1:]))
    for q in range(codes.shape[1]):
        out += table[codes[:, q]]
    return out


def _burt(codes: IntArray, p: FloatArray, n_cat: int) -> FloatArray:
    """Z' D_p Z, the weighted Burt table, one weighted bincount per pair of variables."""
    burt = np.zeros((n_cat, n_cat))
    n_var = codes.shape[1]
    for q in range(n_var):
        base = codes[:, q] * n_cat
        for r in range(q, n_var):
            block = np.bincount(base + codes[:, r], weights=p, minlength=n_cat * n_cat)
            block = block.reshape(n_cat, n_cat)
            burt += block if q == r else block + block.T
    return burt


def _fix_signs(vectors: FloatArray) -> FloatArray:
    """Orient each axis as FactoMineR's ``svd.triplet``: the column singular vector sums to > 0."""
    signs = np.sign(vectors.sum(axis=0))
    signs[signs == 0] = 1.0
    return np.asarray(vectors * signs, dtype=np.float64)


def mca(
    df: Any,
    columns: Sequence[str],
    weights: str | Sequence[float] | Any | None = None,
    n_components: int = 5,
    supplementary: Sequence[str] = (),
) -> MCAResult:
    """Weighted MCA of ``columns`` (FactoMineR ``MCA(X, ncp, row.w, quali.sup)``).

    ``weights`` is a column name or a vector of survey weights (default: all 1).
    A null answer is its own category ``NA`` (FactoMineR's default ``na.method``).
    """
    frame = as_polars(df)
    columns = list(columns)
    if len(columns) < 2:
        raise ColumnError(f"an MCA needs at least two active columns, got {columns}")
    if len(set(columns)) != len(columns):
        raise ColumnError(f"active columns are repeated: {columns}")
    if n_components < 1:
        raise ColumnError(f"n_components must be at least 1, got {n_components}")
    if frame.height < 2:
        raise ColumnError(f"an MCA needs at least two rows, got {frame.height}")
    w = read_weights(frame, weights)
    coded = [code_column(frame, c) for c in columns]
    q = len(coded)
    row_codes, n_cat = _category_indices(coded)
    n = row_codes.shape[0]
    categories = tuple(Category(c.name, level) for c in coded for level in c.levels)

    total_w = float(w.sum())
    p = w / total_w
    freq = _column_sums(row_codes, p, n_cat)  # weighted share of each category in its variable
    mass = freq / q
    # S = D_p^1/2 (Z/Q - 1 c') D_c^-1/2 ;  S'S = D_c^-1/2 (Z' D_p Z / Q^2 - c c') D_c^-1/2
    burt = _burt(row_codes, p, n_cat) / q**2
    inv_sqrt_mass = 1.0 / np.sqrt(mass)
    cross = (burt - np.outer(mass, mass)) * np.outer(inv_sqrt_mass, inv_sqrt_mass)
    values, vectors = np.linalg.eigh((cross + cross.T) / 2)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    # FactoMineR lists min(n - 1, J - Q) eigenvalues, numerical zeros included
    rank = min(n - 1, n_cat - q)
    eigenvalues = np.asarray(np.maximum(values[:rank], 0.0), dtype=np.float64)
    positive = int((eigenvalues > _ZERO_EIGENVALUE * max(eigenvalues[0], 1e-300)).sum())
    kept = min(n_components, positive)
    lam = eigenvalues[:kept]
    v = _fix_signs(vectors[:, :kept])

    col_coord = v * inv_sqrt_mass[:, None] * np.sqrt(lam)
    # transition formula: a row sits at the mean of its categories, divided by sqrt(lambda)
    row_coord = _row_sums(row_codes, col_coord) / q / np.sqrt(lam)
    row_dist2 = _row_sums(row_codes, 1.0 / freq) / q - 1.0
    col_dist2 = 1.0 / freq - 1.0

    explained = eigenvalues / eigenvalues.sum() * 100.0
    row_contrib = p[:, None] * row_coord**2 / lam * 100.0
    col_contrib = mass[:, None] * col_coord**2 / lam * 100.0
    with np.errstate(divide="ignore", invalid="ignore"):
        row_cos2 = np.where(row_dist2[:, None] > 0, row_coord**2 / row_dist2[:, None], 0.0)
    # a category held by everyone (a constant column) sits at the origin: cos2 and v.test 0
    spread = col_dist2 > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        col_cos2 = np.where(spread[:, None], col_coord**2 / col_dist2[:, None], 0.0)
        n_j = _column_sums(row_codes, w, n_cat)
        v_test = np.where(
            spread[:, None], col_coord * _vtest_coefficient(n_j, total_w)[:, None], 0.0
        )
    var_of_cat = np.repeat(np.arange(q), [len(c.levels) for c in coded])
    eta2 = np.zeros((q, kept))
    np.add.at(eta2, var_of_cat, col_contrib / 100.0)
    eta2 *= lam * q

    sup = None
    if supplementary:
        sup = _supplementary(frame, list(supplementary), w, row_coord, lam)
    return MCAResult(
        columns=tuple(columns),
        categories=categories,
        eigenvalues=eigenvalues,
        explained_inertia=explained,
        cumulative_inertia=np.cumsum(explained),
        row_weights=w,
        row_coordinates=row_coord,
        row_contributions=row_contrib,
        row_cos2=row_cos2,
        category_masses=mass,
        category_coordinates=col_coord,
        category_contributions=col_contrib,
        category_cos2=col_cos2,
        category_v_test=v_test,
        variable_eta2=eta2,
        supplementary=sup,
        row_codes=row_codes,
    )


def _vtest_coefficient(n_j: FloatArray, total: float) -> FloatArray:
    """FactoMineR's v.test factor sqrt(N_j (N-1)/(N-N_j)) (sqrt(N_j) when N <= 1)."""
    if total > 1:
        with np.errstate(divide="ignore"):
            return np.asarray(np.sqrt(n_j * (total - 1) / (total - n_j)), dtype=np.float64)
    return np.asarray(np.sqrt(n_j), dtype=np.float64)


def _supplementary(
    frame: Any, names: list[str], w: FloatArray, row_coord: FloatArray, lam: FloatArray
) -> SupplementaryCategories:
    """Project supplementary categories at the weighted barycentre of their rows / sqrt(lambda)."""
    coded = [code_column(frame, c) for c in names]
    codes, n_cat = _category_indices(coded)
    n_j = _column_sums(codes, w, n_cat)
    weighted = np.stack(
        [_column_sums(codes, w * row_coord[:, k], n_cat) for k in range(lam.size)], 1
    )
    coord = weighted / n_j[:, None] / np.sqrt(lam)
    total = float(w.sum())
    dist2 = total / n_j - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        cos2 = np.where(dist2[:, None] > 0, coord**2 / dist2[:, None], 0.0)
    cats = tuple(Category(c.name, level) for c in coded for level in c.levels)
    v_test = coord * _vtest_coefficient(n_j, total)[:, None]
    return SupplementaryCategories(categories=cats, coordinates=coord, cos2=cos2, v_test=v_test)
