"""Write synthetic registry files in INSEE's SIRENE stock format, block by block.

Three files land in a directory: `StockUniteLegale_utf8.csv` (legal units),
`StockEtablissement_utf8.csv` (establishments, the head office and a few others) and
`financials.csv` (siren, turnover in euros, for units that filed accounts). The column
names and their order are INSEE's (layout of the monthly stock files published on
data.gouv.fr since 2025, which added the NAF 2025 column, left empty here).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import polars as pl

from barometre.synth.frame import BLOCK_SIZE, draw_units, unit_blocks
from barometre.synth.identifiers import nics_for

UNITE_LEGALE_FILE = "StockUniteLegale_utf8.csv"
ETABLISSEMENT_FILE = "StockEtablissement_utf8.csv"
FINANCIALS_FILE = "financials.csv"

UNITE_LEGALE_COLUMNS: tuple[str, ...] = (
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
    "activitePrincipaleNAF25UniteLegale",
)

ETABLISSEMENT_COLUMNS: tuple[str, ...] = (
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
    "activitePrincipaleNAF25Etablissement",
)

FINANCIAL_COLUMNS: tuple[str, ...] = ("siren", "turnover")

BAD_ROW_KINDS: tuple[str, ...] = ("checksum", "unknown_code", "quoting")
"""Kinds of deliberately broken legal-unit rows: a SIREN failing its Luhn check, a
code outside INSEE's lists (headcount `XX`, activity `99.99X` or state `X`), and a
field with unescaped inner quotes (`"SOCIETE "LES QUOTES" MAL FERMEES`)."""

_QUOTING_SENTINEL = "@@BROKEN-QUOTING@@"
_BROKEN_FIELD = '"SOCIETE "LES QUOTES" MAL FERMEES'
_UNKNOWN_CODES: tuple[tuple[str, str], ...] = (
    ("tranche", "XX"),
    ("naf", "99.99X"),
    ("state", "X"),
)


@dataclass(frozen=True)
class BadRow:
    """A deliberately broken row of the legal-unit file (line 1 is the header)."""

    line: int
    kind: str
    siren: str


@dataclass(frozen=True)
class SireneFiles:
    """The registry files written, with their row counts and the injected bad rows."""

    directory: Path
    unites_legales: Path
    etablissements: Path | None
    financials: Path | None
    n_units: int
    n_establishments: int
    n_financials: int
    bad_rows: tuple[BadRow, ...]


def _null() -> pl.Expr:
    return pl.lit(None, dtype=pl.Utf8)


def _processing_date(seed_col: str) -> pl.Expr:
    # A last-processing timestamp in 2024, spread by the unit number (deterministic).
    day = (pl.col(seed_col) * 7919 % 365).cast(pl.Int64)
    seconds = (pl.col(seed_col) * 104_729 % 86_400).cast(pl.Int64)
    stamp = pl.datetime(2024, 1, 1) + pl.duration(days=day, seconds=seconds)
    return stamp.dt.strftime("%Y-%m-%dT%H:%M:%S")


def unites_legales(units: pl.DataFrame) -> pl.DataFrame:
    """Legal-unit rows (INSEE columns, all text) for units drawn by `frame.draw_units`."""
    nic_siege = pl.Series(
        nics_for(units["siren"].cast(pl.Int64).to_numpy(), np.ones(units.height, dtype=np.int64))
    )
    trader = pl.col("sole_trader")
    has_staff = ~pl.col("tranche").is_in(["NN", "00"])
    rows = units.with_columns(nic_siege=nic_siege.cast(pl.Utf8).str.zfill(5)).select(
        siren=pl.col("siren"),
        statutDiffusionUniteLegale=pl.lit("O"),
        unitePurgeeUniteLegale=_null(),
        dateCreationUniteLegale=pl.col("creation_date"),
        sigleUniteLegale=_null(),
        sexeUniteLegale=pl.when(trader)
        .then(pl.when(pl.col("unit_index") % 2 == 0).then(pl.lit("M")).otherwise(pl.lit("F")))
        .otherwise(_null()),
        prenom1UniteLegale=pl.when(trader)
        .then(
            pl.when(pl.col("unit_index") % 2 == 0).then(pl.lit("JEAN")).otherwise(pl.lit("MARIE"))
        )
        .otherwise(_null()),
        prenom2UniteLegale=_null(),
        prenom3UniteLegale=_null(),
        prenom4UniteLegale=_null(),
        prenomUsuelUniteLegale=pl.when(trader)
        .then(
            pl.when(pl.col("unit_index") % 2 == 0).then(pl.lit("JEAN")).otherwise(pl.lit("MARIE"))
        )
        .otherwise(_null()),
        pseudonymeUniteLegale=_null(),
        identifiantAssociationUniteLegale=_null(),
        trancheEffectifsUniteLegale=pl.col("tranche"),
        anneeEffectifsUniteLegale=pl.when(has_staff).then(pl.lit("2022")).otherwise(_null()),
        dateDernierTraitementUniteLegale=_processing_date("unit_index"),
        nombrePeriodesUniteLegale=(pl.col("unit_index") % 6 + 1).cast(pl.Utf8),
        categorieEntreprise=pl.col("category"),
        anneeCategorieEntreprise=pl.lit("2022"),
        dateDebut=pl.col("creation_date"),
        etatAdministratifUniteLegale=pl.col("state"),
        nomUniteLegale=pl.when(trader).then(pl.col("surname")).otherwise(_null()),
        nomUsageUniteLegale=_null(),
        denominationUniteLegale=pl.when(trader).then(_null()).otherwise(pl.col("denomination")),
        denominationUsuelle1UniteLegale=_null(),
        denominationUsuelle2UniteLegale=_null(),
        denominationUsuelle3UniteLegale=_null(),
        categorieJuridiqueUniteLegale=pl.col("legal_category"),
        activitePrincipaleUniteLegale=pl.col("naf"),
        nomenclatureActivitePrincipaleUniteLegale=pl.lit("NAFRev2"),
        nicSiegeUniteLegale=pl.col("nic_siege"),
        economieSocialeSolidaireUniteLegale=pl.when(pl.col("unit_index") % 97 == 0)
        .then(pl.lit("O"))
        .otherwise(pl.lit("N")),
        societeMissionUniteLegale=_null(),
        caractereEmployeurUniteLegale=pl.when(has_staff & (pl.col("state") == "A"))
        .then(pl.lit("O"))
        .otherwise(pl.lit("N")),
        activitePrincipaleNAF25UniteLegale=_null(),
    )
    return rows


def etablissements(units: pl.DataFrame) -> pl.DataFrame:
    """Establishment rows: each unit's head office (NIC order 1) and its secondary ones."""
    order = pl.int_ranges(1, pl.col("n_secondary") + 2)
    est = (
        units.select(
            "unit_index",
            "siren",
            "naf",
            "tranche",
            "state",
            "creation_date",
            "street_number",
            "street_type",
            "street_name",
            "postal_code",
            "commune",
            "commune_code",
            order=order,
        )
        .explode("order")
        .with_columns(pl.col("order").cast(pl.Int64))
    )
    nic = nics_for(est["siren"].cast(pl.Int64).to_numpy(), est["order"].to_numpy())
    head = pl.col("order") == 1
    # Secondary establishments sit elsewhere in town: another street number.
    number = (
        pl.when(head)
        .then(pl.col("street_number"))
        .otherwise((pl.col("street_number") * 31 + pl.col("order") * 17) % 300 + 1)
    )
    return est.with_columns(nic=pl.Series(nic).cast(pl.Utf8).str.zfill(5)).select(
        siren=pl.col("siren"),
        nic=pl.col("nic"),
        siret=pl.col("siren") + pl.col("nic"),
        statutDiffusionEtablissement=pl.lit("O"),
        dateCreationEtablissement=pl.col("creation_date"),
        trancheEffectifsEtablissement=pl.when(head).then(pl.col("tranche")).otherwise(pl.lit("NN")),
        anneeEffectifsEtablissement=pl.when(head & ~pl.col("tranche").is_in(["NN", "00"]))
        .then(pl.lit("2022"))
        .otherwise(_null()),
        activitePrincipaleRegistreMetiersEtablissement=_null(),
        dateDernierTraitementEtablissement=_processing_date("unit_index"),
        etablissementSiege=pl.when(head).then(pl.lit("true")).otherwise(pl.lit("false")),
        nombrePeriodesEtablissement=pl.lit("1"),
        complementAdresseEtablissement=_null(),
        numeroVoieEtablissement=number.cast(pl.Utf8),
        indiceRepetitionEtablissement=_null(),
        dernierNumeroVoieEtablissement=_null(),
        indiceRepetitionDernierNumeroVoieEtablissement=_null(),
        typeVoieEtablissement=pl.col("street_type"),
        libelleVoieEtablissement=pl.col("street_name"),
        codePostalEtablissement=pl.col("postal_code"),
        libelleCommuneEtablissement=pl.col("commune"),
        libelleCommuneEtrangerEtablissement=_null(),
        distributionSpecialeEtablissement=_null(),
        codeCommuneEtablissement=pl.col("commune_code"),
        codeCedexEtablissement=_null(),
        libelleCedexEtablissement=_null(),
        codePaysEtrangerEtablissement=_null(),
        libellePaysEtrangerEtablissement=_null(),
        identifiantAdresseEtablissement=_null(),
        coordonneeLambertAbscisseEtablissement=_null(),
        coordonneeLambertOrdonneeEtablissement=_null(),
        **{
            name: _null()
            for name in ETABLISSEMENT_COLUMNS[30:44]  # the second address, always empty
        },
        dateDebut=pl.col("creation_date"),
        etatAdministratifEtablissement=pl.when(pl.col("state") == "A")
        .then(pl.lit("A"))
        .otherwise(pl.lit("F")),
        enseigne1Etablissement=_null(),
        enseigne2Etablissement=_null(),
        enseigne3Etablissement=_null(),
        denominationUsuelleEtablissement=_null(),
        activitePrincipaleEtablissement=pl.col("naf"),
        nomenclatureActivitePrincipaleEtablissement=pl.lit("NAFRev2"),
        caractereEmployeurEtablissement=pl.when(
            head & ~pl.col("tranche").is_in(["NN", "00"]) & (pl.col("state") == "A")
        )
        .then(pl.lit("O"))
        .otherwise(pl.lit("N")),
        activitePrincipaleNAF25Etablissement=_null(),
    )


