"""What the synthetic population must reproduce: the 2018 published figures, and the
shares we had to assume where the study published none.

The published figures are respondent shares (`study/published_figures.csv`, from the
study's public summaries); the synthetic model takes them as its population truth.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A share (0-1) the population truth should hit, and where it comes from."""

    question: str
    code: str
    base: str  # "all" firms, or "present" (at least one official account)
    share: float
    published: bool
    note: str = ""


# The 2018 study's published figures, as in published_figures.csv (percent / 100).
PUBLISHED: tuple[Target, ...] = (
    Target("present", "yes", "all", 0.70, True, "presence_any"),
    Target("net_facebook", "yes", "present", 0.80, True),
    Target("net_linkedin", "yes", "present", 0.52, True),
    Target("net_twitter", "yes", "present", 0.27, True),
    Target("net_youtube", "yes", "present", 0.24, True),
    Target("net_instagram", "yes", "present", 0.18, True),
    Target("activity", "inactive", "all", 0.29, True),
    Target("activity", "peu_active", "all", 0.35, True),
    Target("activity", "active_or_tres_active", "all", 0.36, True, "active + tres_active"),
    Target("tempo", "en_retard", "all", 0.53, True),
    Target("tempo", "bon_tempo", "all", 0.45, True),
    Target("tempo", "en_avance", "all", 0.02, True),
    Target("spend", "zero", "all", 0.40, True),
    Target("spend", "under_10k", "all", 0.80, True, "zero + lt_5k + 5k_10k"),
    Target("obstacles", "lack_time", "all", 0.84, True),
    Target("obstacles", "not_priority", "all", 0.70, True),
    Target("obstacles", "lack_skills", "all", 0.57, True),
    Target("obstacles", "no_interest_visibility", "all", 0.40, True),
    Target("obstacles", "too_costly", "all", 0.33, True),
    Target("strategy", "no", "all", 0.70, True),
    Target("staff_trained", "no", "all", 0.69, True),
    Target("managed_by", "leader", "all", 0.35, True, "the leader publishes personally"),
    Target("leader_activity", "inactive_or_peu_active", "all", 0.72, True),
    Target("competitive_edge", "yes", "all", 0.63, True),
    Target("typology", "masse_silencieuse", "all", 0.44, True),
    Target("typology", "desinvoltes", "all", 0.19, True),
    Target("typology", "combatives", "all", 0.09, True),
    Target("typology", "pionnieres", "all", 0.28, True),
)

# Shares the study did not publish; chosen to be plausible and consistent with the
# published ones (e.g. the website mix, the split of `active` / `tres_active`).
ASSUMED: tuple[Target, ...] = (
    Target("activity", "active", "all", 0.28, False),
    Target("activity", "tres_active", "all", 0.08, False),
    Target("leader_activity", "inactive", "all", 0.35, False),
    Target("leader_activity", "peu_active", "all", 0.37, False),
    Target("leader_activity", "active", "all", 0.21, False),
    Target("leader_activity", "tres_active", "all", 0.07, False),
    Target("spend", "lt_5k", "all", 0.28, False),
    Target("spend", "5k_10k", "all", 0.12, False),
    Target("spend", "10k_50k", "all", 0.15, False),
    Target("spend", "ge_50k", "all", 0.05, False),
    Target("obstacles", "data_fear", "all", 0.25, False),
    Target("website", "vitrine", "all", 0.63, False),
    Target("website", "marchand", "all", 0.15, False),
    Target("website", "aucun", "all", 0.22, False),
    Target("managed_by", "employee", "present", 0.30, False),
    Target("managed_by", "agency", "present", 0.18, False),
    Target("actions", "company_news", "present", 0.72, False, "the most common action"),
    Target("actions", "market_watch", "present", 0.58, False),
    Target("actions", "share_content", "present", 0.52, False),
    Target("actions", "photos", "present", 0.45, False),
    Target("actions", "recruit", "present", 0.30, False),
    Target("actions", "prospect", "present", 0.26, False),
    Target("actions", "customer_service", "present", 0.15, False),
    Target("actions", "advertising", "present", 0.18, False),
    Target("objectives", "visibility", "present", 0.68, False),
    Target("objectives", "brand_image", "present", 0.52, False),
    Target("objectives", "new_customers", "present", 0.40, False),
    Target("objectives", "loyalty", "present", 0.28, False),
    Target("objectives", "recruitment", "present", 0.22, False),
    Target("objectives", "employer_brand", "present", 0.18, False),
    Target("objectives", "market_watch", "present", 0.30, False),
    Target("objectives", "sales", "present", 0.25, False),
    Target("employee_age", "under_40", "all", 0.40, False),
    Target("growth", "down", "all", 0.20, False),
    Target("growth", "up", "all", 0.42, False),
)

# Respondents' raw mix by size band in 2018 (1,657 answers), and the return rate.
RESPONDENT_SIZE_MIX: dict[str, float] = {
    "0-9": 0.16,
    "10-19": 0.23,
    "20-49": 0.38,
    "50-249": 0.18,
    "250+": 0.05,
}
RETURN_RATE = 0.055
SAMPLE_SIZE = 30_000


def share(question: str, code: str) -> float:
    """The target share of one code (published first, then assumed)."""
    for target in (*PUBLISHED, *ASSUMED):
        if target.question == question and target.code == code:
            return target.share
    raise KeyError(f"no target for {question}={code}")
