"""Changes between waves: overlap covariance in the SE, Holm across the key indicators."""

from __future__ import annotations

import pytest

from barometre.report import findings
from barometre.report.results import Share
from barometre.report.trends import TREND_KEYS, changes


def _share(p: float, se: float) -> Share:
    return Share(p, se, p - 2 * se, p + 2 * se, 1000, p)


def test_overlap_covariance_narrows_the_change() -> None:
    """A positive covariance (firms in both waves) shrinks the SE of the change."""
    prev, cur = {"x": _share(0.30, 0.02)}, {"x": _share(0.34, 0.02)}
    (independent,) = changes(prev, cur, family=())
    (panel,) = changes(prev, cur, covariances={"x": 0.0003}, family=())
    half = 1.959963984540054 * (2 * 0.02**2 - 2 * 0.0003) ** 0.5
    assert panel.ci_high - panel.difference == pytest.approx(half)
    assert independent.p_value is not None and panel.p_value is not None
    assert panel.p_value < independent.p_value


def test_key_indicators_are_holm_adjusted() -> None:
    """A change at p = 0.03 among nine key indicators is not significant after Holm;
    an indicator outside the family keeps its own p-value."""
    prev = {k: _share(0.40, 0.02) for k in TREND_KEYS} | {"other": _share(0.40, 0.02)}
    cur = dict(prev)
    cur[TREND_KEYS[0]] = _share(0.40 + 2.17 * 0.02 * 2**0.5, 0.02)  # z = 2.17, p = 0.03
    cur["other"] = cur[TREND_KEYS[0]]
    out = {c.indicator_id: c for c in changes(prev, cur)}
    key = out[TREND_KEYS[0]]
    assert key.p_value == pytest.approx(0.03, abs=0.001)
    assert key.adjustment == "holm" and key.p_adjusted == pytest.approx(9 * key.p_value)
    assert not key.significant
    assert out["other"].p_adjusted is None and out["other"].significant


def test_headline_says_which_correction() -> None:
    """The trend headline names Holm's correction in both languages."""
    assert "Holm correction for 9 tests" in findings.trend_title(0, 9, "2026", "en", adjusted=True)
    fr = findings.trend_title(2, 9, "2026", "fr", adjusted=True)
    assert fr.startswith("2 indicateurs clés sur 9 ont changé") and "correction de Holm" in fr
