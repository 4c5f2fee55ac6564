"""A fitted exploratory typology reduced to what placing one new respondent needs.

The web app never recomputes a wave's analysis per request: a wave's MCA and
clusters are fitted once, reduced to a :class:`ClusterModel` (category
coordinates, eigenvalues, cluster centres), stored as plain data
(:meth:`ClusterModel.to_dict`), and loaded again to place a company.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from barometre.typology._frame import MISSING_LEVEL, FloatArray
from barometre.typology.errors import TypologyError, UnknownCategoryError
from barometre.typology.hcpc import HCPCResult


@dataclass(frozen=True)
class ClusterModel:
    """Category coordinates, axis eigenvalues and cluster centres of a fitted typology."""

    columns: tuple[str, ...]
    levels: tuple[tuple[str, ...], ...]
    category_coordinates: FloatArray
    eigenvalues: FloatArray
    centers: FloatArray

    @property
    def n_clusters(self) -> int:
        """Number of clusters."""
        return int(self.centers.shape[0])

    def coordinates(self, answers: Mapping[str, str | None]) -> FloatArray:
        """A new respondent's coordinates: mean of its categories' coordinates / sqrt(lambda)."""
        total = np.zeros(self.category_coordinates.shape[1])
        start = 0
        for column, levels in zip(self.columns, self.levels, strict=True):
            if column not in answers:
                raise UnknownCategoryError(f"answer to {column!r} is missing")
            value = answers[column]
            level = MISSING_LEVEL if value is None else str(value)
            if level not in levels:
                raise UnknownCategoryError(
                    f"category {level!r} of {column!r} was not in the analysed data"
                )
            total += self.category_coordinates[start + levels.index(level)]
            start += len(levels)
        return np.asarray(total / (len(self.columns) * np.sqrt(self.eigenvalues)), dtype=float)

    def assign(self, answers: Mapping[str, str | None]) -> int:
        """Cluster (1..k) whose centre is nearest to the new respondent."""
        point = self.coordinates(answers)
        return int(np.argmin(((self.centers - point) ** 2).sum(axis=1))) + 1

    def to_dict(self) -> dict[str, Any]:
        """Plain lists and strings, ready for JSON."""
        return {
            "columns": list(self.columns),
            "levels": [list(lv) for lv in self.levels],
            "category_coordinates": self.category_coordinates.tolist(),
            "eigenvalues": self.eigenvalues.tolist(),
            "centers": self.centers.tolist(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClusterModel:
        """Rebuild a model written by :meth:`to_dict`."""
        try:
            model = cls(
                columns=tuple(str(c) for c in data["columns"]),
                levels=tuple(tuple(str(v) for v in lv) for lv in data["levels"]),
                category_coordinates=np.asarray(data["category_coordinates"], dtype=float),
                eigenvalues=np.asarray(data["eigenvalues"], dtype=float),
                centers=np.asarray(data["centers"], dtype=float),
            )
        except KeyError as exc:
            raise TypologyError(f"cluster model lacks {exc.args[0]!r}") from None
        n_cat = sum(len(lv) for lv in model.levels)
        dims = model.eigenvalues.size
        if model.category_coordinates.shape != (n_cat, dims) or model.centers.shape[1:] != (dims,):
            raise TypologyError(
                f"cluster model shapes disagree: {n_cat} categories x {dims} axes expected"
            )
        return model


def cluster_model(clusters: HCPCResult) -> ClusterModel:
    """Reduce a fitted MCA + HCPC to the data needed to place new respondents."""
    result = clusters.mca
    levels = tuple(
        tuple(c.level for c in result.categories if c.variable == name) for name in result.columns
    )
    return ClusterModel(
        columns=result.columns,
        levels=levels,
        category_coordinates=result.category_coordinates.copy(),
        eigenvalues=result.eigenvalues[: result.n_components].copy(),
        centers=clusters.centers.copy(),
    )
