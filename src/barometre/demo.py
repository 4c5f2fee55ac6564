"""The demo wave, end to end: a synthetic registry through sampling, returns, weights and report.

Each step calls the same library functions a study team uses on a real wave (the campaign's
frame import and sampling, the store, the weighting, the report, the publication of the
benchmark table); only the population and the returns are simulated (`barometre.synth`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from barometre.campaign.aapor import CampaignRates
from barometre.campaign.frame import import_frame
from barometre.campaign.sampling import Sample, SampleDesign, allocation_table, draw_sample
from barometre.campaign.storage import issue_wave_codes, store_frame_and_sample, wave_rates
from barometre.questionnaire import Language, load_builtin
from barometre.report import build_report
from barometre.report.i18n import interval
from barometre.report.methodology import Methodology, ResponseRate, StratumAllocation
from barometre.store import Store, open_store
from barometre.synth.population import answer_sets
from barometre.synth.response import simulate_returns
from barometre.synth.writer import read_population, write_population
from barometre.wave import (
    WaveWeighting,
    design_info,
    frame_counts,
    publish,
    spec_of,
    wave_respondents,
    weight_wave,
    weighting_report,
)

WAVE_NAME = "demo-2018"
STEPS = (
    "population",
    "frame",
    "sample",
    "codes",
    "returns",
    "weights",
    "report",
    "publication",
)

# Events of the invited firms that did not answer (shares of the non-respondents), as a
# mailed survey of company leaders sees them: letters back undelivered, closed companies,
# explicit refusals, half-filled web questionnaires. Illustrative, not from the 2018 study.
NON_RESPONSE_EVENTS = (("3.31", 0.02), ("4.50", 0.01), ("2.11", 0.01), ("1.2", 0.004))


@dataclass(frozen=True)
class DemoConfig:
    """The demo's size and seed; the defaults mirror the 2018 campaign (30,000 letters)."""

    out_dir: Path = Path("demo-output")
    n_units: int = 150_000
    sample_size: int = 30_000
    seed: int = 2018
    lang: str = "fr"
    pdf: bool = True


@dataclass(frozen=True)
class DemoResult:
    """Where the demo put things, and what it measured."""

    database_url: str
    wave_id: int
    frame_units: int
    sampled: int
    respondents: int
    report_html: Path
    report_pdf: Path | None
    results_json: Path
    truth_json: Path
    weighting: WaveWeighting
    seconds: dict[str, float] = field(default_factory=dict)


Progress = Callable[[str, str], None]


def _quiet(step: str, message: str) -> None:
    del step, message


OPENS_ON = date(2018, 3, 15)
CLOSES_ON = date(2018, 6, 30)

# The fieldwork calendar of the demo wave: letters on the opening day, two reminders to the
# firms that have not answered by then. Which contact a respondent answers, and after how
# many days, are illustrative (a mailed survey's usual shape), not from the 2018 study.
REMINDER_DAYS = (21, 42)
ANSWERED_AFTER = (
    0.55,
    0.30,
    0.15,
)  # shares of respondents answering the letter, then each reminder
MEAN_DELAY_DAYS = 6.0  # mean days between a contact and the return, postal time included


@dataclass(frozen=True)
class Fieldwork:
    """The demo's contact days and each respondent's return day."""

    opens: datetime
    reminders: tuple[datetime, ...]
    returned: dict[str, datetime]


def _working_day(day: datetime) -> datetime:
    # Paper returns are opened and keyed on working days: a week-end return counts on Monday.
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def _fieldwork_calendar(opens: date, closes: date, case_ids: list[str], seed: int) -> Fieldwork:
    rng = np.random.default_rng([seed, 11])
    start = datetime(opens.year, opens.month, opens.day, 9, tzinfo=UTC)
    last = datetime(closes.year, closes.month, closes.day, 17, tzinfo=UTC)
    contacts = [start, *(start + timedelta(days=d) for d in REMINDER_DAYS)]
    which = rng.choice(len(contacts), size=len(case_ids), p=list(ANSWERED_AFTER))
    delays = 1.0 + rng.exponential(MEAN_DELAY_DAYS - 1.0, size=len(case_ids))
    returned: dict[str, datetime] = {}
    for case_id, k, delay in zip(case_ids, which, delays, strict=True):
        day = _working_day(contacts[int(k)] + timedelta(days=float(delay)))
        returned[case_id] = min(day, last)
    return Fieldwork(start, tuple(contacts[1:]), returned)


