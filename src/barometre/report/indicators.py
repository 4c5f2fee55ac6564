"""The catalogue of indicators of a wave, derived from its questionnaire.

Every indicator is "the share of firms whose answer falls in some codes, among a base": each code
of each single-choice, yes/no and scale question, each code of each multiple-choice question,
presence on at least one network, and a few groups the study publishes (active or très active,
spend under 10 k€...). Turning them all into 0/1 columns over a base lets one estimator serve
them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from barometre.questionnaire import NETWORK_QUESTIONS, PRESENT, present_code
from barometre.report.errors import WaveFormatError

MULTIPLE_TYPES = frozenset({"multiple", "select_multiple", "multi", "multiple_choice"})
BREAKDOWN_VARIABLES = ("size_band", "sector", "market")


@dataclass(frozen=True)
class IndicatorSpec:
    """How to compute one indicator: which question, which codes count, over which base."""

    id: str
    question_id: str
    codes: tuple[str, ...]
    base: str  # "answered", "present" or "all" (missing counts as not chosen)
    multiple: bool
    label_fr: str
    label_en: str
    question_fr: str
    question_en: str


@dataclass(frozen=True)
class CodeGroup:
    """A published group of codes of one question, e.g. active + très active."""

    question_id: str
    name: str
    codes: tuple[str, ...]
    label_fr: str
    label_en: str


GROUPS: tuple[CodeGroup, ...] = (
    CodeGroup(
        "activity",
        "inactive_or_peu_active",
        ("inactive", "peu_active"),
        "Inactive ou peu active",
        "Inactive or barely active",
    ),
    CodeGroup(
        "activity",
        "active_or_tres_active",
        ("active", "tres_active"),
        "Active ou très active",
        "Active or very active",
    ),
    CodeGroup(
        "tempo",
        "on_time_or_ahead",
        ("bon_tempo", "en_avance"),
        "Dans le bon tempo ou en avance",
        "On time or ahead",
    ),
    CodeGroup(
        "spend",
        "under_10k",
        ("zero", "lt_5k", "5k_10k"),
        "Moins de 10 k€ (y compris rien)",
        "Under €10k (nothing included)",
    ),
    CodeGroup("spend", "10k_or_more", ("10k_50k", "ge_50k"), "10 k€ ou plus", "€10k or more"),
    CodeGroup(
        "leader_activity",
        "inactive_or_peu_active",
        ("inactive", "peu_active"),
        "Dirigeant inactif ou peu actif",
        "Leader inactive or barely active",
    ),
    CodeGroup(
        "leader_activity",
        "active_or_tres_active",
        ("active", "tres_active"),
        "Dirigeant actif ou très actif",
        "Leader active or very active",
    ),
)


# Short names of yes/no questions, so that "Oui" reads as a finding in charts and tables.
YES_NO_NAMES: dict[str, tuple[str, str]] = {
    "net_facebook": ("Facebook", "Facebook"),
    "net_linkedin": ("LinkedIn", "LinkedIn"),
    "net_twitter": ("Twitter / X", "Twitter / X"),
    "net_youtube": ("YouTube", "YouTube"),
    "net_instagram": ("Instagram", "Instagram"),
    "strategy": ("Stratégie réseaux sociaux", "Social network strategy"),
    "staff_trained": ("Personnel formé", "Trained staff"),
    "marketing_team": ("Équipe marketing ou communication", "Marketing or communication team"),
    "competitive_edge": (
        "Présence active = avantage concurrentiel",
        "Active presence = competitive edge",
    ),
}


VARIABLE_NAMES: dict[str, tuple[str, str]] = {
    "present": ("Présence", "Presence"),
    "website": ("Site internet", "Website"),
    "activity": ("Activité", "Activity"),
    "tempo": ("Tempo", "Tempo"),
    "managed_by": ("Qui publie", "Who publishes"),
    "actions": ("Actions", "Actions"),
    "objectives": ("Objectifs", "Objectives"),
    "obstacles": ("Freins", "Obstacles"),
    "region": ("Région", "Region"),
    "growth": ("Évolution du chiffre d'affaires", "Turnover trend"),
    "size_band": ("Taille", "Size"),
    "sector": ("Secteur", "Sector"),
    "market": ("Clientèle", "Market"),
    "spend": ("Budget", "Spend"),
    "leader_activity": ("Activité du dirigeant", "Leader's activity"),
    "employee_age": ("Âge moyen des salariés", "Employees' average age"),
    "leader_age": ("Âge du dirigeant", "Leader's age"),
    **YES_NO_NAMES,
}


def has_short_name(question_id: str) -> bool:
    """True when the question has a short name for tables."""
    return question_id in VARIABLE_NAMES


def short_name(question_id: str, lang: str) -> str:
    """A short name for a question in tables and legends ("Taille", "Sector")."""
    fr, en = VARIABLE_NAMES.get(question_id, (question_id, question_id))
    return en if lang == "en" else fr


def _yes_no_label(question: Any, code: str, label: str, lang: str) -> str:
    fr, en = YES_NO_NAMES.get(question.id, (question.label_fr, question.label_en))
    return f"{fr} : {label.lower()}" if lang == "fr" else f"{en}: {label.lower()}"


def question_type(question: Any) -> str:
    """The question's type as a plain string, whether the model stores a str or an Enum."""
    t = getattr(question, "type", "")
    return str(getattr(t, "value", t))


