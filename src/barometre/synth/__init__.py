"""Synthetic registry files and a synthetic wave calibrated to the 2018 study.

`sirene.write_sirene_stock` streams a SIRENE-format stock of any size (legal units,
establishments, turnover); the answer model lives in the sibling modules.
"""

from __future__ import annotations

from barometre.synth.identifiers import is_valid_siren, is_valid_siret
from barometre.synth.sirene import (
    ETABLISSEMENT_COLUMNS,
    UNITE_LEGALE_COLUMNS,
    BadRow,
    SireneFiles,
    write_sirene_stock,
)

__all__ = [
    "ETABLISSEMENT_COLUMNS",
    "UNITE_LEGALE_COLUMNS",
    "BadRow",
    "SireneFiles",
    "is_valid_siren",
    "is_valid_siret",
    "write_sirene_stock",
]