def _simulate_non_response_events(
    store: Store, wave_id: int, non_respondents: list[str], seed: int, calendar: Fieldwork
) -> None:
    rng = np.random.default_rng([seed, 7])
    draws = rng.random(len(non_respondents))
    low = 0.0
    for code, share in NON_RESPONSE_EVENTS:
        chosen = [c for c, u in zip(non_respondents, draws, strict=True) if low <= u < low + share]
        low += share
        for i, case_id in enumerate(chosen):
            at = _working_day(calendar.opens + timedelta(days=2 + i % 30))
            if code == "1.2":
                # A leader who opened the web questionnaire and stopped after the first page.
                store.save_response(
                    wave_id, case_id, {"website": "vitrine"}, status="partial", page="site", at=at
                )
            else:
                store.record_disposition(wave_id, case_id, code, recorded_by="demo", at=at)


def _store_returns(
    store: Store, wave_id: int, returns: pl.DataFrame, opens: date, closes: date, seed: int
) -> Fieldwork:
    """Store the returns, each dated on its day of the fieldwork, and the sends and reminders."""
    cases = {c.siren: c.case_id for c in store.cases(wave_id)}
    sirens = returns["siren"].to_list()
    calendar = _fieldwork_calendar(opens, closes, [cases[s] for s in sirens], seed)
    for siren, answers in zip(sirens, answer_sets(returns), strict=True):
        case_id = cases[siren]
        store.save_response(
            wave_id, case_id, answers, status="complete", source="paper",
            at=calendar.returned[case_id],
        )  # fmt: skip
    everyone = list(cases.values())
    store.mark_sent(wave_id, everyone, at=calendar.opens)
    for reminder in calendar.reminders:
        # A reminder goes to every firm whose questionnaire has not come back by its day.
        waiting = [c for c in everyone if calendar.returned.get(c, reminder) >= reminder]
        store.mark_reminded(wave_id, waiting, at=reminder)
    return calendar


