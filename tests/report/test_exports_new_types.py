"""The XLSForm types come out of the SPSS and Stata exports with their type, measure level
and labels, and are listed in the codebook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyreadstat

from barometre.report.exports import export_wave
from barometre.store import Store, open_store
from barometre.web.testing import open_wave_with_invitations

from ..questionnaire.every_type import ANSWERS, every_type


def check_sav(path: Path, expected: dict[str, Any]) -> None:
    """The SPSS file holds the answers with SPSS types, measure levels and value labels."""
    data, meta = pyreadstat.read_sav(str(path))
    row = data.iloc[0]
    assert row["founded"] == dt.date.fromisoformat(expected["founded"])
    assert row["opens"] == dt.time.fromisoformat(expected["opens"])
    assert row["met"] == dt.datetime.fromisoformat(expected["met"])
    assert row["rating"] == expected["rating"] and row["share"] == expected["share"]
    assert row["staff2"] == str(expected["staff"] * 2)
    region = meta.variable_value_labels["area"][row["area"]]
    city = meta.variable_value_labels["city"][row["city"]]
    assert (region, city) == ("Bretagne", "Brest")
    assert meta.variable_value_labels["ok"][row["ok"]] == "Accepté (OK)"
    assert (row["uses__sell"], row["uses__hire"], row["uses__other"]) == (1, 0, 1)
    formats = meta.original_variable_types
    assert formats["founded"].startswith("DATE") and formats["opens"].startswith("TIME")
    assert formats["met"].startswith("DATETIME")
    measure = meta.variable_measure
    assert (measure["rating"], measure["founded"], measure["area"]) == (
        "scale",
        "scale",
        "nominal",
    )
    assert "welcome" not in data.columns  # a note has no column
    assert "firm" not in data.columns  # free text stays out of pseudonymised exports


def test_new_types_in_the_spss_and_stata_exports(tmp_path: Path) -> None:
    """A stored answer set of every type is exported typed, labelled, with its codebook."""
    store: Store = open_store(f"sqlite:///{tmp_path / 'w.sqlite'}")
    try:
        store.register_questionnaire(every_type())
        wave, _ = open_wave_with_invitations(store, "types", 1, questionnaire_id="every_type")
        case_id = store.cases(wave.id)[0].case_id
        store.save_response(wave.id, case_id, ANSWERS, "complete", "web")
        dataset = store.wave_dataset(wave.id)
        paths = export_wave(dataset, store.questionnaire_of(wave.id), tmp_path / "out")
    finally:
        store.close()
    check_sav(paths.sav, ANSWERS)
    stata, stata_meta = pyreadstat.read_dta(str(paths.dta))
    assert stata.iloc[0]["founded"] == dt.date(1999, 5, 2)
    assert stata_meta.variable_value_labels["city"][stata.iloc[0]["city"]] == "Brest"
    codebook = paths.codebook_md.read_text(encoding="utf-8")
    assert "| `founded` | Date de création | date |" in codebook
    assert "| `ok` | J'accepte | acknowledge |" in codebook