def financials(units: pl.DataFrame) -> pl.DataFrame:
    """Turnover (whole euros) of the units that filed accounts."""
    return units.filter(pl.col("turnover").is_not_null()).select(
        "siren", turnover=pl.col("turnover").cast(pl.Int64)
    )


def _break_rows(
    units: pl.DataFrame, bad: Mapping[int, str]
) -> tuple[pl.DataFrame, list[tuple[int, str, str]]]:
    """Corrupt the units listed in `bad` (unit_index -> kind); return what was done."""
    if not bad:
        return units, []
    index = units["unit_index"].to_list()
    sirens = units["siren"].to_list()
    columns = {
        name: units[name].to_list() for name in ("siren", "tranche", "naf", "state", "denomination")
    }
    done = []
    for row, unit in enumerate(index):
        kind = bad.get(unit)
        if kind is None:
            continue
        if kind == "checksum":
            siren = sirens[row]
            wrong = siren[:-1] + str((int(siren[-1]) + 1) % 10)
            columns["siren"][row] = wrong
        elif kind == "unknown_code":
            column, value = _UNKNOWN_CODES[unit % len(_UNKNOWN_CODES)]
            columns[column][row] = value
        else:
            columns["denomination"][row] = _QUOTING_SENTINEL
        done.append((row, kind, columns["siren"][row]))
    broken = units.with_columns(
        **{name: pl.Series(values, dtype=pl.Utf8) for name, values in columns.items()},
        sole_trader=pl.when(pl.Series([bad.get(u) == "quoting" for u in index]))
        .then(pl.lit(False))
        .otherwise(pl.col("sole_trader")),
    )
    return broken, done