def run_demo(config: DemoConfig = DemoConfig(), progress: Progress = _quiet) -> DemoResult:
    """Run the whole chain on a synthetic wave and write everything under `config.out_dir`."""
    out = config.out_dir
    out.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = now - clock
        clock = now

    progress("population", f"synthetic registry of {config.n_units:,} firms in scope")
    population = write_population(out / "registry", config.n_units, config.seed)
    lap("population")

    progress("frame", "importing the SIRENE files and applying the study's scope")
    registry = population.registry
    frame = import_frame(
        registry.unites_legales,
        establishments=registry.etablissements,
        financials=registry.financials,
    )
    lap("frame")

    progress("sample", f"stratified sample of {config.sample_size:,} (size band x sector)")
    sample = draw_sample(frame.units, SampleDesign(n=config.sample_size, seed=config.seed))
    db_path = out / "barometre.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_path}"
    store = open_store(url)
    wave = store.create_wave(
        WAVE_NAME,
        "bpi2018",
        frame_description="Synthetic SIRENE stock, PME-ETI with turnover 2 M€-1.5 bn€",
        opens_on=OPENS_ON,
        closes_on=CLOSES_ON,
    )
    # Only the sampled units go to the store: the frame itself stays a file (the weighting
    # reads its counts), which keeps a national frame out of the database.
    store_frame_and_sample(store, wave.id, frame.units, sample, sampled_only=True)
    lap("sample")

    progress("codes", "personal codes for every sampled company")
    issue_wave_codes(store, wave.id)
    store.set_wave_status(wave.id, "open")
    lap("codes")

    progress("returns", "simulated returns stored as keyed paper questionnaires")
    pop = read_population(population.directory)
    returns = simulate_returns(sample.units.select("siren"), pop, config.seed)
    calendar = _store_returns(store, wave.id, returns, OPENS_ON, CLOSES_ON, config.seed)
    respondents = len(calendar.returned)
    answered = set(returns["siren"].to_list())
    silent = [c.case_id for c in store.cases(wave.id) if c.siren not in answered]
    _simulate_non_response_events(store, wave.id, silent, config.seed, calendar)
    store.set_wave_status(wave.id, "closed")
    lap("returns")

    progress("weights", "design weights raked to the frame's size x sector and region counts")
    dataset = store.wave_dataset(wave.id)
    weighting = weight_wave(dataset, frame_counts(frame.units))
    store.store_weights(wave.id, weighting.weights, method="raking (size x sector cells, region)")
    spec = spec_of(weighting)
    store.store_weighting_spec(wave.id, spec.to_json())
    # The report rebuilds the calibrated design with its fpc from the stored spec.
    dataset = wave_respondents(store, wave.id, spec)
    design = design_info(spec)
    lap("weights")

    progress("report", "estimates, typology, drivers, report (HTML + PDF) and exports")
    rates = wave_rates(store, wave.id)
    r_note = _representativity_note(sample.units, answered, config.lang)
    methodology = _methodology(config, frame.units.height, sample, rates, weighting, r_note)
    paths = build_report(
        dataset,
        load_builtin("bpi2018"),
        out / "report",
        lang=config.lang,
        methodology=methodology,
        wave=WAVE_NAME,
        design=design,
        pdf=config.pdf,
    )
    lap("report")

    progress("publication", "benchmark table for the self-diagnostic, stored with the results")
    publish(store, wave.id, paths.results)
    lap("publication")
    (out / "timings.json").write_text(json.dumps(seconds, indent=2), encoding="utf-8")
    store.close()
    return DemoResult(
        database_url=url,
        wave_id=wave.id,
        frame_units=frame.units.height,
        sampled=sample.size,
        respondents=respondents,
        report_html=paths.html,
        report_pdf=paths.pdf,
        results_json=paths.results_json,
        truth_json=population.truth_path,
        weighting=weighting,
        seconds=seconds,
    )


# What the coverage study of this design found (docs/statistics.md, `barometre simulate
# coverage --replicates 300 --nonresponse mixed`): the synthetic returns depend partly on
# activity, which no frame variable carries; presence, activity and a zero budget cover the
# truth 74-78 % of the time instead of 95 %.
UNOBSERVED_NON_RESPONSE = {
    "fr": "Les entreprises actives sur les réseaux sociaux répondent un peu plus souvent que "
    "les autres, ce que le répertoire ne permet pas de voir : la pondération ne peut pas le "
    "corriger. Les parts d'entreprises présentes ou actives sont donc sans doute un peu "
    "surestimées, et celle des entreprises sans budget un peu sous-estimée ; dans des "
    "simulations de ce plan de sondage, leurs intervalles de confiance à 95 % ne contiennent "
    "la vraie valeur qu'environ trois fois sur quatre.",
    "en": "Firms active on social networks answer a little more often than others, which the "
    "registry cannot show: the weighting cannot correct it. The shares of firms present or "
    "active are therefore probably slightly overstated, and the share with no budget slightly "
    "understated; in simulations of this sample design their 95 % confidence intervals "
    "contain the true value only about three times in four.",
}


