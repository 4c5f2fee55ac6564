"""The methodology annex of a stored wave, from what the store knows of it.

The store holds the sample (strata, inclusion probabilities, design weights), the mailing
history, every response with its mode and dates, the dispositions behind the AAPOR rates,
the final weights and how they were made, and the registry file the frame came from (logged
by `barometre campaign sample`). The annex is written from those facts, so a study team's own
wave gets a complete annex without retyping it. A methodology file adds only what the store
cannot know: who organised and funded the study, interviews, a hand-written frame
description; its non-empty fields win over the store's.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import fields, replace
from datetime import datetime

from babel.dates import format_date

from barometre.auxiliaries import LABELS
from barometre.campaign.storage import CampaignStateError, wave_rates
from barometre.questionnaire import Language
from barometre.report.methodology import Methodology, ResponseRate, StratumAllocation
from barometre.store import FieldworkCounts, Store
from barometre.wave._weighting import CELL, REGION_GROUP, WeightingSpec

FRAME_EVENT = "frame"
"""Campaign-log event holding the registry file a wave's frame came from (JSON detail)."""

NBSP = "\u00a0"  # French puts a non-breaking space before ":" and ";"
_RATES = ("RR1", "RR2", "RR3", "RR5", "COOP1", "REF1", "CON1")
# Sampling fractions within this relative gap of the overall one count as proportional
# allocation: largest-remainder rounding moves a stratum's n by at most one.
_PROPORTIONAL_GAP = 0.02


def frame_event_detail(
    source: str, *, extracted: str | None, units: int, filters: tuple[str, ...] = ()
) -> str:
    """The JSON detail of the `frame` event: registry file, its date, frame size, filters."""
    return json.dumps(
        {"source": source, "extracted": extracted, "units": units, "filters": list(filters)},
        ensure_ascii=False,
    )


def methodology_from_store(
    store: Store, wave_id: int, lang: Language = "fr", given: Methodology | None = None
) -> Methodology:
    """Every fact of the annex the store knows, completed (and overridden) by `given`."""
    # The fieldwork dates and the modes from a few aggregates: reading every invitation
    # and every response (with its answers) to count them took seconds.
    fieldwork = store.fieldwork_counts(wave_id)
    facts = Methodology(
        frame=_frame(store, wave_id, lang),
        frame_size=None,
        sample_design="",
        sample_size=None,
        allocation=(),
        fieldwork_start=None,
        fieldwork_end=None,
        modes=_modes(fieldwork, lang),
        response_rates=_rates(store, wave_id),
        weighting=_weighting(store, wave_id, lang),
    )
    allocation = _allocation(store, wave_id)
    if allocation:
        facts = replace(
            facts,
            allocation=allocation,
            frame_size=sum(a.population for a in allocation),
            sample_size=sum(a.sampled for a in allocation),
            sample_design=_design(allocation, lang),
        )
    start, end = _fieldwork(fieldwork)
    facts = replace(
        facts,
        fieldwork_start=_date(start, lang) if start else None,
        fieldwork_end=_date(end, lang) if end else None,
    )
    if given is None:
        return facts
    chosen = {
        f.name: getattr(given, f.name)
        for f in fields(Methodology)
        if getattr(given, f.name) not in (None, "", ())
    }
    return replace(facts, **chosen)


def _allocation(store: Store, wave_id: int) -> tuple[StratumAllocation, ...]:
    sample = store.sample_table(wave_id)
    if sample.height == 0:
        return ()
    import polars as pl

    # Under SRSWOR within strata every design weight of stratum h is N_h / n_h, so the
    # weights add up to the stratum's population exactly.
    table = (
        sample.group_by("stratum")
        .agg(pl.col("design_weight").sum().alias("N"), pl.len().alias("n"))
        .sort("stratum")
    )
    return tuple(
        StratumAllocation(str(row["stratum"]), round(row["N"]), int(row["n"]))
        for row in table.iter_rows(named=True)
    )


def _design(allocation: tuple[StratumAllocation, ...], lang: Language) -> str:
    population = sum(a.population for a in allocation)
    sampled = sum(a.sampled for a in allocation)
    overall = sampled / population if population else 0.0
    take_all = sum(1 for a in allocation if a.sampled == a.population)
    proportional = all(
        abs(a.sampled / a.population - overall)
        <= max(_PROPORTIONAL_GAP * overall, 1 / a.population)
        for a in allocation
        if a.population and a.sampled != a.population
    )
    variables = _stratum_variables(allocation, lang)
    strata = len(allocation)
    if lang == "fr":
        kind = "proportionnelle" if proportional else "non proportionnelle"
        text = (
            "Sondage aléatoire simple stratifié sans remise, "
            f"{strata}\u00a0strates {variables}, allocation {kind}"
        )
        if take_all:
            text += (
                f"\u00a0; {take_all}\u00a0strate{'s' if take_all > 1 else ''} "
                f"exhaustive{'s' if take_all > 1 else ''}"
            )
        return text + "."
    kind = "proportional" if proportional else "disproportionate"
    text = (
        "Stratified simple random sampling without replacement, "
        f"{strata} strata {variables}, {kind} allocation"
    )
    if take_all:
        text += (
            f"; {take_all} take-all stratum" if take_all == 1 else f"; {take_all} take-all strata"
        )
    return text + "."


def _stratum_variables(allocation: tuple[StratumAllocation, ...], lang: Language) -> str:
    parts = {len(a.stratum.split("|")) for a in allocation}
    if parts == {2}:
        return "taille x secteur" if lang == "fr" else "size band x sector"
    if parts == {1}:
        return "par taille" if lang == "fr" else "by size band"
    return ""


