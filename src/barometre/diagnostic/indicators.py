"""The indicators a firm is compared on: one yes/no fact per firm, read the same way from
one answer set (the firm) and from the wave dataset (its peers)."""

from __future__ import annotations

from dataclasses import dataclass

from barometre.diagnostic._text import Text
from barometre.questionnaire import Answers, chosen, is_present


@dataclass(frozen=True)
class Indicator:
    """A yes/no fact: the firm answered one of `codes` to `question` (any network for presence)."""

    code: str
    question: str
    codes: frozenset[str]
    label: Text

    def holds(self, answers: Answers) -> bool | None:
        """Whether the fact holds for one answer set; None when the question was not answered."""
        if self.question == "present":
            return is_present(answers)
        answered = chosen(answers, self.question)
        if not answered:
            return None
        return bool(answered & self.codes)


def _yes(question: str, fr: str, en: str) -> Indicator:
    return Indicator(question, question, frozenset({"yes"}), Text(fr, en))


INDICATORS: tuple[Indicator, ...] = (
    Indicator("present", "present", frozenset({"yes"}),
              Text("Compte officiel sur au moins un réseau",
                   "An official account on at least one network")),
    _yes("net_linkedin", "Compte LinkedIn", "LinkedIn account"),
    _yes("net_facebook", "Compte Facebook", "Facebook account"),
    _yes("net_instagram", "Compte Instagram", "Instagram account"),
    _yes("net_youtube", "Compte YouTube", "YouTube account"),
    _yes("net_twitter", "Compte X (Twitter)", "X (Twitter) account"),
    Indicator("active", "activity", frozenset({"active", "tres_active"}),
              Text("Active ou très active sur les réseaux",
                   "Active or very active on the networks")),
    _yes("strategy", "Une stratégie réseaux sociaux", "A social-network strategy"),
    Indicator("spend_ge_10k", "spend", frozenset({"10k_50k", "ge_50k"}),
              Text("Budget de 10 k€ ou plus par an, personnel compris",
                   "A budget of 10 k€ or more a year, staff included")),
    _yes("staff_trained", "Personnel formé", "Trained staff"),
    _yes("marketing_team", "Équipe marketing ou communication",
         "A marketing or communication team"),
    Indicator("leader_active", "leader_activity", frozenset({"active", "tres_active"}),
              Text("Dirigeant lui-même actif", "The leader personally active")),
)  # fmt: skip
