"""`barometre wave`: list waves, move one through its life, weight it, extract it, publish it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from barometre.cli._common import (
    UrlOption,
    WaveOption,
    console,
    fail,
    open_store_or_exit,
    read_parquet_file,
    wave_id_or_exit,
)
from barometre.store import Store

app = typer.Typer(
    name="wave",
    help="A wave's life (open, close, publish, archive), weighting, dataset and report.",
    no_args_is_help=True,
)


def _open(url: str | None, wave: str | None = None) -> tuple[Store, int]:
    store = open_store_or_exit(url)
    return store, wave_id_or_exit(store, wave) if wave else 0


@app.command("list")
def list_waves(url: UrlOption = None) -> None:
    """List the waves with their questionnaire, status and number of answers."""
    store, _ = _open(url)
    table = Table("wave", "questionnaire", "status", "complete", "partial")
    for w in store.waves():
        counts = store.response_counts(w.id)
        table.add_row(
            w.name,
            f"{w.questionnaire_id} {w.questionnaire_version}",
            w.status,
            str(counts.get("complete", 0)),
            str(counts.get("partial", 0)),
        )
    console.print(table)


def _step(step: str, wave: str, url: str | None) -> None:
    from barometre.campaign.lifecycle import STEPS, LifecycleError

    store, wave_id = _open(url, wave)
    before = store.wave(wave_id).status
    try:
        after = STEPS[step](store, wave_id)
    except LifecycleError as exc:
        raise fail(str(exc)) from exc
    if after.status == before:
        console.print(f"wave {wave!r} is already {after.status}; nothing changed")
    else:
        console.print(f"wave {wave!r}: {before} -> {after.status}")


@app.command("open")
def open_(wave: WaveOption, url: UrlOption = None) -> None:
    """Open the fieldwork (needs a sample and codes); from closed, reopen it."""
    _step("open", wave, url)


@app.command()
def close(wave: WaveOption, url: UrlOption = None) -> None:
    """Close the fieldwork: no more web answers; late paper returns can still be keyed."""
    _step("close", wave, url)


@app.command()
def archive(wave: WaveOption, url: UrlOption = None) -> None:
    """Archive a published wave: no longer the self-diagnostic's benchmark, kept for trends."""
    _step("archive", wave, url)


@app.command()
def weight(
    wave: WaveOption,
    frame: Annotated[
        Path, typer.Option("--frame", help="Frame written by `barometre campaign frame`.")
    ],
    url: UrlOption = None,
    min_cell: Annotated[
        int, typer.Option(help="Fewest respondents a weighting cell may have (1 or more).")
    ] = 5,
    low: Annotated[float, typer.Option(help="Lowest adjustment factor (relative).")] = 0.25,
    high: Annotated[float, typer.Option(help="Highest adjustment factor (relative).")] = 4.0,
    region: Annotated[
        bool, typer.Option("--region/--no-region", help="Also rake to regions.")
    ] = True,
) -> None:
    """Rake the respondents' design weights to the frame's counts and store the final weights."""
    from barometre.stats import StatsError
    from barometre.wave import WeightingError, frame_counts, spec_of, weight_wave

    if min_cell < 1:
        raise fail(f"--min-cell: a weighting cell needs at least 1 respondent, not {min_cell}")
    store, wave_id = _open(url, wave)
    try:
        counts = frame_counts(
            read_parquet_file(frame, "the frame"), ("size_band", "sector", "region")
        )
        result = weight_wave(
            store.wave_dataset(wave_id),
            counts,
            min_cell=min_cell,
            bounds=(low, high),
            use_region=region,
        )
    except (WeightingError, StatsError, OSError) as exc:
        raise fail(str(exc)) from exc
    store.store_weights(
        wave_id,
        result.weights,
        method="raking: size x sector cells" + (", region" if region else ""),
    )
    store.store_weighting_spec(wave_id, spec_of(result).to_json())
    d = result.diagnostics
    console.print(
        f"{d.n:,} respondents weighted to {result.population:,.0f} firms; "
        f"weights {d.min:.1f}-{d.max:.1f} "
        f"(ratio {d.ratio:.1f}), design effect {d.kish_deff:.2f}, effective n {d.effective_n:,.0f}"
    )
    for merge in result.merges:
        console.print(
            f"  merged {merge.variable}: {', '.join(merge.merged)} -> {merge.into} "
            f"({merge.respondents} respondents)"
        )
    for step in result.steps:
        console.print(f"  fallback: {step.describe('en')} (because: {step.reason})")


