"""A synthetic SIRENE registry to try the whole workflow on: INSEE's files, INSEE's quirks.

`barometre.synth` writes the stock (StockUniteLegale, StockEtablissement, financial data);
this adds what the real stock has and a team must handle: non-diffusible units
(`statutDiffusion* = P`, identity and address withheld as "[ND]"), head offices at a CEDEX
address with a post-office box, and a contacts file (SIREN, e-mail, person's name) for the
sample's e-mails. The same seed gives the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from barometre.campaign import sirene as s
from barometre.synth.sirene import SireneFiles, write_sirene_stock

ND = s.WITHHELD
_UL_WITHHELD = (
    "denominationUniteLegale", "denominationUsuelle1UniteLegale", "nomUniteLegale",
    "nomUsageUniteLegale", "prenom1UniteLegale", "prenomUsuelUniteLegale", "sigleUniteLegale",
)  # fmt: skip
_ET_WITHHELD = (
    "complementAdresseEtablissement", "numeroVoieEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "distributionSpecialeEtablissement",
)  # fmt: skip
_FIRST = ("Marie", "Paul", "Claire", "Karim", "Sophie", "Jean", "Nadia", "Luc")
_LAST = ("Durand", "Martin", "Bernard", "Petit", "Moreau", "Lefèvre", "Garcia", "Roux")


@dataclass(frozen=True, slots=True)
class SyntheticRegistry:
    """The files written and how many units carry each quirk."""

    files: SireneFiles
    contacts: Path
    non_diffusible: int
    cedex: int
    contacts_written: int


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def _write(frame: pl.DataFrame, path: Path) -> None:
    # As INSEE writes them: comma-separated, quoted only when needed, empty for missing.
    frame.write_csv(path, null_value="")


def write_synthetic_registry(
    directory: Path,
    n_units: int,
    seed: int = 1,
    *,
    non_diffusible_share: float = 0.02,
    cedex_share: float = 0.03,
) -> SyntheticRegistry:
    """Write a SIRENE stock of `n_units` legal units with INSEE's quirks, and a contacts file."""
    directory.mkdir(parents=True, exist_ok=True)
    files = write_sirene_stock(directory, n_units, seed)
    assert files.etablissements is not None
    rng = np.random.default_rng(seed + 7919)
    units = _read(files.unites_legales)
    hidden = rng.random(units.height) < non_diffusible_share
    hidden_sirens = set(units.filter(pl.Series(hidden))["siren"])
    is_hidden = pl.col("siren").is_in(hidden_sirens)
    units = units.with_columns(
        pl.when(is_hidden).then(pl.lit(s.NOT_DIFFUSED))
        .otherwise(pl.col(s.UL_DIFFUSION)).alias(s.UL_DIFFUSION),
        *(pl.when(is_hidden & pl.col(c).is_not_null()).then(pl.lit(ND)).otherwise(pl.col(c))
          .alias(c) for c in _UL_WITHHELD if c in units.columns),
    )  # fmt: skip
    _write(units, files.unites_legales)

    offices = _read(files.etablissements)
    cedex = pl.Series(rng.random(offices.height) < cedex_share) & ~offices["siren"].is_in(
        hidden_sirens
    )
    box = pl.Series(rng.integers(1, 9999, offices.height)).cast(pl.String)
    office_number = pl.Series(rng.integers(1, 10, offices.height)).cast(pl.String)
    offices = offices.with_columns(
        pl.when(is_hidden).then(pl.lit(s.NOT_DIFFUSED))
        .otherwise(pl.col(s.ET_DIFFUSION)).alias(s.ET_DIFFUSION),
        *(pl.when(is_hidden).then(pl.lit(ND)).otherwise(pl.col(c)).alias(c)
          for c in _ET_WITHHELD if c in offices.columns),
    ).with_columns(
        # A CEDEX: a code of the département's sorting office and "CITY CEDEX nn".
        pl.when(cedex).then(pl.col(s.ET_POSTCODE).str.slice(0, 2) + pl.lit("9")
                            + pl.col(s.ET_POSTCODE).str.slice(3, 2))
        .otherwise(pl.col(s.ET_CEDEX_CODE)).alias(s.ET_CEDEX_CODE),
        pl.when(cedex).then(pl.col(s.ET_CITY) + pl.lit(" CEDEX ") + office_number)
        .otherwise(pl.col(s.ET_CEDEX)).alias(s.ET_CEDEX),
        pl.when(cedex).then(pl.lit("BP ") + box)
        .otherwise(pl.col(s.ET_SPECIAL_DELIVERY)).alias(s.ET_SPECIAL_DELIVERY),
    )  # fmt: skip
    _write(offices, files.etablissements)

    shown = units.filter(~is_hidden)
    first = rng.choice(_FIRST, shown.height)
    last = rng.choice(_LAST, shown.height)
    civility = rng.choice(["Madame", "Monsieur", ""], shown.height)
    names = [
        " ".join(p for p in (c, f, n) if p) for c, f, n in zip(civility, first, last, strict=True)
    ]
    contacts = shown.select(
        "siren",
        email=pl.format("dirigeant.{}@example.org", "siren"),
        person_name=pl.Series(names),
    )
    contacts_path = directory / "contacts.csv"
    contacts.write_csv(contacts_path)
    return SyntheticRegistry(
        files=files,
        contacts=contacts_path,
        non_diffusible=len(hidden_sirens),
        cedex=int(cedex.sum()),
        contacts_written=contacts.height,
    )
