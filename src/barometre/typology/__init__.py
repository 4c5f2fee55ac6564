"""Typology: the 2x2 rule typology, weighted MCA, HCPC clustering, drivers of activity."""

from barometre.typology.errors import (
    ColumnError,
    TypologyDefinitionError,
    TypologyError,
    UnknownCategoryError,
    WeightError,
)
from barometre.typology.hcpc import HCPCResult, hcpc
from barometre.typology.mca import Category, MCAResult, SupplementaryCategories, mca

__all__ = [
    "Category",
    "ColumnError",
    "HCPCResult",
    "MCAResult",
    "SupplementaryCategories",
    "TypologyDefinitionError",
    "TypologyError",
    "UnknownCategoryError",
    "WeightError",
    "hcpc",
    "mca",
]