def _write(frame: pl.DataFrame, handle: IO[bytes], header: bool) -> None:
    frame.write_csv(handle, include_header=header, null_value="")


def write_units(
    blocks: Iterable[pl.DataFrame],
    directory: Path,
    *,
    bad_rows: Mapping[int, str] | None = None,
    with_establishments: bool = True,
    with_financials: bool = True,
    on_block: Callable[[int], None] | None = None,
) -> SireneFiles:
    """Write blocks of units (from `frame.draw_units`) as SIRENE files in `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    bad = dict(bad_rows or {})
    paths = {
        "ul": directory / UNITE_LEGALE_FILE,
        "et": directory / ETABLISSEMENT_FILE,
        "fi": directory / FINANCIALS_FILE,
    }
    n_units = n_est = n_fin = 0
    bad_done: list[BadRow] = []
    with contextlib.ExitStack() as stack:
        ul = stack.enter_context(paths["ul"].open("wb"))
        # Files not asked for are written to memory and dropped, keeping one code path.
        et: IO[bytes] = stack.enter_context(
            paths["et"].open("wb") if with_establishments else io.BytesIO()
        )
        fi: IO[bytes] = stack.enter_context(
            paths["fi"].open("wb") if with_financials else io.BytesIO()
        )
        first = True
        for units in blocks:
            block_bad = _bad_in(units, bad) if bad else {}
            broken, done = _break_rows(units, block_bad)
            rows = unites_legales(broken)
            if any(kind == "quoting" for _, kind, _ in done):
                text = rows.write_csv(include_header=first, null_value="")
                ul.write(text.replace(_QUOTING_SENTINEL, _BROKEN_FIELD).encode("utf-8"))
            else:
                _write(rows, ul, first)
            header_lines = 1
            for row, kind, siren in done:
                bad_done.append(
                    BadRow(line=header_lines + n_units + row + 1, kind=kind, siren=siren)
                )
            if with_establishments:
                est = etablissements(units)
                _write(est, et, first)
                n_est += est.height
            if with_financials:
                fin = financials(units)
                _write(fin, fi, first)
                n_fin += fin.height
            n_units += units.height
            first = False
            if on_block is not None:
                on_block(units.height)
        if first:  # no unit at all: still write the headers
            ul.write((",".join(UNITE_LEGALE_COLUMNS) + "\n").encode())
            et.write((",".join(ETABLISSEMENT_COLUMNS) + "\n").encode())
            fi.write((",".join(FINANCIAL_COLUMNS) + "\n").encode())
    return SireneFiles(
        directory=directory,
        unites_legales=paths["ul"],
        etablissements=paths["et"] if with_establishments else None,
        financials=paths["fi"] if with_financials else None,
        n_units=n_units,
        n_establishments=n_est,
        n_financials=n_fin,
        bad_rows=tuple(sorted(bad_done, key=lambda b: b.line)),
    )


def _bad_in(units: pl.DataFrame, bad: Mapping[int, str]) -> dict[int, str]:
    present = set(units["unit_index"].to_list())
    return {unit: kind for unit, kind in bad.items() if unit in present}


def plan_bad_rows(n_units: int, count: int, seed: int) -> dict[int, str]:
    """Choose `count` distinct units to break, cycling through `BAD_ROW_KINDS`."""
    if count < 0 or count > n_units:
        raise ValueError(f"cannot break {count} rows of a {n_units}-unit stock")
    rng = np.random.default_rng([seed, 99])
    chosen = np.sort(rng.choice(n_units, size=count, replace=False))
    return {int(u): BAD_ROW_KINDS[i % len(BAD_ROW_KINDS)] for i, u in enumerate(chosen)}


def write_sirene_stock(
    directory: str | Path,
    n_units: int,
    seed: int,
    *,
    bad_rows: int = 0,
    scope_mix: Mapping[str, float] | None = None,
    with_establishments: bool = True,
    with_financials: bool = True,
    on_block: Callable[[int], None] | None = None,
) -> SireneFiles:
    """Write a synthetic SIRENE stock of `n_units` legal units, streaming by blocks.

    Memory stays flat (one block of `frame.BLOCK_SIZE` units at a time) whatever
    `n_units`. The same seed gives byte-identical files. `bad_rows` legal-unit rows are
    broken on purpose (see `BAD_ROW_KINDS`); their line numbers are in the result.
    `scope_mix` overrides `mixes.SCOPE_MIX` (shares of in-scope and out-of-scope units).
    `on_block` is called with the number of units after each block (progress bars).
    """
    if n_units < 0:
        raise ValueError(f"n_units must be >= 0, got {n_units}")

    def blocks() -> Iterator[pl.DataFrame]:
        for block, n in unit_blocks(n_units):
            yield draw_units(seed, block, n, scope_mix)

    return write_units(
        blocks(),
        Path(directory),
        bad_rows=plan_bad_rows(n_units, bad_rows, seed),
        with_establishments=with_establishments,
        with_financials=with_financials,
        on_block=on_block,
    )


__all__ = [
    "BAD_ROW_KINDS",
    "BLOCK_SIZE",
    "ETABLISSEMENT_COLUMNS",
    "FINANCIAL_COLUMNS",
    "UNITE_LEGALE_COLUMNS",
    "BadRow",
    "SireneFiles",
    "write_sirene_stock",
    "write_units",
]