def is_multiple(question: Any) -> bool:
    """True for a multiple-choice question (one 0/1 column per code in the wave)."""
    return question_type(question) in MULTIPLE_TYPES


def _choices(question: Any) -> tuple[Any, ...]:
    return tuple(getattr(question, "choices", None) or ())


def catalogue(questionnaire: Any, columns: Iterable[str]) -> tuple[IndicatorSpec, ...]:
    """Every indicator the wave's columns allow, in questionnaire order."""
    cols = set(columns)
    specs: list[IndicatorSpec] = []
    if PRESENT in cols:
        specs.append(
            IndicatorSpec(
                "presence_any",
                PRESENT,
                ("yes",),
                "answered",
                False,
                "Présente sur au moins un réseau",
                "Present on at least one network",
                "Compte officiel sur au moins un des cinq réseaux",
                "Official account on at least one of the five networks",
            )
        )
    for q in questionnaire.questions:
        choices = _choices(q)
        if not choices:
            continue
        multiple = is_multiple(q)
        if multiple:
            if not any(f"{q.id}__{c.code}" in cols for c in choices):
                continue
        elif q.id not in cols:
            continue
        yes_no = question_type(q) == "yes_no"
        for c in choices:
            if multiple and f"{q.id}__{c.code}" not in cols:
                continue
            label_fr = _yes_no_label(q, c.code, c.label_fr, "fr") if yes_no else c.label_fr
            label_en = _yes_no_label(q, c.code, c.label_en, "en") if yes_no else c.label_en
            specs.append(
                IndicatorSpec(
                    f"{q.id}.{c.code}",
                    q.id,
                    (c.code,),
                    "answered",
                    multiple,
                    label_fr,
                    label_en,
                    q.label_fr,
                    q.label_en,
                )
            )
        for g in GROUPS:
            codes = {c.code for c in choices}
            if g.question_id == q.id and set(g.codes) <= codes:
                specs.append(
                    IndicatorSpec(
                        f"{q.id}.{g.name}",
                        q.id,
                        g.codes,
                        "answered",
                        False,
                        g.label_fr,
                        g.label_en,
                        q.label_fr,
                        q.label_en,
                    )
                )
        if PRESENT in cols and q.id in NETWORK_QUESTIONS:
            specs.append(
                IndicatorSpec(
                    f"{q.id}.yes@present",
                    q.id,
                    ("yes",),
                    "present",
                    False,
                    YES_NO_NAMES.get(q.id, (q.label_fr, q.label_en))[0],
                    YES_NO_NAMES.get(q.id, (q.label_fr, q.label_en))[1],
                    q.label_fr,
                    q.label_en,
                )
            )
        if multiple and q.id == "managed_by" and f"{q.id}__leader" in cols:
            # The 2018 study counts "the leader publishes" over all firms, not only present ones.
            specs.append(
                IndicatorSpec(
                    "managed_by.leader@all",
                    q.id,
                    ("leader",),
                    "all",
                    True,
                    "Le dirigeant publie lui-même (toutes entreprises)",
                    "The leader publishes in person (all firms)",
                    q.label_fr,
                    q.label_en,
                )
            )
    return tuple(specs)


def with_presence(wave: pl.DataFrame) -> pl.DataFrame:
    """The wave with its `present` column, derived from the network questions when absent."""
    if PRESENT in wave.columns:
        return wave
    nets = [c for c in NETWORK_QUESTIONS if c in wave.columns]
    if not nets:
        return wave
    # The questionnaire's one rule (`is_present`), row by row: a few thousand rows, no hot path.
    present = [present_code(row, nets) for row in wave.select(nets).iter_rows(named=True)]
    return wave.with_columns(pl.Series(PRESENT, present, dtype=pl.String))


def indicator_columns(
    wave: pl.DataFrame, specs: Sequence[IndicatorSpec]
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """For each indicator, a 0/1 value column and a boolean base (domain) column."""
    values: list[pl.Expr] = []
    bases: list[pl.Expr] = []
    for i, s in enumerate(specs):
        if s.multiple:
            cols = [f"{s.question_id}__{c}" for c in s.codes]
            missing = [c for c in cols if c not in wave.columns]
            if missing:
                raise WaveFormatError(f"indicator {s.id}: wave has no column(s) {missing}")
            chosen = pl.any_horizontal([pl.col(c) == 1 for c in cols])
            answered = pl.col(cols[0]).is_not_null()
        else:
            if s.question_id not in wave.columns:
                raise WaveFormatError(f"indicator {s.id}: wave has no column {s.question_id!r}")
            chosen = pl.col(s.question_id).is_in(list(s.codes))
            answered = pl.col(s.question_id).is_not_null()
        if s.base == "all":
            base = pl.lit(True)
        elif s.base == "present":
            base = answered & (pl.col(PRESENT) == "yes")
        else:
            base = answered
        base = base.fill_null(False)
        values.append(
            pl.when(base & chosen.fill_null(False))
            .then(1)
            .otherwise(0)
            .cast(pl.Int8)
            .alias(f"_y{i}")
        )
        bases.append(base.alias(f"_d{i}"))
    return values, bases
