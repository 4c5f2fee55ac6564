"""The population mixes of the synthetic frame: size, sector, region, market, scope.

Every share here is a rounded figure, chosen to resemble public INSEE statistics on
French companies (see docs/synth.md, "Sources"). They are plausible orders of
magnitude for a demo and for tests, not an extract of any official table.
"""

from __future__ import annotations

# The codes themselves have one home, the instrument's profile questions.
from barometre.questionnaire.vocabulary import MARKETS, REGIONS, SECTORS, SIZE_BANDS

__all__ = ["MARKETS", "REGIONS", "SECTORS", "SIZE_BANDS"]

# Share of in-scope firms (turnover 2 M€-1.5 bn€) by sector, in %. Rounded from the
# INSEE "Les entreprises en France" structure of PME (non micro) and ETI by sector:
# commerce is the largest group, then business services, construction and industry.
SECTOR_SHARES: dict[str, float] = {
    "industrie": 13.0,
    "agroalimentaire": 4.0,
    "construction": 15.0,
    "commerce": 30.0,
    "transport": 6.0,
    "tourisme_loisirs": 7.0,
    "services": 25.0,
}

# Size band mix within each sector, in % (0-9, 10-19, 20-49, 50-249, 250+). A firm
# with a turnover above 2 M€ is rarely tiny in headcount except in wholesale trade.
SIZE_BY_SECTOR: dict[str, tuple[float, float, float, float, float]] = {
    "industrie": (20.0, 20.0, 30.0, 24.0, 6.0),
    "agroalimentaire": (30.0, 20.0, 25.0, 19.0, 6.0),
    "construction": (28.0, 26.0, 30.0, 14.0, 2.0),
    "commerce": (42.0, 22.0, 22.0, 12.0, 2.0),
    "transport": (25.0, 22.0, 30.0, 19.0, 4.0),
    "tourisme_loisirs": (35.0, 28.0, 27.0, 9.0, 1.0),
    "services": (32.0, 21.0, 27.0, 16.0, 4.0),
}

# Exclusively business customers, exclusively consumers, both; in % by sector.
MARKET_BY_SECTOR: dict[str, tuple[float, float, float]] = {
    "industrie": (70.0, 4.0, 26.0),
    "agroalimentaire": (35.0, 15.0, 50.0),
    "construction": (42.0, 10.0, 48.0),
    "commerce": (50.0, 18.0, 32.0),
    "transport": (78.0, 3.0, 19.0),
    "tourisme_loisirs": (10.0, 50.0, 40.0),
    "services": (62.0, 10.0, 28.0),
}

# Share of firms by INSEE region (2016 regions), in %, rounded from INSEE's regional
# counts of companies (Sirene / Esane): Île-de-France about a fifth, then
# Auvergne-Rhône-Alpes, the south and the west.
REGION_SHARES: dict[str, float] = {
    "11": 22.0,
    "24": 3.5,
    "27": 3.8,
    "28": 4.5,
    "32": 7.2,
    "44": 7.5,
    "52": 6.0,
    "53": 5.0,
    "75": 8.5,
    "76": 8.5,
    "84": 12.8,
    "93": 8.5,
    "94": 0.5,
    "outre_mer": 1.7,
}

# INSEE headcount codes (trancheEffectifsUniteLegale) drawn within each size band,
# with their share in %. INSEE's 31 is 200-249 employees, so it belongs to 50-249;
# it stops below 5,000 employees (codes 52, 53), the threshold of a large company (GE).
TRANCHES_BY_BAND: dict[str, tuple[tuple[str, float], ...]] = {
    "0-9": (("NN", 4.0), ("00", 8.0), ("01", 14.0), ("02", 30.0), ("03", 44.0)),
    "10-19": (("11", 100.0),),
    "20-49": (("12", 100.0),),
    "50-249": (("21", 60.0), ("22", 30.0), ("31", 10.0)),
    "250+": (
        ("32", 48.0),
        ("41", 25.0),
        ("42", 15.0),
        ("51", 12.0),
    ),
}

# Headcount range (inclusive) behind each INSEE code, to draw a plausible headcount.
HEADCOUNT_RANGE: dict[str, tuple[int, int]] = {
    "NN": (0, 0),
    "00": (0, 0),
    "01": (1, 2),
    "02": (3, 5),
    "03": (6, 9),
    "11": (10, 19),
    "12": (20, 49),
    "21": (50, 99),
    "22": (100, 199),
    "31": (200, 249),
    "32": (250, 499),
    "41": (500, 999),
    "42": (1000, 1999),
    "51": (2000, 4999),
    "52": (5000, 9999),
    "53": (10000, 20000),
}

# Median turnover (€) by size band for in-scope firms; drawn log-normal, truncated to
# the study's 2 M€-1.5 bn€ scope.
TURNOVER_MEDIAN: dict[str, float] = {
    "0-9": 3.2e6,
    "10-19": 4.5e6,
    "20-49": 8.0e6,
    "50-249": 25.0e6,
    "250+": 150.0e6,
}
TURNOVER_LOG_SD = 0.8
TURNOVER_MIN = 2.0e6
TURNOVER_MAX = 1.5e9

