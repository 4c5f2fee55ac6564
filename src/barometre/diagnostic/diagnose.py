"""One firm's diagnostic: its segment, maturity score, peer benchmark and action plan."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum

from barometre.diagnostic._text import Text
from barometre.diagnostic.action_plan import ActionPlan, action_plan
from barometre.diagnostic.benchmark import (
    BenchmarkTable,
    PeerBenchmark,
    peer_benchmark,
    sector_label,
    size_label,
)
from barometre.diagnostic.scoring import MaturityScore, maturity_score
from barometre.diagnostic.segment import Segment, segment_of
from barometre.questionnaire import Answers, code


class Source(Enum):
    """Where the size band or sector used for the peers comes from."""

    REGISTRY = "registry"
    ANSWER = "answer"


@dataclass(frozen=True)
class ProfileChoice:
    """One profile value the peers are chosen by (size band or sector), and why that value."""

    code: str
    source: Source
    answered: str | None
    """What the leader answered, when it differs from the registry's value used."""


@dataclass(frozen=True)
class Diagnostic:
    """Everything the diagnostic page shows for one firm."""

    segment: Segment | None
    score: MaturityScore
    benchmark: PeerBenchmark | None
    plan: ActionPlan
    size_band: str | None
    sector: str | None
    size_choice: ProfileChoice | None = None
    sector_choice: ProfileChoice | None = None

    @property
    def profile_note(self) -> Text | None:
        """Which size band and sector chose the peers, and why (registry or answer), in words."""
        parts: list[Text] = []
        if self.size_choice is not None:
            label = size_label(self.size_choice.code)
            parts.append(
                _choice_text(
                    self.size_choice,
                    Text(f"entreprises {label.fr}", f"firms {label.en}"),
                    size_label(self.size_choice.answered or ""),
                    Text("taille", "size"),
                )
            )
        if self.sector_choice is not None:
            parts.append(
                _choice_text(
                    self.sector_choice,
                    sector_label(self.sector_choice.code),
                    sector_label(self.sector_choice.answered or ""),
                    Text("secteur", "sector"),
                )
            )
        if not parts:
            return None
        return Text(" ".join(p.fr for p in parts), " ".join(p.en for p in parts))


def _choice_text(choice: ProfileChoice, used: Text, answered: Text, what: Text) -> Text:
    if choice.source is Source.ANSWER:
        return Text(
            f"{what.fr.capitalize()} retenu{'e' if what.fr == 'taille' else ''} pour vos pairs"
            f"\u00a0: {used.fr}, d'après votre réponse.",
            f"{what.en.capitalize()} used for your peers: {used.en}, from your answer.",
        )
    fr = (
        f"{what.fr.capitalize()} retenu{'e' if what.fr == 'taille' else ''} pour vos pairs"
        f"\u00a0: {used.fr}, d'après le répertoire SIRENE où l'entreprise a été tirée au sort."
    )
    en = (
        f"{what.en.capitalize()} used for your peers: {used.en}, from the SIRENE registry "
        "the company was sampled from."
    )
    if choice.answered is not None:
        fr += (
            f" Vous avez répondu «\u00a0{answered.fr.removeprefix('de ')}\u00a0»\u00a0: "
            "l'enquête est pondérée d'après le répertoire, c'est donc lui qui désigne vos pairs."
        )
        en += (
            f" You answered “{answered.en.removeprefix('with ')}”: the survey is weighted by "
            "the registry, so the registry decides who your peers are."
        )
    return Text(fr, en)


def _choice(registry: str | None, answered: str | None) -> ProfileChoice | None:
    if registry:
        differs = answered if answered and answered != registry else None
        return ProfileChoice(registry, Source.REGISTRY, differs)
    if answered:
        return ProfileChoice(answered, Source.ANSWER, None)
    return None


def diagnose(
    answers: Answers,
    benchmark: BenchmarkTable | None = None,
    *,
    asked: Collection[str] | None = None,
    size_band: str | None = None,
    sector: str | None = None,
) -> Diagnostic:
    """Diagnose one answer set against a published wave's benchmark table (when there is one).

    `size_band` and `sector` default to the firm's answers; pass the frame's values for an
    invited firm (the registry wins over self-reported profile answers, and the diagnostic
    says so). `asked` lists the questions the form asked (default: the whole questionnaire):
    the score and the peers' figures are then computed on those questions only.
    """
    size_choice = _choice(size_band, code(answers, "size_band"))
    sector_choice = _choice(sector, code(answers, "sector"))
    size_band = size_choice.code if size_choice else None
    sector = sector_choice.code if sector_choice else None
    score = maturity_score(answers, asked)
    peers = peer_benchmark(benchmark, answers, size_band, sector, asked) if benchmark else None
    return Diagnostic(
        segment=segment_of(answers),
        score=score,
        benchmark=peers,
        plan=action_plan(answers, score),
        size_band=size_band,
        sector=sector,
        size_choice=size_choice,
        sector_choice=sector_choice,
    )
