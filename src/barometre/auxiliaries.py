"""Registry auxiliaries for weighting: what SIRENE tells about every firm, respondent or not.

Non-response that runs through registry variables can be corrected because the frame knows
them for every firm: the company's age (from its creation date), its legal category group,
whether it employs anyone and whether it has more than one establishment. They enter the
weighting as **raking margins** (`weight_wave(..., auxiliaries=AUXILIARIES)`), not as
response-propensity classes: their population counts are known exactly from the frame, so
calibrating to them corrects non-response and sampling fluctuation at once, in the same
single calibration step as the cells (whose variance `barometre.stats` then gets right);
propensity classes would need the non-respondents' data and a second weighting step that
the linearised variance would not credit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

AUXILIARIES: tuple[str, ...] = ("company_age", "legal_group", "employer", "establishments")
AGE_BANDS: tuple[tuple[int, str], ...] = ((5, "under_5"), (20, "5_19"), (10_000, "20_plus"))
LEGAL_GROUPS: dict[str, str] = {"57": "sas", "54": "sarl", "55": "sa", "56": "sa"}
NON_EMPLOYER_TRANCHES = ("NN", "00")
SOURCES = {
    "company_age": "creation_date",
    "legal_group": "legal_category",
    "employer": "tranche",
    "establishments": "n_secondary",
}
LABELS = {
    "company_age": ("Âge de l'entreprise", "Company age"),
    "legal_group": ("Catégorie juridique", "Legal category"),
    "employer": ("Employeur", "Employer"),
    "establishments": ("Établissements", "Establishments"),
}


class AuxiliaryError(ValueError):
    """A registry auxiliary cannot be derived (its source column is missing)."""


def registry_auxiliaries(
    units: pl.DataFrame, reference: date, names: Sequence[str] = AUXILIARIES
) -> pl.DataFrame:
    """`units` with the auxiliary columns added (codes, never null).

    Sources: `creation_date` (ISO text or date; age in whole years at `reference`),
    `legal_category` (INSEE code, grouped by its first two digits: SAS, SARL, SA, other),
    `tranche` (INSEE headcount band; "NN" and "00" are non-employers), `n_secondary`
    (secondary establishments). A firm without a creation date counts as 20 years or more.
    """
    missing = [SOURCES[n] for n in names if n in SOURCES and SOURCES[n] not in units.columns]
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise AuxiliaryError(f"unknown auxiliary(ies) {unknown}; known: {list(SOURCES)}")
    if missing:
        raise AuxiliaryError(f"the frame has no column(s) {missing} to derive the auxiliaries from")
    columns: list[pl.Expr] = []
    if "company_age" in names:
        created = pl.col("creation_date").cast(pl.String).str.to_date("%Y-%m-%d", strict=False)
        years = (pl.lit(reference) - created).dt.total_days() / 365.25
        age: pl.Expr = pl.lit(AGE_BANDS[-1][1])
        for limit, code in reversed(AGE_BANDS[:-1]):
            age = pl.when(years < limit).then(pl.lit(code)).otherwise(age)
        columns.append(
            pl.when(years.is_null())
            .then(pl.lit(AGE_BANDS[-1][1]))
            .otherwise(age)
            .alias("company_age")
        )
    if "legal_group" in names:
        prefix = pl.col("legal_category").cast(pl.String).str.slice(0, 2)
        columns.append(
            prefix.replace_strict(LEGAL_GROUPS, default="other")
            .fill_null("other")
            .alias("legal_group")
        )
    if "employer" in names:
        columns.append(
            pl.when(pl.col("tranche").cast(pl.String).is_in(NON_EMPLOYER_TRANCHES))
            .then(pl.lit("no"))
            .otherwise(pl.lit("yes"))
            .alias("employer")
        )
    if "establishments" in names:
        columns.append(
            pl.when(pl.col("n_secondary").fill_null(0) > 0)
            .then(pl.lit("several"))
            .otherwise(pl.lit("one"))
            .alias("establishments")
        )
    return units.with_columns(columns)