# NAF rev. 2 codes drawn within each sector (code, weight).
NAF_BY_SECTOR: dict[str, tuple[tuple[str, float], ...]] = {
    "agroalimentaire": (
        ("10.11Z", 2.0),
        ("10.13A", 3.0),
        ("10.51A", 2.0),
        ("10.71A", 2.0),
        ("10.71C", 3.0),
        ("10.89Z", 2.0),
        ("11.02B", 2.0),
    ),
    "industrie": (
        ("08.12Z", 1.0),
        ("16.23Z", 2.0),
        ("20.59Z", 1.0),
        ("22.29A", 2.0),
        ("25.11Z", 2.0),
        ("25.62B", 3.0),
        ("27.12Z", 1.0),
        ("28.29B", 2.0),
        ("33.12Z", 3.0),
        ("35.11Z", 1.0),
        ("38.11Z", 1.0),
    ),
    "construction": (
        ("41.20A", 3.0),
        ("41.20B", 2.0),
        ("42.11Z", 1.0),
        ("43.21A", 4.0),
        ("43.22A", 3.0),
        ("43.31Z", 1.0),
        ("43.32A", 2.0),
        ("43.99C", 2.0),
    ),
    "commerce": (
        ("45.11Z", 3.0),
        ("45.20A", 1.0),
        ("46.18Z", 2.0),
        ("46.69B", 2.0),
        ("46.73A", 2.0),
        ("46.90Z", 3.0),
        ("47.11D", 2.0),
        ("47.73Z", 2.0),
    ),
    "transport": (
        ("49.39A", 1.0),
        ("49.41A", 5.0),
        ("52.10B", 2.0),
        ("52.29A", 2.0),
        ("53.20Z", 1.0),
    ),
    "tourisme_loisirs": (
        ("55.10Z", 3.0),
        ("55.30Z", 1.0),
        ("56.10A", 4.0),
        ("56.10C", 2.0),
        ("56.30Z", 1.0),
        ("90.01Z", 1.0),
        ("93.11Z", 1.0),
        ("93.29Z", 1.0),
    ),
    "services": (
        ("58.29C", 1.0),
        ("62.01Z", 3.0),
        ("62.02A", 2.0),
        ("68.20B", 2.0),
        ("69.20Z", 2.0),
        ("70.10Z", 1.0),
        ("70.22Z", 3.0),
        ("71.12B", 3.0),
        ("73.11Z", 1.0),
        ("74.90B", 1.0),
        ("78.20Z", 1.0),
        ("80.10Z", 1.0),
        ("81.21Z", 2.0),
        ("85.59A", 1.0),
        ("86.21Z", 1.0),
        ("96.02A", 1.0),
    ),
}

# Codes outside the study's scope (agriculture, finance incl. holdings, administration).
NAF_EXCLUDED: tuple[tuple[str, float], ...] = (
    ("01.11Z", 2.0),
    ("01.21Z", 1.0),
    ("01.41Z", 1.0),
    ("02.20Z", 0.5),
    ("64.20Z", 5.0),
    ("64.19Z", 0.5),
    ("66.22Z", 1.0),
    ("65.12Z", 0.3),
    ("84.11Z", 0.5),
)

# How the units of a generated registry stock split by reason of (non-)scope, in %.
# `in_scope` units pass every default filter of the campaign; the others exist so
# that each filter has something to remove.
SCOPE_MIX: dict[str, float] = {
    "in_scope": 70.0,
    "ceased": 8.0,
    "excluded_sector": 8.0,
    "small_turnover": 10.0,
    "no_accounts": 3.5,
    "large_turnover": 0.5,
}

