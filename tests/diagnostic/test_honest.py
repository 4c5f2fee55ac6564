"""An honest diagnostic: peers scored on the form's own questions, wording from the answers."""

from __future__ import annotations

from barometre.diagnostic import (
    Diagnostic,
    PeerLevel,
    build_benchmark_table,
    diagnose,
    maturity_score,
)
from barometre.diagnostic.benchmark import SCORE_INDICATOR, score_indicator
from barometre.questionnaire import answers_from_wide_row, load_builtin
from barometre.web.testing import COMPLETE

from .test_build_benchmark import _wave

FULL = load_builtin("bpi2018")
SHORT = FULL.diagnostic_questions


def test_score_indicator_names_the_questions_scored() -> None:
    """The full form keeps `score`; a short form gets its own code, the same for the same set."""
    assert score_indicator(None) == SCORE_INDICATOR
    assert score_indicator([*SHORT, "comment"]) == score_indicator(list(reversed(SHORT)))
    assert score_indicator(SHORT) != SCORE_INDICATOR


def test_short_form_peer_mean_is_rescored_on_its_questions() -> None:
    """The stored short-form mean is the weighted mean of peers rescored on the short form."""
    wave = _wave()
    table = build_benchmark_table(wave, wave="demo", min_n=30)  # the short form by default
    rows = list(wave.iter_rows(named=True))
    weights = [r["weight"] for r in rows]
    short = [maturity_score(answers_from_wide_row(FULL, r), SHORT).overall for r in rows]
    full = [maturity_score(answers_from_wide_row(FULL, r)).overall for r in rows]
    expected = sum(w * s for w, s in zip(weights, short, strict=True)) / sum(weights)
    expected_full = sum(w * s for w, s in zip(weights, full, strict=True)) / sum(weights)
    everyone = next(c for c in table.cells if c.key == "all")
    assert abs(everyone.estimates[score_indicator(SHORT)].estimate - expected) < 1e-9
    assert abs(everyone.estimates[SCORE_INDICATOR].estimate - expected_full) < 1e-9
    d = diagnose({**COMPLETE}, table, asked=SHORT, size_band=None, sector=None)
    assert d.benchmark is not None and d.benchmark.score is not None
    assert (
        d.benchmark.score
        == table.cell(d.benchmark.level, *_keys(d)).estimates[score_indicator(SHORT)]
    )


def _keys(d: Diagnostic) -> tuple[str | None, str | None]:
    level = d.benchmark.level if d.benchmark else PeerLevel.ALL
    size = d.size_band if level in (PeerLevel.SIZE_SECTOR, PeerLevel.SIZE) else None
    sector = d.sector if level in (PeerLevel.SIZE_SECTOR, PeerLevel.SECTOR) else None
    return size, sector


def test_a_form_not_in_the_table_gets_no_peer_score() -> None:
    """Peers scored on other questions are never shown: no rescoring stored, no peer score."""
    table = build_benchmark_table(_wave(), wave="demo", min_n=30, forms=[])
    d = diagnose(COMPLETE, table, asked=SHORT)
    assert d.benchmark is not None and d.benchmark.score is None
    assert all(c.indicator != "present" or c.firm is not None for c in d.benchmark.comparisons)


def test_pioneer_without_strategy_is_not_told_it_has_one() -> None:
    """An active, on-time firm with no strategy: its segment lines quote its answers only."""
    answers = {**COMPLETE, "activity": "tres_active", "tempo": "en_avance", "strategy": "no"}
    d = diagnose(answers)
    assert d.segment is not None and d.segment.code == "pionnieres"
    lines = " ".join(t.fr + " " + t.en for t in d.segment.basis)
    assert "stratégie" not in lines.lower() and "strategy" not in lines.lower()
    assert "active ou très active" in lines and "in step with or ahead" in lines


def test_registry_size_is_explained_against_the_answer() -> None:
    """Registry values win and the note says so, with labels and the leader's own answer."""
    answers = {**COMPLETE, "size_band": "20-49", "sector": "transport"}
    d = diagnose(answers, size_band="0-9", sector="transport")
    note = d.profile_note
    assert note is not None and d.size_band == "0-9"
    assert "moins de 10 salariés" in note.fr and "répertoire SIRENE" in note.fr
    assert "Vous avez répondu «\u00a020 à 49 salariés\u00a0»" in note.fr
    assert "0-9" not in note.fr and "20-49" not in note.en
    own = diagnose(answers).profile_note
    assert own is not None and "d'après votre réponse" in own.fr and "SIRENE" not in own.fr


def test_plan_gives_the_entry_ticket_once() -> None:
    """When a step already budgets the entry ticket, the closing advice does not repeat it."""
    d = diagnose({**COMPLETE, "spend": "lt_5k", "strategy": "no"})
    codes = [s.code for s in d.plan.steps]
    assert "entry_budget" in codes
    texts = [t.fr for t in d.plan.advice] + [s.detail.fr for s in d.plan.steps]
    assert sum("10 k€ par an" in t for t in texts) <= 1
    assert d.plan.budget not in d.plan.advice