@app.command()
def dataset(
    wave: WaveOption,
    out: Annotated[Path, typer.Option("--out", help="File to write (.parquet or .csv).")] = Path(
        "wave.parquet"
    ),
    url: UrlOption = None,
    partial: Annotated[bool, typer.Option(help="Include partial responses.")] = False,
) -> None:
    """Write the wave dataset: one row per respondent, coded answers, design variables, weight.

    Once the wave is weighted, its weighting spec goes beside it as `<name>.weighting.json`
    (with the weighting groups and `fpc` in the dataset), so that `barometre report build
    --weighting-spec` rebuilds the calibrated design outside the store.
    """
    from barometre.wave import stored_spec, wave_respondents, write_spec_file

    store, wave_id = _open(url, wave)
    spec = stored_spec(store, wave_id)
    data = wave_respondents(store, wave_id, spec, include_partial=partial)
    if out.suffix == ".csv":
        data.write_csv(out)
    else:
        data.write_parquet(out)
    console.print(f"{data.height:,} respondents written to {out}")
    if spec is not None:
        console.print(f"weighting spec written to {write_spec_file(spec, out)}")


@app.command()
def publish(
    wave: WaveOption,
    results: Annotated[
        Path, typer.Option("--results", help="results.json of `barometre report build`.")
    ],
    url: UrlOption = None,
) -> None:
    """Store the wave's results and benchmark table; the self-diagnostic then compares with it."""
    from barometre.campaign.lifecycle import check_publishable
    from barometre.report import read_results_json
    from barometre.wave import publish as publish_wave

    store, wave_id = _open(url, wave)
    check_publishable(store, wave_id)
    # A ReportError (unreadable file) or PublicationMismatch is a UserError: cli.main prints it.
    table = publish_wave(store, wave_id, read_results_json(results))
    console.print(
        f"wave {wave} published: benchmark of {len(table.cells)} peer groups (min n {table.min_n})"
    )