# A few real communes per region: (codeCommune, codePostal, libelleCommune).
COMMUNES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "11": (
        ("75108", "75008", "PARIS 8"),
        ("75111", "75011", "PARIS 11"),
        ("75115", "75015", "PARIS 15"),
        ("92012", "92100", "BOULOGNE-BILLANCOURT"),
        ("92050", "92000", "NANTERRE"),
        ("93066", "93200", "SAINT-DENIS"),
        ("94028", "94000", "CRETEIL"),
        ("78646", "78000", "VERSAILLES"),
        ("91377", "91300", "MASSY"),
    ),
    "24": (
        ("45234", "45000", "ORLEANS"),
        ("37261", "37000", "TOURS"),
        ("18033", "18000", "BOURGES"),
        ("28085", "28000", "CHARTRES"),
    ),
    "27": (
        ("21231", "21000", "DIJON"),
        ("25056", "25000", "BESANCON"),
        ("89024", "89000", "AUXERRE"),
        ("90010", "90000", "BELFORT"),
    ),
    "28": (
        ("76540", "76000", "ROUEN"),
        ("14118", "14000", "CAEN"),
        ("76351", "76600", "LE HAVRE"),
    ),
    "32": (
        ("59350", "59000", "LILLE"),
        ("59512", "59100", "ROUBAIX"),
        ("80021", "80000", "AMIENS"),
        ("62193", "62100", "CALAIS"),
    ),
    "44": (
        ("67482", "67000", "STRASBOURG"),
        ("51454", "51100", "REIMS"),
        ("57463", "57000", "METZ"),
        ("54395", "54000", "NANCY"),
        ("68224", "68100", "MULHOUSE"),
    ),
    "52": (
        ("44109", "44000", "NANTES"),
        ("49007", "49000", "ANGERS"),
        ("72181", "72000", "LE MANS"),
        ("85191", "85000", "LA ROCHE-SUR-YON"),
    ),
    "53": (
        ("35238", "35000", "RENNES"),
        ("29019", "29200", "BREST"),
        ("56260", "56000", "VANNES"),
        ("29232", "29000", "QUIMPER"),
    ),
    "75": (
        ("33063", "33000", "BORDEAUX"),
        ("87085", "87000", "LIMOGES"),
        ("86194", "86000", "POITIERS"),
        ("17300", "17000", "LA ROCHELLE"),
        ("64445", "64000", "PAU"),
    ),
    "76": (
        ("31555", "31000", "TOULOUSE"),
        ("34172", "34000", "MONTPELLIER"),
        ("30189", "30000", "NIMES"),
        ("66136", "66000", "PERPIGNAN"),
    ),
    "84": (
        ("69383", "69003", "LYON 3EME"),
        ("69266", "69100", "VILLEURBANNE"),
        ("38185", "38000", "GRENOBLE"),
        ("63113", "63000", "CLERMONT-FERRAND"),
        ("42218", "42000", "SAINT-ETIENNE"),
        ("74010", "74000", "ANNECY"),
    ),
    "93": (
        ("13202", "13002", "MARSEILLE 2EME"),
        ("06088", "06000", "NICE"),
        ("83137", "83000", "TOULON"),
        ("13001", "13100", "AIX-EN-PROVENCE"),
        ("84007", "84000", "AVIGNON"),
    ),
    "94": (
        ("2A004", "20000", "AJACCIO"),
        ("2B033", "20200", "BASTIA"),
    ),
    "outre_mer": (
        ("97411", "97400", "SAINT-DENIS"),
        ("97209", "97200", "FORT-DE-FRANCE"),
        ("97120", "97110", "POINTE-A-PITRE"),
        ("97302", "97300", "CAYENNE"),
    ),
}

# Legal categories (categorieJuridiqueUniteLegale) of companies filing accounts.
LEGAL_CATEGORIES: tuple[tuple[str, float], ...] = (
    ("5710", 45.0),  # SAS
    ("5499", 30.0),  # SARL
    ("5720", 8.0),  # SASU
    ("5498", 5.0),  # EURL
    ("5599", 6.0),  # SA à conseil d'administration
    ("5699", 2.0),  # SA à directoire
    ("5202", 2.0),  # SNC
    ("5485", 2.0),  # société d'exercice libéral à responsabilité limitée
)

STREET_TYPES: tuple[str, ...] = (
    "RUE",
    "RUE",
    "RUE",
    "AV",
    "BD",
    "PL",
    "CHE",
    "RTE",
    "ALL",
    "IMP",
    "QUAI",
)
STREET_NAMES: tuple[str, ...] = (
    "DE LA REPUBLIQUE",
    "DU GENERAL DE GAULLE",
    "JEAN JAURES",
    "VICTOR HUGO",
    "PASTEUR",
    "DE LA GARE",
    "DU MOULIN",
    "DES ARTISANS",
    "DE L'INDUSTRIE",
    "DES LILAS",
    "GAMBETTA",
    "DE LA LIBERATION",
    "DU COMMERCE",
    "DES ACACIAS",
    "JULES FERRY",
    "DU 8 MAI 1945",
    "DE PARIS",
    "NATIONALE",
)
NAME_ROOTS: tuple[str, ...] = (
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFEBVRE",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "GIRARD",
    "ANDRE",
    "MERCIER",
    "ATLANTIQUE",
    "ALPES",
    "OCEANE",
    "PROVENCE",
    "NORD",
    "AZUR",
)
NAME_PREFIXES: tuple[str, ...] = (
    "",
    "",
    "",
    "ETABLISSEMENTS ",
    "SOCIETE ",
    "GROUPE ",
    "ATELIERS ",
    "HOLDING ",
    "LES ",
    "SARL ",
    "SAS ",
)
NAME_SUFFIXES: tuple[str, ...] = (
    "",
    "",
    " ET FILS",
    " FRERES",
    " CONSEIL",
    " SERVICES",
    " INDUSTRIE",
    " DISTRIBUTION",
    " & ASSOCIES",
    ", CONSEIL ET GESTION",
    ' "LE RENOUVEAU"',
    " FRANCE",
)
FIRST_NAMES: tuple[str, ...] = (
    "JEAN",
    "MARIE",
    "PIERRE",
    "NATHALIE",
    "MICHEL",
    "ISABELLE",
    "ALAIN",
)