def _representativity_note(units: pl.DataFrame, answered: set[str], lang: str) -> str:
    """The R-indicator of the returns among the sampled firms, in a sentence for the annex."""
    from barometre.auxiliaries import registry_auxiliaries
    from barometre.stats import representativity

    names = [a for a in ("legal_group",) if "legal_category" in units.columns]
    data = registry_auxiliaries(units, date(2025, 1, 1), names) if names else units
    data = data.with_columns(pl.col("siren").is_in(list(answered)).cast(pl.Int8).alias("_r"))
    aux = ["size_band", "sector", "region", *names]
    r = representativity(data, "_r", aux, weights="design_weight")
    top = max(r.partials, key=lambda p: p.unconditional)
    labels = {
        "size_band": ("la taille", "size"),
        "sector": ("le secteur", "sector"),
        "region": ("la région", "region"),
        "legal_group": ("la catégorie juridique", "legal category"),
    }
    fr_name, en_name = labels[top.variable]
    if lang == "fr":

        def fr(x: float, digits: int) -> str:
            return f"{x:.{digits}f}".replace(".", ",")

        return (
            f"Indicateur R de représentativité de la réponse : {fr(r.r_indicator, 3)} ; biais "
            f"maximal d'une moyenne : {fr(r.max_bias, 2)} écart-type ; la variable qui pèse le "
            f"plus est {fr_name} (indicateur partiel {fr(top.unconditional, 4)})."
        )
    return (
        f"R-indicator of the response: {r.r_indicator:.3f}; largest possible bias of a mean: "
        f"{r.max_bias:.2f} SD; the variable that weighs most is {en_name} (partial "
        f"indicator {top.unconditional:.4f})."
    )


def _methodology(
    config: DemoConfig,
    frame_size: int,
    sample: Sample,
    rates: CampaignRates,
    weighting: WaveWeighting,
    representativity_note: str = "",
) -> Methodology:
    table = allocation_table(sample)
    response_rates = tuple(
        ResponseRate(name, float(value))
        for name in ("RR1", "RR2", "RR3", "RR5", "COOP1", "REF1", "CON1")
        if (value := getattr(rates.overall, name.lower())) is not None
    )
    fr = config.lang == "fr"
    lang: Language = "fr" if config.lang == "fr" else "en"
    low, high = weighting.bounds or (0.0, 0.0)
    bounds = interval(low, high, lang, 2).replace(",00", "").replace(".00", "")
    return Methodology(
        frame=(
            "Base synthétique au format SIRENE (StockUniteLegale) : entreprises actives, PME et "
            "ETI, chiffre d'affaires de 2 M€ à 1,5 Md€, hors agriculture, finance et holdings."
            if fr
            else "Synthetic SIRENE-format stock (StockUniteLegale): active firms, PME and ETI, "
            "turnover 2 M€ to 1.5 bn€, without agriculture, finance and holdings."
        ),
        frame_size=frame_size,
        sample_design=(
            "Sondage aléatoire simple stratifié sans remise, strates taille x secteur, "
            "allocation proportionnelle."
            if fr
            else "Stratified simple random sampling without replacement, strata size band x "
            "sector, proportional allocation."
        ),
        sample_size=sample.size,
        allocation=tuple(
            StratumAllocation(str(r["stratum"]), int(r["N"]), int(r["n"]))
            for r in table.iter_rows(named=True)
        ),
        fieldwork_start="2018-03-15",
        fieldwork_end="2018-06-30",
        modes=(
            "Courrier avec code personnel et QR code ; réponse papier ou web."
            if fr
            else "Letter with a personal code and QR code; paper or web answers."
        ),
        response_rates=response_rates,
        weighting=(
            f"Poids de sondage calés en une étape (raking, facteurs bornés à {bounds}) "
            + "sur les effectifs de la base par cellule taille x secteur (correction de la "
            "non-réponse) et par région. "
            + weighting_report(weighting, "fr")
            + " "
            + representativity_note
            + " "
            + UNOBSERVED_NON_RESPONSE["fr"]
            if fr
            else f"Design weights raked in one step (bounded factors {bounds}) to the "
            "frame counts of size x sector cells (non-response adjustment) and regions. "
            + weighting_report(weighting, "en")
            + " "
            + representativity_note
            + " "
            + UNOBSERVED_NON_RESPONSE["en"]
        ),
    )