@app.command()
def report(
    wave: WaveOption,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("report"),
    url: UrlOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Language: fr or en.")] = "fr",
    methodology: Annotated[
        Path | None, typer.Option("--methodology", help="YAML file of methodology facts.")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write the PDF.")] = True,
    replicate_weights: Annotated[
        bool,
        typer.Option(
            "--replicate-weights",
            help="Add JKn replicate weights, recalibrated in each replicate, to the exports.",
        ),
    ] = False,
) -> None:
    """Build a stored wave's report, with the change since the last published wave if any.

    The estimates rest on the wave's calibrated design with its fpc (rebuilt from the stored
    weighting spec); a change's SE includes the covariance of the firms in both waves. The
    methodology annex comes from the store (sample, fieldwork, modes, AAPOR rates,
    weighting); `--methodology` adds what the store cannot know (organiser, funding...).
    """
    from barometre.cli._common import progress_bar
    from barometre.questionnaire import Language
    from barometre.report import Methodology, build_report
    from barometre.wave import (
        design_info,
        earlier_results,
        earlier_wave_id,
        methodology_from_store,
        stored_spec,
        wave_respondents,
    )

    language: Language = "en" if lang == "en" else "fr"
    store, wave_id = _open(url, wave)
    previous = earlier_results(store, wave_id)
    earlier = earlier_wave_id(store, wave_id) if previous is not None else None
    previous_data = None if earlier is None else wave_respondents(store, earlier, with_unit=True)
    spec = stored_spec(store, wave_id)
    given = Methodology.from_yaml(methodology) if methodology else None
    with progress_bar("report", percent=True) as progress:
        paths = build_report(
            wave_respondents(store, wave_id, spec, with_unit=previous_data is not None),
            store.questionnaire_of(wave_id),
            out,
            lang=lang,
            previous=previous,
            methodology=methodology_from_store(store, wave_id, language, given),
            wave=wave,
            design=design_info(spec),
            pdf=pdf,
            progress=progress,
            previous_data=previous_data,
            replicate_weights=replicate_weights,
        )
    since = f", compared with {previous.wave}" if previous else ""
    console.print(f"report of {wave}{since}: {paths.html}")


@app.command()
def settings(
    wave: WaveOption,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="YAML file of settings (the same names as the options)."),
    ] = None,
    organiser: Annotated[
        str | None, typer.Option(help="Who runs the study (and controls the data).")
    ] = None,
    contact_name: Annotated[str | None, typer.Option(help="A person respondents can ask.")] = None,
    contact_email: Annotated[str | None, typer.Option(help="Their e-mail address.")] = None,
    contact_phone: Annotated[str | None, typer.Option(help="Their telephone number.")] = None,
    purpose: Annotated[str | None, typer.Option(help="Notice: what the answers are for.")] = None,
    legal_basis: Annotated[
        str | None, typer.Option(help="Notice: the legal basis (GDPR art. 6).")
    ] = None,
    retention: Annotated[str | None, typer.Option(help="Notice: how long data are kept.")] = None,
    rights: Annotated[
        str | None, typer.Option(help="Notice: the rights and how to use them.")
    ] = None,
    dpo_contact: Annotated[
        str | None, typer.Option(help="Notice: the data-protection officer's contact.")
    ] = None,
    email_sender: Annotated[str | None, typer.Option(help="From: address of the e-mails.")] = None,
    email_sender_name: Annotated[str | None, typer.Option(help="From: name.")] = None,
    url: UrlOption = None,
) -> None:
    """Set or show the wave's organiser, contact, data-protection notice and e-mail sender.

    Letters, e-mails, the home page and the questionnaire show them. Without options,
    prints the current settings.
    """
    import yaml

    from barometre.campaign.settings import SettingsError, WaveSettings
    from barometre.campaign.storage import set_wave_settings, wave_settings

    store, wave_id = _open(url, wave)
    changes = {
        "organiser": organiser, "contact_name": contact_name, "contact_email": contact_email,
        "contact_phone": contact_phone, "purpose": purpose, "legal_basis": legal_basis,
        "retention": retention, "rights": rights, "dpo_contact": dpo_contact,
        "email_sender": email_sender, "email_sender_name": email_sender_name,
    }  # fmt: skip
    try:
        current = wave_settings(store, wave_id)
        if file is not None:
            try:
                loaded = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise SettingsError(f"{file}: cannot read the settings ({exc})") from exc
            if not isinstance(loaded, dict):
                raise SettingsError(f"{file}: expected a mapping of setting: value")
            current = current.merged(WaveSettings.from_mapping(loaded, str(file)).to_mapping())
        updated = current.merged(changes)
    except SettingsError as exc:
        raise fail(str(exc)) from exc
    if file is not None or any(v is not None for v in changes.values()):
        set_wave_settings(store, wave_id, updated)
        console.print(f"settings of wave {wave!r} stored")
    shown = updated.to_mapping()
    for key in WaveSettings.__dataclass_fields__:
        console.print(f"  {key}: {shown.get(key, '(not set)')}", highlight=False, markup=False)
    if updated.missing():
        console.print(f"not set yet: {', '.join(updated.missing())}", highlight=False)
