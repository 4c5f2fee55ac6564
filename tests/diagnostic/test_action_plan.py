"""The action plan has 3-5 steps chosen from the firm's gaps and market."""

from __future__ import annotations

from barometre.diagnostic import action_plan, diagnose, maturity_score

BEGINNER = {
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
}
EXPERT = {
    "website": "marchand",
    **{f"net_{n}": "yes" for n in ("facebook", "linkedin", "twitter", "youtube", "instagram")},
    "activity": "tres_active",
    "tempo": "en_avance",
    "strategy": "yes",
    "spend": "ge_50k",
    "staff_trained": "yes",
    "marketing_team": "yes",
    "managed_by": ["marketing_team", "leader"],
    "actions": ["prospect", "recruit", "market_watch", "customer_service", "photos", "advertising"],
    "objectives": ["visibility", "new_customers"],
    "competitive_edge": "yes",
    "leader_activity": "tres_active",
}


def _codes(answers: dict[str, object]) -> list[str]:
    plan = action_plan(answers, maturity_score(answers))  # type: ignore[arg-type]
    assert 3 <= len(plan.steps) <= 5
    assert [s.priority for s in plan.steps] == list(range(1, len(plan.steps) + 1))
    return [s.code for s in plan.steps]


def test_b2b_beginner_starts_with_linkedin() -> None:
    """A B2B firm with no account is first told to open a LinkedIn page."""
    codes = _codes({**BEGINNER, "market": "b2b"})
    assert codes[0] == "linkedin_page"
    assert "customer_networks" not in codes


def test_b2c_beginner_goes_where_customers_are() -> None:
    """A B2C firm with no account is first told to join its customers' networks."""
    codes = _codes({**BEGINNER, "market": "b2c"})
    assert codes[0] == "customer_networks"
    assert "linkedin_page" not in codes


def test_b2b_market_steps() -> None:
    """A present B2B firm gets prospecting, employer branding or sector watch on LinkedIn."""
    answers = {**EXPERT, "market": "b2b", "actions": ["company_news"]}
    codes = _codes(answers)
    assert {"b2b_prospecting", "b2b_employer_brand", "b2b_sector_watch"} & set(codes)


def test_b2c_market_steps() -> None:
    """A present B2C firm without customer service on the networks is told to provide it."""
    answers = {**EXPERT, "market": "b2c", "actions": ["company_news"]}
    assert "b2c_customer_service" in _codes(answers)


def test_expert_still_gets_three_steps() -> None:
    """A firm with no gap still gets at least three steps to keep progressing."""
    codes = _codes({**EXPERT, "market": "both"})
    assert len(codes) >= 3


def test_plan_states_the_entry_budget() -> None:
    """The plan quotes the study's entry ticket of about 10 k€ a year, staff included."""
    d = diagnose({**BEGINNER, "market": "b2b", "size_band": "10-19", "sector": "services"})
    assert "10 k€" in d.plan.budget.fr and "staff" in d.plan.budget.en
    assert d.segment is not None and d.segment.code == "masse_silencieuse"
    assert d.benchmark is None and d.size_band == "10-19"
