"""The maturity score: 0-100 on six named dimensions, from a published table of points.

The formula is deliberately plain so that a company leader can redo it by hand:

* every scoring item names one question and the points each answer code earns; for a
  multiple-choice question the points of every chosen code add up, capped at the item's cap;
* a dimension's score is ``100 x points earned / points available``, rounded;
* the overall score is the plain mean of the measured dimensions, rounded.

A question the form did not ask (the short public form asks about twelve) is left out of the
points available, so a short form is not penalised; a question skipped by the skip logic (for
example who runs the accounts when there is no account) earns 0 points, because the skip itself
says the practice is absent.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from barometre.diagnostic._text import Text
from barometre.diagnostic.errors import NothingToScoreError
from barometre.questionnaire import Answers, chosen
from barometre.questionnaire.vocabulary import ACTIONS, OBJECTIVES


class Dimension(Enum):
    """A named facet of social-network maturity."""

    PRESENCE = "presence"
    ACTIVITY = "activity"
    STRATEGY = "strategy"
    MEANS = "means"
    SKILLS = "skills"
    LEADER = "leader"

    @property
    def label(self) -> Text:
        """The dimension's name for people."""
        return _DIMENSION_LABELS[self]


_DIMENSION_LABELS: Mapping[Dimension, Text] = MappingProxyType(
    {
        Dimension.PRESENCE: Text("Présence", "Presence"),
        Dimension.ACTIVITY: Text("Activité", "Activity"),
        Dimension.STRATEGY: Text("Stratégie", "Strategy"),
        Dimension.MEANS: Text("Moyens", "Means"),
        Dimension.SKILLS: Text("Compétences", "Skills"),
        Dimension.LEADER: Text("Implication du dirigeant", "Leader involvement"),
    }
)


@dataclass(frozen=True)
class ScoreItem:
    """One line of the points table: what a question's answers earn on one dimension."""

    dimension: Dimension
    question: str
    label: Text
    points: Mapping[str, int]
    cap: int

    def earned(self, answers: Answers) -> int:
        """Points earned by `answers` on this item (0 when unanswered or skipped)."""
        return min(self.cap, sum(self.points.get(c, 0) for c in chosen(answers, self.question)))


def _item(dim: Dimension, question: str, fr: str, en: str, points: dict[str, int]) -> ScoreItem:
    return ScoreItem(dim, question, Text(fr, en), MappingProxyType(points), max(points.values()))


def _multi(
    dim: Dimension, question: str, fr: str, en: str, codes: Collection[str], cap: int
) -> ScoreItem:
    return ScoreItem(dim, question, Text(fr, en), MappingProxyType(dict.fromkeys(codes, 1)), cap)


_NETWORK_NAMES = {
    "net_facebook": "Facebook",
    "net_linkedin": "LinkedIn",
    "net_twitter": "X (Twitter)",
    "net_youtube": "YouTube",
    "net_instagram": "Instagram",
}

D = Dimension
SCORE_ITEMS: tuple[ScoreItem, ...] = (
    _item(D.PRESENCE, "website", "Site web (vitrine 1, marchand 2)",
          "Website (showcase 1, online shop 2)", {"vitrine": 1, "marchand": 2}),
    *(
        _item(D.PRESENCE, q, f"Compte officiel {name}", f"Official {name} account", {"yes": 1})
        for q, name in _NETWORK_NAMES.items()
    ),
    _item(D.ACTIVITY, "activity", "Activité (peu active 1, active 2, très active 3)",
          "Activity (barely active 1, active 2, very active 3)",
          {"peu_active": 1, "active": 2, "tres_active": 3}),
    _multi(D.ACTIVITY, "actions", "Actions menées (1 par action, 4 au plus)",
           "Actions carried out (1 each, at most 4)", ACTIONS, 4),
    _item(D.STRATEGY, "strategy", "Une stratégie réseaux sociaux (3)",
          "A social-network strategy (3)", {"yes": 3}),
    _multi(D.STRATEGY, "objectives", "Objectifs poursuivis (1 par objectif, 2 au plus)",
           "Objectives pursued (1 each, at most 2)", OBJECTIVES, 2),
    _item(D.STRATEGY, "competitive_edge", "Y voir un avantage concurrentiel (1)",
          "Seeing it as a competitive edge (1)", {"yes": 1}),
    _item(D.MEANS, "spend", "Budget annuel, personnel compris (< 5 k€ 1, 5-10 k€ 2, "
          "10-50 k€ 3, 50 k€ et plus 4)", "Yearly budget, staff included (< 5 k€ 1, "
          "5-10 k€ 2, 10-50 k€ 3, 50 k€ or more 4)",
          {"lt_5k": 1, "5k_10k": 2, "10k_50k": 3, "ge_50k": 4}),
    _item(D.MEANS, "marketing_team", "Une équipe marketing ou communication (2)",
          "A marketing or communication team (2)", {"yes": 2}),
    _item(D.SKILLS, "staff_trained", "Personnel formé aux réseaux sociaux (3)",
          "Staff trained in social networks (3)", {"yes": 3}),
    _multi(D.SKILLS, "managed_by", "Comptes tenus par l'équipe marketing, un salarié ou une "
           "agence (1 chacun, 2 au plus)", "Accounts run by the marketing team, an employee or "
           "an agency (1 each, at most 2)", ("marketing_team", "employee", "agency"), 2),
    _item(D.LEADER, "leader_activity", "Activité personnelle du dirigeant (peu active 1, "
          "active 2, très active 3)", "The leader's own activity (barely active 1, active 2, "
          "very active 3)", {"peu_active": 1, "active": 2, "tres_active": 3}),
    _item(D.LEADER, "managed_by", "Le dirigeant anime lui-même les comptes (1)",
          "The leader runs the accounts in person (1)", {"leader": 1}),
)  # fmt: skip

SCORED_QUESTIONS: frozenset[str] = frozenset(item.question for item in SCORE_ITEMS)


@dataclass(frozen=True)
class DimensionScore:
    """One dimension's score, with the points behind it."""

    dimension: Dimension
    points: int
    available: int

    @property
    def score(self) -> int:
        """The dimension's score, 0-100."""
        return round(100 * self.points / self.available)


@dataclass(frozen=True)
class MaturityScore:
    """The overall 0-100 score and its measured dimensions (in the order of `Dimension`)."""

    overall: int
    dimensions: tuple[DimensionScore, ...]

    def dimension(self, dimension: Dimension) -> DimensionScore | None:
        """The score of `dimension`, None when the form asked none of its questions."""
        return next((d for d in self.dimensions if d.dimension is dimension), None)


def maturity_score(answers: Answers, asked: Collection[str] | None = None) -> MaturityScore:
    """Score one answer set; `asked` lists the questions the form asked (default: all)."""
    counted = SCORED_QUESTIONS if asked is None else SCORED_QUESTIONS & frozenset(asked)
    dimensions: list[DimensionScore] = []
    for dimension in Dimension:
        items = [i for i in SCORE_ITEMS if i.dimension is dimension and i.question in counted]
        if items:
            earned = sum(i.earned(answers) for i in items)
            dimensions.append(DimensionScore(dimension, earned, sum(i.cap for i in items)))
    if not dimensions:
        raise NothingToScoreError("no scored question was asked: cannot compute a maturity score")
    overall = round(sum(d.score for d in dimensions) / len(dimensions))
    return MaturityScore(overall, tuple(dimensions))
