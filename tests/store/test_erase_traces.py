"""Erase means erased: no trace of the company in the raw SQLite file, its WAL, or the exports
on disk (issue 15, finding 7)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from barometre.cli import app
from barometre.store import open_store

from .conftest import COMPLETE_ANSWERS, FRAME

COMMENT = "Notre gérante Zoé Quillard préfère LinkedIn"


def _raw_files(database: Path) -> list[Path]:
    return [p for p in database.parent.iterdir() if p.name.startswith(database.name)]


def test_erasure_leaves_no_trace_in_database_wal_or_exports(tmp_path: Path) -> None:
    """After `gdpr erase`, grep finds the company's name, e-mail, address and comment nowhere."""
    database = tmp_path / "study.sqlite"
    url = f"sqlite:///{database}"
    exports = tmp_path / "exports"
    exports.mkdir()
    store = open_store(url)
    wave = store.create_wave("2026", "bpi2018")
    store.add_frame_units(wave.id, FRAME)
    store.add_sample(
        wave.id,
        [{"siren": u["siren"], "stratum": "s", "inclusion_probability": 0.5} for u in FRAME],
    )
    store.set_wave_status(wave.id, "open")
    alpha = store.case_by_siren(wave.id, FRAME[0]["siren"]).case_id  # type: ignore[arg-type]
    beta = store.case_by_siren(wave.id, FRAME[1]["siren"]).case_id  # type: ignore[arg-type]
    store.save_response(wave.id, alpha, {**COMPLETE_ANSWERS, "comment": COMMENT}, "complete")
    store.save_response(wave.id, beta, COMPLETE_ANSWERS, "complete")
    store.wave_dataset(wave.id).write_csv(exports / "wave-2026.csv")
    (exports / "README.txt").write_text("exports of the 2026 wave\n", encoding="utf-8")
    traces = [COMMENT, "Alpha SA", "Mme Dupont", "dirigeant@alpha.example", "1 rue A"]
    before = b"".join(p.read_bytes() for p in _raw_files(database))
    assert all(t.encode() in before for t in traces[:2])  # the test can see what it looks for
    # The store stays open, as a running server's does: SQLite then keeps the WAL file.
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1

    result = CliRunner().invoke(
        app,
        [
            "gdpr",
            "erase",
            FRAME[0]["siren"],
            "--by",
            "DPO",
            "--exports",
            str(exports),
            "--url",
            url,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "wave-2026.csv" in result.output

    files = _raw_files(database) + [p for p in exports.rglob("*") if p.is_file()]
    for path in files:
        data = path.read_bytes()
        for trace in traces:
            assert trace.encode() not in data, (trace, path.name)
    assert (exports / "README.txt").exists()  # files without the company are kept
    assert store.response(wave.id, beta) is not None  # the other company is untouched
    assert store.response(wave.id, alpha) is None
    store.close()
