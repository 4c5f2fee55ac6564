"""The figures the 2018 study published, and a wave's comparison with them.

The 2018 figures are raw shares of 1,657 respondents without any published uncertainty; to say
whether a wave differs from them we treat each as a simple random sample proportion of n = 1,657
(binomial standard error), which understates their real uncertainty: read the flag as indicative.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from importlib import resources

from barometre.report.results import PublishedComparison, Share
from barometre.report.trends import Z_95

PUBLISHED_N = 1657

# (indicator, category) rows of published_2018.csv -> indicator ids of `indicators.catalogue`.
PUBLISHED_TO_INDICATOR: dict[tuple[str, str], str] = {
    ("presence_any", "yes"): "presence_any",
    ("network", "facebook"): "net_facebook.yes@present",
    ("network", "linkedin"): "net_linkedin.yes@present",
    ("network", "twitter"): "net_twitter.yes@present",
    ("network", "youtube"): "net_youtube.yes@present",
    ("network", "instagram"): "net_instagram.yes@present",
    ("activity", "inactive"): "activity.inactive",
    ("activity", "peu_active"): "activity.peu_active",
    ("activity", "active_or_tres_active"): "activity.active_or_tres_active",
    ("tempo", "en_retard"): "tempo.en_retard",
    ("tempo", "bon_tempo"): "tempo.bon_tempo",
    ("tempo", "en_avance"): "tempo.en_avance",
    ("budget", "zero"): "spend.zero",
    ("budget", "under_10k"): "spend.under_10k",
    ("budget", "10k_or_more"): "spend.10k_or_more",
    ("obstacle", "lack_of_time"): "obstacles.lack_time",
    ("obstacle", "not_a_priority"): "obstacles.not_priority",
    ("obstacle", "lack_of_skills"): "obstacles.lack_skills",
    ("obstacle", "visibility_of_no_interest"): "obstacles.no_interest_visibility",
    ("obstacle", "too_costly"): "obstacles.too_costly",
    ("organisation", "no_strategy"): "strategy.no",
    ("organisation", "staff_not_trained"): "staff_trained.no",
    ("organisation", "leader_publishes"): "managed_by.leader@all",
    ("leader", "personally_inactive_or_peu_actif"): "leader_activity.inactive_or_peu_active",
    ("perception", "competitive_advantage"): "competitive_edge.yes",
}


@dataclass(frozen=True)
class PublishedFigure:
    """One row of the 2018 published figures."""

    indicator: str
    category: str
    percent: float
    base: str
    note: str


def published_2018() -> tuple[PublishedFigure, ...]:
    """The figures of the 2018 study, shipped with the package."""
    text = (
        resources.files("barometre.report")
        .joinpath("data/published_2018.csv")
        .read_text(encoding="utf-8")
    )
    rows = csv.DictReader(text.splitlines())
    return tuple(
        PublishedFigure(r["indicator"], r["category"], float(r["percent"]), r["base"], r["note"])
        for r in rows
    )


def compare_published(shares: dict[str, Share]) -> tuple[PublishedComparison, ...]:
    """Each mapped 2018 figure against the wave's estimate of the same indicator."""
    out: list[PublishedComparison] = []
    for fig in published_2018():
        ind = PUBLISHED_TO_INDICATOR.get((fig.indicator, fig.category))
        if ind is None or ind not in shares:
            continue
        share = shares[ind]
        p0 = fig.percent / 100
        if not share.shown or share.estimate is None or share.se is None:
            out.append(PublishedComparison(ind, p0, share, None, None, fig.note))
            continue
        diff = share.estimate - p0
        se = math.sqrt(share.se**2 + p0 * (1 - p0) / PUBLISHED_N)
        significant = se > 0 and abs(diff) / se > Z_95
        out.append(PublishedComparison(ind, p0, share, diff, bool(significant), fig.note))
    return tuple(out)
