"""Small SIRENE-format files written inline for the campaign tests (INSEE's exact headers)."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

UL_HEADER = [
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
]

ET_HEADER = [
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
    "etatAdministratifEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
]


def luhn_siren(body: int) -> str:
    """The 9-digit SIREN made of an 8-digit body and its Luhn check digit."""
    digits = [int(d) for d in f"{body:08d}"]
    total = 0
    for i, d in enumerate(reversed(digits)):
        total += (2 * d - 9 if 2 * d > 9 else 2 * d) if i % 2 == 0 else d
    return f"{body:08d}{(10 - total % 10) % 10}"


def legal_unit(siren: str, **fields: str) -> dict[str, str]:
    """A StockUniteLegale row with sensible defaults (an active PME in services)."""
    row = dict.fromkeys(UL_HEADER, "")
    row.update(
        siren=siren,
        statutDiffusionUniteLegale="O",
        etatAdministratifUniteLegale="A",
        categorieEntreprise="PME",
        trancheEffectifsUniteLegale="12",
        activitePrincipaleUniteLegale="62.01Z",
        nomenclatureActivitePrincipaleUniteLegale="NAFRev2",
        nicSiegeUniteLegale="00012",
        denominationUniteLegale=f"SOCIETE {siren}",
        categorieJuridiqueUniteLegale="5710",
    )
    row.update(fields)
    return row


def head_office(siren: str, nic: str = "00012", **fields: str) -> dict[str, str]:
    """A StockEtablissement row for a head office in Lyon."""
    row = dict.fromkeys(ET_HEADER, "")
    row.update(
        siren=siren,
        nic=nic,
        siret=siren + nic,
        etablissementSiege="true",
        numeroVoieEtablissement="12",
        typeVoieEtablissement="RUE",
        libelleVoieEtablissement="DE LA REPUBLIQUE",
        codePostalEtablissement="69002",
        libelleCommuneEtablissement="LYON",
        codeCommuneEtablissement="69382",
        etatAdministratifEtablissement="A",
    )
    row.update(fields)
    return row


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> Path:
    """Write rows as INSEE does: comma separated, quoted only when needed, LF line ends."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
