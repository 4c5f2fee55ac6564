"""Exports re-read as an analyst would: values, variable labels and value labels survive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pyreadstat
import pytest
from openpyxl import load_workbook

from barometre.report import ExportError, export_wave, pseudonymise
from barometre.report.exports import stata_names


@pytest.fixture
def exported(tmp_path: Path, wave: pl.DataFrame, questionnaire: Any) -> Any:
    """The exports of the test wave, with contact columns added that must not leave."""
    leaky = wave.with_columns(
        pl.lit("boss@example.fr").alias("email"),
        pl.lit("552100554").alias("siren"),
        pl.lit("Call Mme Martin").alias("comment"),
    )
    return export_wave(leaky, questionnaire, tmp_path)


def test_pseudonymised_by_default(exported: Any) -> None:
    """Contact data, registry ids and free text are dropped; the case id stays."""
    frame = pl.read_parquet(exported.parquet)
    assert "case_id" in frame.columns
    assert not {"email", "siren", "comment"} & set(frame.columns)


def test_csv_and_parquet_hold_the_coded_wave(
    exported: Any, wave: pl.DataFrame, questionnaire: Any
) -> None:
    """CSV and Parquet hold the same coded answers as the wave."""
    expected = pseudonymise(wave, questionnaire)
    parquet = pl.read_parquet(exported.parquet)
    assert parquet.equals(expected)
    csv = pl.read_csv(exported.csv, infer_schema_length=None)
    assert csv["activity"].to_list() == expected["activity"].to_list()
    assert csv.height == wave.height


def test_spss_has_variable_and_value_labels(exported: Any, wave: pl.DataFrame) -> None:
    """The .sav codes activity 1..4 with French labels, and labels each variable."""
    df, meta = pyreadstat.read_sav(str(exported.sav))
    labels = meta.variable_value_labels["activity"]
    assert labels == {1.0: "Inactive", 2.0: "Peu active", 3.0: "Active", 4.0: "Très active"}
    first = wave["activity"][0]
    code = {"inactive": 1, "peu_active": 2, "active": 3, "tres_active": 4}[first]
    assert df["activity"].iloc[0] == code
    names = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert names["activity"].startswith("Comment qualifieriez-vous")
    assert meta.variable_value_labels["obstacles__lack_time"] == {0.0: "Non choisi", 1.0: "Choisi"}


def test_stata_has_labels_and_short_names(exported: Any) -> None:
    """The .dta has names of at most 30 characters, variable labels and value labels."""
    df, meta = pyreadstat.read_dta(str(exported.dta))
    assert all(len(c) <= 30 for c in meta.column_names)
    long_name = stata_names(["obstacles__no_interest_visibility"])[
        "obstacles__no_interest_visibility"
    ]
    assert long_name in meta.column_names
    assert meta.variable_to_label["sector"] in meta.value_labels
    assert (
        meta.value_labels[meta.variable_to_label["sector"]][7]
        == "Services aux entreprises ou aux particuliers"
    )
    assert len(df) > 0


def test_excel_has_labels_and_a_codebook(exported: Any, wave: pl.DataFrame) -> None:
    """The data sheet holds labels (not codes) under a header of names and labels."""
    wb = load_workbook(exported.xlsx, read_only=True)
    data = list(wb["donnees"].iter_rows(values_only=True))
    header, labels, first = data[0], data[1], data[2]
    col = header.index("activity")
    assert labels[col].startswith("Comment qualifieriez-vous")
    assert first[col] in {"Inactive", "Peu active", "Active", "Très active"}
    assert len(data) == wave.height + 2
    book = list(wb["Dictionnaire des variables"].iter_rows(values_only=True))
    assert ("activity", 1, "Inactive") in {(r[0], r[3], r[4]) for r in book if len(r) >= 5}


def test_unknown_code_is_a_clear_error(
    tmp_path: Path, wave: pl.DataFrame, questionnaire: Any
) -> None:
    """A code absent from the questionnaire stops the SPSS export and is named."""
    bad = wave.with_columns(pl.lit("hyperactive").alias("activity"))
    with pytest.raises(ExportError, match="hyperactive"):
        export_wave(bad, questionnaire, tmp_path)
