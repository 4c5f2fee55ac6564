"""The figures the 2018 study published, and a wave's comparison with them.

The 2018 figures are raw shares of 1,657 respondents without any published uncertainty; to say
whether a wave differs from them we treat each as a simple random sample proportion of n = 1,657
(binomial standard error), which understates their real uncertainty: read the flag as indicative.

A fair comparison needs the same base on both sides: each 2018 figure says whether it counts
all respondents, those who answered the question, present firms or classified firms, and the
wave's figure is recomputed on that base (`comparison_specs`). With some thirty figures tested
at once, about one would pass a 5 % test by chance; a gap is called significant only when it
survives Holm's step-down correction over all the figures compared.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources

from barometre.report.indicators import IndicatorSpec
from barometre.report.results import PublishedComparison, Share, Typology

PUBLISHED_N = 1657


def two_sided_p(z: float) -> float:
    """The two-sided normal p-value of a z statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


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
    percent_answered: float | None = None  # the same figure among those who answered, if known

    def like_for_like(self) -> tuple[float, str]:
        """The 2018 percentage and base to compare a wave with.

        A figure over all respondents counts the 2018 non-answers as "no"; when the study also
        gave it among those who answered, that is the one to set against a wave's answers.
        """
        if self.base == "all" and self.percent_answered is not None:
            return self.percent_answered, "answered"
        return self.percent, self.base


def published_2018() -> tuple[PublishedFigure, ...]:
    """The figures of the 2018 study, shipped with the package."""
    text = (
        resources.files("barometre.report")
        .joinpath("data/published_2018.csv")
        .read_text(encoding="utf-8")
    )
    rows = csv.DictReader(text.splitlines())
    return tuple(
        PublishedFigure(
            r["indicator"],
            r["category"],
            float(r["percent"]),
            r["base"],
            r["note"],
            float(r["percent_answered"]) if r.get("percent_answered") else None,
        )
        for r in rows
    )


# The 2018 study's bases, as the wave's indicator catalogue names them.
_BASES = {"all": "all", "answered": "answered", "present": "present"}
REBASED = "@2018"  # suffix of the wave's indicators recomputed on a 2018 base


def comparison_specs(specs: Sequence[IndicatorSpec]) -> tuple[IndicatorSpec, ...]:
    """The wave's indicators behind the 2018 figures, each recomputed on the 2018 base.

    Their ids are the indicator's id + "@2018"; a figure whose base the wave's catalogue
    cannot reproduce gets no spec and is then shown as not comparable.
    """
    known = {s.id: s for s in specs}
    out: dict[str, IndicatorSpec] = {}
    for fig in published_2018():
        ind = PUBLISHED_TO_INDICATOR.get((fig.indicator, fig.category))
        base = _BASES.get(fig.like_for_like()[1])
        if ind is None or ind not in known or base is None:
            continue
        out[ind] = replace(known[ind], id=ind + REBASED, base=base)
    return tuple(out.values())


def holm(p_values: Sequence[float | None], alpha: float = 0.05) -> list[bool | None]:
    """Holm's step-down rule: which of the tests reject at family-wise level `alpha`.

    None (a test that could not be made) stays None and does not count in the family.
    """
    ranked = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    out: list[bool | None] = [None if p is None else False for p in p_values]
    m = len(ranked)
    for k, (p, i) in enumerate(ranked):
        if p > alpha / (m - k):
            break  # step-down: once one test fails, every larger p-value fails too
        out[i] = True
    return out


def compare_published(
    shares: dict[str, Share], typology: Typology | None = None
) -> tuple[PublishedComparison, ...]:
    """Each 2018 figure against the wave's estimate on the same base, Holm-corrected.

    `shares` are the wave's shares by indicator id, computed on the 2018 bases (a plain id
    stands for itself); the typology's segments are compared with the 2018 segment shares
    (among classified firms on both sides).
    """
    segments = {s.code: s for s in typology.segments} if typology is not None else {}
    rows: list[tuple[str, float, Share, str, str, str, str]] = []
    for fig in published_2018():
        percent, base = fig.like_for_like()
        p0 = percent / 100
        if fig.indicator == "typology":
            seg = segments.get(fig.category)
            if seg is not None:
                rows.append(
                    (
                        f"typology.{seg.code}",
                        p0,
                        seg.share,
                        fig.base,
                        seg.label_fr,
                        seg.label_en,
                        fig.note,
                    )
                )
            continue
        ind = PUBLISHED_TO_INDICATOR.get((fig.indicator, fig.category))
        if ind is None:
            continue
        # The wave's figure on the 2018 base; the indicator itself when no rebased one exists.
        share = shares.get(ind + REBASED) or shares.get(ind)
        if share is None:
            continue
        rows.append((ind, p0, share, base, "", "", fig.note))
    tests: list[float | None] = []
    diffs: list[float | None] = []
    for _, p0, share, *_ in rows:
        if not share.shown or share.estimate is None or share.se is None:
            tests.append(None)
            diffs.append(None)
            continue
        diff = share.estimate - p0
        se = math.sqrt(share.se**2 + p0 * (1 - p0) / PUBLISHED_N)
        tests.append(two_sided_p(diff / se) if se > 0 else (1.0 if diff == 0 else 0.0))
        diffs.append(diff)
    flags = holm(tests)
    return tuple(
        PublishedComparison(
            ind, p0, share, diff, flag, note, base=base, label_fr=fr, label_en=en, p_value=p
        )
        for (ind, p0, share, base, fr, en, note), diff, flag, p in zip(
            rows, diffs, flags, tests, strict=True
        )
    )