def _fieldwork(fieldwork: FieldworkCounts) -> tuple[datetime | None, datetime | None]:
    starts = [d for d in (fieldwork.first_sent, fieldwork.first_started) if d is not None]
    return (min(starts) if starts else None, fieldwork.last_submitted)


def _date(moment: datetime, lang: Language) -> str:
    if lang == "fr":
        text = format_date(moment.date(), format="d MMMM y", locale="fr_FR")
        return "1er" + text[1:] if moment.day == 1 else text
    return format_date(moment.date(), format="d MMMM y", locale="en_GB")


def _modes(fieldwork: FieldworkCounts, lang: Language) -> str:
    modes = Counter(fieldwork.complete_by_source)
    emailed, reminded = fieldwork.emailed, fieldwork.reminded
    if not modes and not fieldwork.invited:
        return ""
    names = {"web": ("web", "web"), "paper": ("papier", "paper"), "import": ("import", "import")}
    colon = f"{NBSP}: " if lang == "fr" else ": "
    counts = [
        f"{names.get(str(mode), (str(mode), str(mode)))[0 if lang == 'fr' else 1]}"
        f"{colon}{_number(n, lang)}"
        for mode, n in sorted(modes.items(), key=lambda kv: -kv[1])
    ]
    if lang == "fr":
        text = "Courrier avec code personnel et QR code"
        if emailed:
            text += f", invitation par e-mail ({_number(emailed, lang)})"
        if reminded:
            text += f", relances ({_number(reminded, lang)}\u00a0entreprises relancées)"
        by_mode = f"{NBSP}; ".join(counts)
        return text + (f"{NBSP}; réponses complètes par mode, {by_mode}." if counts else ".")
    text = "Letter with a personal code and QR code"
    if emailed:
        text += f", e-mail invitation ({_number(emailed, lang)})"
    if reminded:
        text += f", reminders ({_number(reminded, lang)} firms reminded)"
    return text + (f"; complete answers by mode, {'; '.join(counts)}." if counts else ".")


def _number(n: int, lang: Language) -> str:
    from barometre.report.i18n import number

    return number(n, lang)


def _rates(store: Store, wave_id: int) -> tuple[ResponseRate, ...]:
    try:
        overall = wave_rates(store, wave_id).overall
    except CampaignStateError:  # no sample yet
        return ()
    return tuple(
        ResponseRate(name, float(value))
        for name in _RATES
        if (value := getattr(overall, name.lower(), None)) is not None
    )


def _frame(store: Store, wave_id: int, lang: Language) -> str:
    events = store.campaign_log(wave_id, FRAME_EVENT)
    if not events:
        return ""
    try:
        detail = json.loads(events[-1].detail)
    except json.JSONDecodeError:
        return ""
    source = str(detail.get("source") or "")
    extracted = detail.get("extracted")
    filters = [str(f) for f in detail.get("filters") or ()]
    if lang == "fr":
        text = f"Répertoire SIRENE de l'Insee, fichier «\u00a0{source}\u00a0»"
        if extracted:
            text += f" du {extracted}"
        if filters:
            scope = f"{NBSP}; ".join(filters)
            text += f"{NBSP}; champ{NBSP}: {scope}"
        return text + "."
    text = f"INSEE SIRENE registry, file “{source}”"
    if extracted:
        text += f" of {extracted}"
    if filters:
        text += f"; scope: {'; '.join(filters)}"
    return text + "."


def _weighting(store: Store, wave_id: int, lang: Language) -> str:
    text = store.weighting_spec(wave_id)
    if text is None:
        return store.weights_method(wave_id)
    return describe_weighting(WeightingSpec.from_json(text), lang)


def describe_weighting(spec: WeightingSpec, lang: Language) -> str:
    """How the stored weights were made, in a reader's words: margins, bounds, merges, steps."""
    names = {
        CELL: ("cellules taille x secteur", "size x sector cells"),
        REGION_GROUP: ("régions", "regions"),
        **{
            name: (fr_label.lower(), en_label.lower())
            for name, (fr_label, en_label) in LABELS.items()
        },
    }
    fr = lang == "fr"
    margins = [names.get(m, (m, m))[0 if fr else 1] for m in spec.margins]
    joined = (f"{NBSP}; " if fr else "; ").join(margins)
    if spec.method == "poststratification":
        text = (
            f"Poids de sondage post-stratifiés sur les {joined}"
            if fr
            else f"Design weights post-stratified on the {joined}"
        )
    else:
        text = (
            "Poids de sondage calés en une étape (raking) sur les effectifs de la base par "
            f"{joined}"
            if fr
            else f"Design weights raked in one step to the frame counts of {joined}"
        )
    if spec.bounds is not None:
        low, high = (_decimal(b, lang) for b in spec.bounds)
        text += (
            f", facteurs bornés à [{low}{NBSP}; {high}]"
            if fr
            else f", factors bounded to [{low}, {high}]"
        )
    merged: dict[str, list[str]] = {}
    for cell, into in spec.cell_map.items():
        if cell != into:
            merged.setdefault(into, []).append(cell)
    if merged:
        groups = (f"{NBSP}; " if fr else "; ").join(
            f"{', '.join(sorted(cells))} → {into}" for into, cells in sorted(merged.items())
        )
        text += f". Cellules regroupées{NBSP}: {groups}" if fr else f". Merged cells: {groups}"
    if spec.steps:
        steps = (f"{NBSP}; " if fr else "; ").join(step.describe(lang) for step in spec.steps)
        text += (
            f". Les bornes demandées ne pouvaient être respectées, étapes de repli{NBSP}: {steps}"
            if fr
            else f". The requested bounds could not be met; fallback steps: {steps}"
        )
    return text + "."


def _decimal(x: float, lang: Language) -> str:
    text = f"{x:g}"
    return text.replace(".", ",") if lang == "fr" else text
