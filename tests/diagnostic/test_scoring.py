"""The maturity score follows its published points table."""

from __future__ import annotations

import pytest

from barometre.diagnostic import Dimension, NothingToScoreError, maturity_score

FULL = {
    "website": "marchand",
    "net_facebook": "yes",
    "net_linkedin": "yes",
    "net_twitter": "no",
    "net_youtube": "no",
    "net_instagram": "yes",
    "activity": "active",
    "actions": ["company_news", "photos", "prospect", "recruit", "advertising"],
    "strategy": "yes",
    "objectives": ["visibility"],
    "competitive_edge": "yes",
    "spend": "10k_50k",
    "marketing_team": "yes",
    "staff_trained": "no",
    "managed_by": ["leader", "agency"],
    "leader_activity": "tres_active",
}


def test_points_by_hand() -> None:
    """Each dimension is 100 x earned / available, the overall score their mean."""
    score = maturity_score(FULL)
    by = {d.dimension: (d.points, d.available, d.score) for d in score.dimensions}
    # presence: marchand 2 + three networks = 5 of 7 -> 71
    assert by[Dimension.PRESENCE] == (5, 7, 71)
    # activity: active 2 + five actions capped at 4 = 6 of 7 -> 86
    assert by[Dimension.ACTIVITY] == (6, 7, 86)
    # strategy: yes 3 + one objective 1 + competitive edge 1 = 5 of 6 -> 83
    assert by[Dimension.STRATEGY] == (5, 6, 83)
    # means: 10-50 k€ 3 + marketing team 2 = 5 of 6 -> 83
    assert by[Dimension.MEANS] == (5, 6, 83)
    # skills: not trained 0 + agency 1 = 1 of 5 -> 20
    assert by[Dimension.SKILLS] == (1, 5, 20)
    # leader: very active 3 + runs the accounts 1 = 4 of 4 -> 100
    assert by[Dimension.LEADER] == (4, 4, 100)
    assert score.overall == round((71 + 86 + 83 + 83 + 20 + 100) / 6)


def test_short_form_leaves_unasked_questions_out() -> None:
    """Questions the short form did not ask do not count in the points available."""
    asked = ["net_facebook", "net_linkedin", "strategy", "spend"]
    score = maturity_score({"net_facebook": "yes", "strategy": "yes", "spend": "zero"}, asked)
    assert [d.dimension for d in score.dimensions] == [
        Dimension.PRESENCE,
        Dimension.STRATEGY,
        Dimension.MEANS,
    ]
    presence = score.dimension(Dimension.PRESENCE)
    assert presence is not None and (presence.points, presence.available) == (1, 2)
    assert score.dimension(Dimension.LEADER) is None


def test_skipped_questions_earn_nothing() -> None:
    """A firm with no account scores 0 on the questions the skip logic skipped."""
    answers = {q: "no" for q in FULL if q.startswith("net_")}
    score = maturity_score(answers)
    assert score.dimension(Dimension.PRESENCE).points == 0  # type: ignore[union-attr]
    assert score.overall == 0


def test_nothing_to_score() -> None:
    """A form that asked no scored question is a clear error."""
    with pytest.raises(NothingToScoreError, match="no scored question"):
        maturity_score({"size_band": "0-9"}, asked=["size_band"])
