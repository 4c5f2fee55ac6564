"""Publishing and extracting a weighted wave go through its calibrated design (issue 14)."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from barometre.cli import app
from barometre.diagnostic import build_benchmark_table
from barometre.questionnaire import QuestionType, load_builtin
from barometre.report import compute_results
from barometre.store import Store, open_store
from barometre.wave import (
    calibration_of,
    design_info,
    publish,
    read_spec_file,
    spec_of,
    spec_path,
    stored_spec,
    wave_respondents,
    weight_wave,
)
from barometre.web.testing import random_answers

BPI = load_builtin("bpi2018")
N = 40
SIZES, SECTORS = ("10-19", "20-49"), ("commerce", "services")
UNITS = {("10-19", "commerce"): 120, ("10-19", "services"): 90,
         ("20-49", "commerce"): 110, ("20-49", "services"): 80}  # fmt: skip


def _weighted_wave(url: str, name: str = "2026", seed: int = 7) -> tuple[Store, int]:
    """A closed wave of 40 firms in 4 strata, answered, weighted, its spec stored."""
    store = open_store(url)
    wave = store.create_wave(name, "bpi2018")
    units = [
        {"siren": f"{200000000 + i}", "size_band": SIZES[i % 2], "sector": SECTORS[i // 2 % 2],
         "region": "84"}
        for i in range(N)
    ]  # fmt: skip
    store.add_frame_units(wave.id, units)
    store.add_sample(
        wave.id,
        [
            {"siren": u["siren"], "stratum": f"{u['size_band']}|{u['sector']}",
             "inclusion_probability": 0.1}
            for u in units
        ],
    )  # fmt: skip
    store.set_wave_status(wave.id, "open")
    numbers = {q.id for q in BPI.questions if q.type is QuestionType.NUMBER}
    rng = random.Random(seed)
    for case in store.cases(wave.id):
        answers = random_answers(BPI, rng)
        answers.update({q: int(v) for q, v in answers.items() if q in numbers})
        store.save_response(wave.id, case.case_id, answers, "complete", "import")
    store.set_wave_status(wave.id, "closed")
    counts = pl.DataFrame(
        [
            {"size_band": a, "sector": b, "region": "84", "units": float(n), "stratum": f"{a}|{b}"}
            for (a, b), n in UNITS.items()
        ]
    )
    weighting = weight_wave(store.wave_dataset(wave.id), counts, min_cell=5)
    store.store_weights(wave.id, weighting.weights, method="raking")
    store.store_weighting_spec(wave.id, spec_of(weighting).to_json())
    return store, wave.id


def test_publish_builds_the_benchmark_on_the_calibrated_design(database_url: str) -> None:
    """The stored benchmark is the one of the calibrated design with fpc, not the plain one."""
    store, wave_id = _weighted_wave(database_url)
    spec = stored_spec(store, wave_id)
    assert spec is not None and spec.stratum_population
    respondents = wave_respondents(store, wave_id, spec)
    results = compute_results(respondents, BPI, design_info(spec), wave="2026",
                              with_drivers=False, with_typology=False, explorer=False)  # fmt: skip
    assert results.design is not None and results.design.kind == "calibrated"
    table = publish(store, wave_id, results, min_n=5)
    expected = build_benchmark_table(
        respondents, wave="2026", min_n=5, calibration=calibration_of(spec), fpc="fpc"
    )
    plain = build_benchmark_table(store.wave_dataset(wave_id), wave="2026", min_n=5)
    stored = store.benchmark_table(wave_id)
    assert stored is not None
    assert {c.key: c.estimates for c in stored.cells} == {
        c.key: c.estimates for c in expected.cells
    }
    assert {c.key: c.estimates for c in table.cells} != {c.key: c.estimates for c in plain.cells}
    store.close()


def test_wave_dataset_writes_its_weighting_spec_for_the_report(tmp_path: Path) -> None:
    """`wave dataset` writes <name>.weighting.json; `report export` rebuilds the design from it."""
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    store, wave_id = _weighted_wave(url)
    spec = stored_spec(store, wave_id)
    store.close()
    runner = CliRunner()
    out = tmp_path / "wave2026.parquet"
    done = runner.invoke(
        app, ["wave", "dataset", "--wave", "2026", "--url", url, "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    written = spec_path(out)
    assert written.name == "wave2026.weighting.json"
    assert read_spec_file(written) == spec
    data = pl.read_parquet(out)
    assert {"weighting_cell", "fpc"} <= set(data.columns)
    exports = tmp_path / "exports"
    spec_option = ["--weighting-spec", str(written), "--replicate-weights"]
    done = runner.invoke(app, ["report", "export", str(out), "--out", str(exports), *spec_option])
    assert done.exit_code == 0, done.output
    exported = pl.read_csv(exports / "wave.csv")
    reps = [c for c in exported.columns if c.startswith("repw_")]
    assert len(reps) == N
    # recalibrated replicates meet the size x sector totals of the spec
    cells = data.select("weighting_cell").with_columns(exported.select(reps))
    sums = cells.group_by("weighting_cell").agg(pl.col(reps[0]).sum())
    for cell, total in sums.iter_rows():
        assert total == pytest.approx(spec.margins["weighting_cell"][cell], rel=1e-8)
    assert (exports / "replicate_weights.do").is_file()


def test_wave_report_uses_the_overlap_with_the_previous_wave(tmp_path: Path) -> None:
    """`wave report` passes the earlier wave's firms: changes' SEs carry their covariance."""
    import json

    url = f"sqlite:///{tmp_path / 'two.sqlite'}"
    store, first = _weighted_wave(url, "2024", seed=3)
    earlier = compute_results(wave_respondents(store, first), BPI,
                              design_info(stored_spec(store, first)), wave="2024",
                              with_drivers=False, with_typology=False, explorer=False)  # fmt: skip
    publish(store, first, earlier, min_n=5)
    store.close()
    store, _ = _weighted_wave(url, "2026", seed=3)  # the same firms, the same answers
    store.close()
    out = tmp_path / "report"
    done = CliRunner().invoke(
        app, ["wave", "report", "--wave", "2026", "--url", url, "--out", str(out), "--no-pdf"]
    )
    assert done.exit_code == 0, done.output
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["previous_wave"] == "2024"
    assert results["design"]["kind"] == "calibrated"
    assert results["design"]["trend_covariance"] and results["design"]["overlap"] == N
    assert results["trend_covariance"]["strategy.yes"] > 0
    # identical answers from identical firms: no change, and an interval far narrower than
    # for independent samples (strata of 10 firms: the covariance lacks n_h / (n_h - 1))
    change = next(c for c in results["changes"] if c["indicator_id"] == "strategy.yes")
    assert change["difference"] == pytest.approx(0.0, abs=1e-12)
    se1, se2 = change["previous"]["se"], change["current"]["se"]
    independent = 2 * 1.959963984540054 * (se1**2 + se2**2) ** 0.5
    assert change["ci_high"] - change["ci_low"] < 0.6 * independent
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Erreur-type des évolutions" in html and "deux vagues prise en compte" in html
