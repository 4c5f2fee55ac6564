"""`barometre questionnaire show|validate|export|import` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from barometre.cli import app
from barometre.questionnaire import load_builtin, parse_questionnaire_yaml, read_xlsform

runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(app, ["questionnaire", *args])


def flat(text: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


def test_show_in_french_and_english() -> None:
    """show prints sections, questions, choices and skip logic in the chosen language."""
    fr = run("show")
    assert fr.exit_code == 0, fr.output
    assert "Présence sur les réseaux sociaux" in flat(fr.stdout)
    assert "managed_by (multiple)" in flat(fr.stdout)
    assert "if ${net_facebook} = 'yes'" in flat(fr.stdout)
    en = run("show", "--lang", "en", "--diagnostic")
    assert en.exit_code == 0
    assert "Presence on social networks" in flat(en.stdout)
    assert "bpi2018-diagnostic" in flat(en.stdout) and "website" not in en.stdout


def test_show_refuses_unknown_language() -> None:
    """--lang accepts only fr and en."""
    result = run("show", "--lang", "de")
    assert result.exit_code == 2


def test_validate_builtin_definition() -> None:
    """validate on the built-in instrument passes with a summary."""
    result = run("validate")
    assert result.exit_code == 0
    assert "ok questionnaire bpi2018 2018.1: 8 sections, 27 questions" in flat(result.stdout)


def test_validate_answers(tmp_path: Path) -> None:
    """Answer sets are checked; problems are listed with set, question and code, exit 1."""
    good = {
        "net_facebook": "no",
        "net_linkedin": "no",
        "net_twitter": "no",
        "net_youtube": "no",
        "net_instagram": "no",
        "activity": "inactive",
        "tempo": "en_retard",
        "strategy": "no",
        "spend": "zero",
        "staff_trained": "no",
        "marketing_team": "no",
        "leader_activity": "inactive",
        "size_band": "0-9",
        "sector": "services",
        "market": "b2b",
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps([good, {**good, "spend": "lots", "managed_by": ["leader"]}]))
    result = run("validate", "--diagnostic", "--answers", str(path), "--lang", "en")
    assert result.exit_code == 1
    text = flat(result.stderr)
    assert "answer set 2, question spend [unknown_choice]" in text
    assert "question managed_by [unknown_question]" in text  # not in the diagnostic subset
    assert "1 of 2 answer set(s) have problems" in text
    path.write_text(json.dumps(good))
    ok = run("validate", "--diagnostic", "--answers", str(path))
    assert ok.exit_code == 0 and "1 answer set(s) valid" in flat(ok.stdout)


def test_validate_reports_bad_files(tmp_path: Path) -> None:
    """Unreadable answers or a broken definition give a clear error and exit 1."""
    bad = tmp_path / "answers.json"
    bad.write_text("{not json")
    result = run("validate", "--answers", str(bad))
    assert result.exit_code == 1 and "not valid JSON" in flat(result.stderr)
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nversion: '1'\ntitle_fr: T\ntitle_en: T\nsections: []\n")
    result = run("validate", "--file", str(broken))
    assert result.exit_code == 1 and "has no section" in flat(result.stderr)


def test_export_then_import(tmp_path: Path) -> None:
    """export writes XLSForm, JSON and YAML; import reads the XLSForm back unchanged."""
    xlsx, as_json, as_yaml = tmp_path / "q.xlsx", tmp_path / "q.json", tmp_path / "q.yaml"
    result = run("export", str(xlsx), str(as_json), str(as_yaml))
    assert result.exit_code == 0, result.output
    bpi = load_builtin("bpi2018")
    assert read_xlsform(xlsx) == bpi
    assert parse_questionnaire_yaml(as_json.read_text()) == bpi
    canonical = tmp_path / "canonical.yaml"
    imported = run("import", str(xlsx), "--output", str(canonical))
    assert imported.exit_code == 0, imported.output
    assert canonical.read_text() == as_yaml.read_text()
    printed = run("import", str(xlsx))
    assert parse_questionnaire_yaml(printed.stdout) == bpi
    shown = run("show", "--file", str(xlsx))
    assert shown.exit_code == 0 and "net_facebook" in shown.stdout


def test_import_reports_located_errors(tmp_path: Path) -> None:
    """A broken XLSForm is reported with sheet, row and column and exit code 1."""
    from openpyxl import Workbook

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label::French (fr)", "label::English (en)"])
    survey.append(["begin repeat", "r", "R", "R"])
    workbook.create_sheet("settings").append(["form_id", "version"])
    workbook["settings"].append(["f", "1"])
    path = tmp_path / "broken.xlsx"
    workbook.save(path)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "sheet 'survey', row 2, column 'type': repeat groups are not supported" in flat(
        result.stderr
    )
    checked = run("validate", "--file", str(path))
    assert checked.exit_code == 1
    assert f"{path}: sheet 'survey', row 2, column 'type'" in flat(checked.stderr)
    missing = run("import", str(tmp_path / "nope.xlsx"))
    assert missing.exit_code == 1 and "not a readable .xlsx workbook" in flat(missing.stderr)


def test_export_refuses_unknown_format(tmp_path: Path) -> None:
    """export names the formats it knows when given another suffix."""
    result = run("export", str(tmp_path / "q.csv"))
    assert result.exit_code == 1
    assert "use .xlsx, .yaml or .json" in flat(result.stderr)
