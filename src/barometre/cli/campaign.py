"""`barometre campaign`: frame, sample, codes, letters, e-mails, returns and response rates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from barometre.campaign.aapor import CampaignRates
from barometre.campaign.codes import InvitationCode
from barometre.campaign.fieldwork import FieldworkSummary, Returns
from barometre.campaign.frame import FrameFilters, FrameSourceError, import_frame
from barometre.campaign.french import decimal_fr, number_fr, percent_fr, typeset_fr
from barometre.campaign.letters import LetterError, LetterStudy
from barometre.campaign.mailing import MailingError, MailStudy, SmtpSettings
from barometre.campaign.paper import PaperFileError
from barometre.campaign.sampling import (
    Allocation,
    SampleDesign,
    SamplingError,
    allocation_table,
    draw_sample,
    wave_seed,
)
from barometre.campaign.settings import SettingsError, WaveSettings
from barometre.campaign.sirene import DEFAULT_EXCLUDED_NAF
from barometre.campaign.storage import (
    CampaignStateError,
    Links,
    MailingPlan,
    free_codes_path,
    import_wave_paper,
    new_wave_codes,
    plan_wave_invitations,
    plan_wave_reminders,
    print_wave_letters,
    read_code_files,
    reissue_wave_codes,
    send_wave_invitations,
    send_wave_reminders,
    store_frame_and_sample,
    store_reissued_codes,
    store_wave_codes,
    wave_fieldwork,
    wave_settings,
    write_codes,
)
from barometre.cli._common import (
    ProgressCallback,
    UrlOption,
    WaveOption,
    fail,
    open_store_or_exit,
    progress_bar,
    read_parquet_file,
    read_utf8_csv,
    wave_id_or_exit,
)
from barometre.questionnaire import Language
from barometre.store import NotFoundError, Store, StoreError

app = typer.Typer(
    name="campaign",
    help="Run the fieldwork: registry frame, sample, codes, letters, e-mails, returns, rates.",
    no_args_is_help=True,
)
console = Console()

CodesOption = Annotated[
    list[Path],
    typer.Option(
        "--codes",
        help="Secrets file written by `barometre campaign codes` (repeatable: later files, "
        "such as reissued codes, take precedence).",
    ),
]
BaseUrlOption = Annotated[
    str, typer.Option("--base-url", help="Public address of the web questionnaire.")
]
LanguageOption = Annotated[str, typer.Option("--language", help="fr or en.")]


def _csv(value: str | None) -> tuple[str, ...] | None:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else None


class _Counter:
    """Counts the messages sent and tells a progress bar."""

    def __init__(self, label: str, total: int, progress: ProgressCallback) -> None:
        self.label, self.total, self.progress, self.done = label, total, progress, 0
        progress(label, 0, total)

    def advance(self, _message: object) -> None:
        self.done += 1
        self.progress(self.label, self.done, self.total)


def _language(value: str) -> Language:
    if value == "fr":
        return "fr"
    if value == "en":
        return "en"
    raise typer.BadParameter("use fr or en", param_hint="--language")


@app.command()
def registry(
    out: Annotated[Path, typer.Argument(help="Folder to write the registry files into.")] = Path(
        "registry"
    ),
    units: Annotated[int, typer.Option("--units", help="Legal units in the stock.")] = 8000,
    seed: Annotated[int, typer.Option(help="Random seed (the same seed, the same files).")] = 1,
    non_diffusible: Annotated[
        float, typer.Option(help="Share of non-diffusible units ([ND]).")
    ] = 0.02,
    cedex: Annotated[float, typer.Option(help="Share of head offices at a CEDEX address.")] = 0.03,
) -> None:
    """Write a synthetic SIRENE registry (INSEE's files and quirks) and a contacts file to try."""
    from barometre.campaign.synthetic_registry import write_synthetic_registry

    with console.status(f"writing a synthetic registry of {units:,} legal units..."):
        written = write_synthetic_registry(
            out, units, seed, non_diffusible_share=non_diffusible, cedex_share=cedex
        )
    files = written.files
    console.print(f"{files.unites_legales} ({files.n_units:,} legal units)", highlight=False)
    console.print(f"{files.etablissements} ({files.n_establishments:,} establishments)",
                  highlight=False)  # fmt: skip
    console.print(f"{files.financials} ({files.n_financials:,} turnovers)", highlight=False)
    console.print(
        f"{written.contacts} ({written.contacts_written:,} contacts: siren, email, person_name)",
        highlight=False,
    )
    console.print(
        f"with {written.non_diffusible:,} non-diffusible units and {written.cedex:,} CEDEX "
        "addresses, as in INSEE's stock",
        highlight=False,
    )


@app.command()
def frame(
    legal_units: Annotated[Path, typer.Argument(help="StockUniteLegale (CSV or Parquet).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the frame (Parquet).")] = Path(
        "frame.parquet"
    ),
    establishments: Annotated[
        Path | None, typer.Option(help="StockEtablissement, for head office addresses.")
    ] = None,
    financials: Annotated[
        Path | None, typer.Option(help="CSV siren,turnover; enables the turnover filter.")
    ] = None,
    include_closed: Annotated[bool, typer.Option(help="Keep closed legal units.")] = False,
    categories: Annotated[
        str, typer.Option(help="Company categories kept (comma list; 'all' for no filter).")
    ] = "PME,ETI",
    size_bands: Annotated[
        str | None, typer.Option(help="Size bands kept, e.g. 10-19,20-49.")
    ] = None,
    headcount_codes: Annotated[str | None, typer.Option(help="INSEE headcount codes kept.")] = None,
    exclude_naf: Annotated[
        str, typer.Option(help="NAF sections, divisions or codes excluded.")
    ] = ",".join(DEFAULT_EXCLUDED_NAF),
    turnover_min: Annotated[float, typer.Option(help="Minimum turnover (euros).")] = 2e6,
    turnover_max: Annotated[float, typer.Option(help="Maximum turnover (euros).")] = 1.5e9,
) -> None:
    """Import the SIRENE stock, apply the scope filters, write the frame and report each filter."""
    filters = FrameFilters(
        active_only=not include_closed,
        excluded_naf=_csv(exclude_naf) or (),
        categories=None if categories == "all" else _csv(categories),
        size_bands=_csv(size_bands),
        headcount_codes=_csv(headcount_codes),
        turnover_range=(turnover_min, turnover_max),
    )
    with progress_bar("legal units") as progress:
        try:
            result = import_frame(
                legal_units, establishments=establishments, financials=financials,
                filters=filters, progress=progress,
            )  # fmt: skip
        except FrameSourceError as exc:
            raise fail(str(exc)) from exc
    # Where the frame came from travels inside it, for the wave's methodology annex.
    from barometre.wave import frame_event_detail

    extracted = date.fromtimestamp(legal_units.stat().st_mtime).isoformat()
    origin = frame_event_detail(
        legal_units.name,
        extracted=extracted,
        units=result.units.height,
        filters=tuple(result.report.lines()),
    )
    result.units.write_parquet(out, metadata={FRAME_METADATA_KEY: origin})
    for line in result.report.lines():
        console.print(line, markup=False, highlight=False)
    if result.report.bad_row_sample:
        table = Table("source", "line", "reason", "excerpt", title="bad rows (sample)")
        for bad in result.report.bad_row_sample:
            table.add_row(bad.source, str(bad.line), bad.reason, bad.excerpt[:60])
        console.print(table)
    console.print(f"frame written to {out} ({result.units.height:,} units)")


@app.command()
def sample(
    frame_file: Annotated[Path, typer.Argument(help="Frame written by `campaign frame`.")],
    n: Annotated[int, typer.Option("--n", help="Sample size.")],
    wave: WaveOption,
    url: UrlOption = None,
    strata: Annotated[
        str, typer.Option(help="Stratum variables (comma list).")
    ] = "size_band,sector",
    allocation: Annotated[
        Allocation,
        typer.Option(metavar="rule", help="Allocation rule: proportional, neyman or equal."),
    ] = Allocation.PROPORTIONAL,
    minimum: Annotated[int, typer.Option(help="Minimum sample size per stratum.")] = 0,
    take_all: Annotated[
        list[str] | None, typer.Option(help="Take-all strata as variable=value (repeatable).")
    ] = None,
    expected_p: Annotated[
        float | None, typer.Option(help="Neyman: expected proportion, same in every stratum.")
    ] = None,
    neyman_file: Annotated[
        Path | None, typer.Option(help="Neyman: CSV stratum,p or stratum,sd per stratum.")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            help="Random seed (the draw is reproducible); default: derived from the wave's "
            "name, so two waves never repeat one sample by accident."
        ),
    ] = None,
    prn_seed: Annotated[
        int | None,
        typer.Option(help="Draw by permanent random numbers of this seed (keep it across waves)."),
    ] = None,
    prn_start: Annotated[
        float,
        typer.Option(
            help="PRN start in [0, 1): the same as the last wave for a panel, moved by its "
            "sampling fraction for a fresh sample, by a share of it for a rotation."
        ),
    ] = 0.0,
    contacts: Annotated[
        Path | None, typer.Option(help="CSV siren,email[,person_name] stored as contact data.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the sample (Parquet).")] = None,
    questionnaire: Annotated[str, typer.Option(help="Questionnaire of a new wave.")] = "bpi2018",
    sampled_only: Annotated[
        bool, typer.Option("--sampled-only", help="Store only the sampled units, not the frame.")
    ] = False,
) -> None:
    """Draw the stratified sample, store frame and sample in the wave, print the allocation."""
    units = read_parquet_file(frame_file, "the frame")
    p_by: dict[str, float] | None = None
    sd_by: dict[str, float] | None = None
    if neyman_file is not None:
        table = read_utf8_csv(neyman_file, "Neyman strata")
        column = "sd" if "sd" in table.columns else "p"
        values = dict(zip(table["stratum"], table[column].cast(pl.Float64), strict=True))
        p_by, sd_by = (None, values) if column == "sd" else (values, None)
    design = SampleDesign(
        n=n,
        strata=_csv(strata) or (),
        allocation=allocation,
        minimum_per_stratum=minimum,
        take_all=tuple(take_all or ()),
        expected_proportion=p_by if p_by is not None else expected_p,
        standard_deviation=sd_by,
        seed=wave_seed(wave) if seed is None else seed,
        prn_seed=prn_seed,
        prn_start=prn_start,
    )
    try:
        drawn = draw_sample(units, design)
    except SamplingError as exc:
        raise fail(str(exc)) from exc
    contact_table = _contacts(contacts, units) if contacts else None
    with open_store_or_exit(url) as store:
        created = False
        try:
            wave_id = store.wave_by_name(wave).id
        except NotFoundError:
            wave_id = store.create_wave(wave, questionnaire, frame_description=str(frame_file)).id
            created = True
        with progress_bar("storing") as progress:
            try:
                stored = store_frame_and_sample(
                    store, wave_id, units, drawn, contact_table, sampled_only=sampled_only,
                    progress=progress,
                )  # fmt: skip
            except BaseException as exc:
                # all or nothing: no empty draft wave is left behind, whatever stopped the
                # step (a refused row, the database refusing a write, Ctrl-C)
                if created:
                    store.delete_draft_wave(wave_id)
                if isinstance(exc, StoreError):
                    raise fail(str(exc)) from exc
                raise
        origin = frame_origin(frame_file)
        if origin is not None:
            from barometre.wave import FRAME_EVENT

            store.log_campaign_event(wave_id, FRAME_EVENT, detail=origin)
        asked = store.questionnaire_of(wave_id)
    if out is not None:
        drawn.units.write_parquet(out)
    summary = Table("stratum", "N", "n", "fraction", "take-all", title=f"sample of wave {wave!r}")
    for row in allocation_table(drawn, asked).iter_rows(named=True):
        summary.add_row(
            row["stratum"], f"{row['N']:,}", f"{row['n']:,}", f"{row['fraction']:.4f}",
            "yes" if row["take_all"] else "",
        )  # fmt: skip  # arguments grouped by meaning, one group a line
    console.print(summary)
    console.print(f"{stored:,} cases stored in wave {wave!r} (seed {design.seed})")


FRAME_METADATA_KEY = "barometre.frame"
"""Key of the frame Parquet's metadata that holds its origin (registry file, date, filters)."""


def frame_origin(frame_file: Path) -> str | None:
    """The origin `campaign frame` wrote into a frame file, if it was written by it."""
    try:
        return pl.read_parquet_metadata(frame_file).get(FRAME_METADATA_KEY)
    except (OSError, pl.exceptions.PolarsError):
        return None


#: The longest contact values the store holds (its column sizes), checked before anything
#: is written so that PostgreSQL never refuses a row halfway.
CONTACT_LIMITS = {"email": 320, "person_name": 300}


def _contacts(path: Path, units: pl.DataFrame) -> pl.DataFrame:
    """The contacts file, checked; what it holds that will not be stored is said, not dropped."""
    table = read_utf8_csv(path, "contacts")
    if "siren" not in table.columns:
        raise fail(f"{path}, line 1: no 'siren' column (found: {', '.join(table.columns)})")
    ignored = [c for c in table.columns if c not in ("siren", "email", "person_name")]
    if ignored:
        console.print(f"{path}: column(s) ignored (not stored): {', '.join(ignored)}")
    for column, limit in CONTACT_LIMITS.items():
        if column in table.columns:
            long = table.with_row_index("line", offset=2).filter(
                pl.col(column).str.len_chars() > limit
            )
            if long.height:
                raise fail(
                    f"{path}, line {long['line'][0]}: {column} longer than {limit} characters "
                    f"({long.height:,} line(s) in all)"
                )
    twice = table.filter(pl.col("siren").is_duplicated())["siren"].unique(maintain_order=True)
    if twice.len():
        shown = ", ".join(twice.head(10).to_list()) + (", ..." if twice.len() > 10 else "")
        console.print(
            f"{path}: {twice.len():,} SIREN(s) given more than once (the last line kept): {shown}"
        )
    known = set(units["siren"].cast(pl.String).to_list()) if "siren" in units.columns else set()
    unknown = [s for s in table["siren"].to_list() if s not in known]
    if unknown:
        shown = ", ".join(str(s) for s in unknown[:10]) + (", ..." if len(unknown) > 10 else "")
        console.print(f"{path}: {len(unknown):,} SIREN(s) not in the frame, ignored: {shown}")
    return table


@app.command()
def codes(
    wave: WaveOption,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="New secrets file (CSV); never overwritten. Default: codes.csv, or "
            "codes-2.csv... when it exists.",
        ),
    ] = None,
    reissue: Annotated[
        list[str] | None,
        typer.Option(
            "--reissue",
            help="SIREN of a company whose code is replaced (repeatable, or a comma list); "
            "its old link and short code stop working.",
        ),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Who asks for the reissue (logged).")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Why (logged).")] = "",
    url: UrlOption = None,
) -> None:
    """Issue codes to the sampled companies that have none; write them to a new secrets file."""
    import getpass

    with open_store_or_exit(url) as store:
        wave_id = wave_id_or_exit(store, wave)
        sirens = [s for value in reissue or () for s in value.split(",") if s.strip()]
        try:
            issued = (
                reissue_wave_codes(store, wave_id, sirens)
                if sirens
                else new_wave_codes(store, wave_id)
            )
        except (CampaignStateError, StoreError) as exc:
            raise fail(str(exc)) from exc
        if not issued:
            console.print(
                f"every company of wave {wave!r} already has a code (in the secrets files "
                "written before); nothing written. To replace chosen codes: --reissue SIREN"
            )
            return
        default = Path("codes-reissued.csv" if sirens else "codes.csv")
        path = out if out is not None else free_codes_path(default)
        try:
            count = write_codes(path, issued)
        except (CampaignStateError, OSError) as exc:
            raise fail(str(exc)) from exc
        try:
            if sirens:
                store_reissued_codes(
                    store, wave_id, issued, requested_by=by or getpass.getuser(), reason=reason
                )
            else:
                store_wave_codes(store, wave_id, issued)
        except StoreError as exc:
            path.unlink(missing_ok=True)  # its tokens were never stored: they would not work
            raise fail(str(exc)) from exc
    what = "codes reissued (the old ones no longer work)" if sirens else "codes issued"
    console.print(
        f"{count:,} {what}; tokens are stored hashed, keep {path} safe "
        "(letters and e-mails are printed from it)"
    )


def _read_codes(paths: list[Path]) -> dict[str, InvitationCode]:
    try:
        return read_code_files(paths)
    except (OSError, CampaignStateError) as exc:
        raise fail(str(exc)) from exc


@app.command()
def letters(
    wave: WaveOption,
    codes_file: CodesOption,
    base_url: BaseUrlOption,
    out: Annotated[Path, typer.Option("--out", help="PDF to write.")] = Path("letters.pdf"),
    sender: Annotated[
        list[str] | None, typer.Option(help="Sender block line (repeatable).")
    ] = None,
    city: Annotated[str, typer.Option(help="City in the date line.")] = "Paris",
    signatory: Annotated[str, typer.Option(help="Who signs.")] = "L'équipe du baromètre",
    signatory_title: Annotated[str, typer.Option(help="Their title.")] = "",
    entry_url: Annotated[
        str | None, typer.Option(help="Where to type the code (default: base URL).")
    ] = None,
    deadline: Annotated[str | None, typer.Option(help="Answer by (YYYY-MM-DD).")] = None,
    language: LanguageOption = "fr",
    url: UrlOption = None,
    paper_form: Annotated[
        bool, typer.Option("--paper-form", help="Follow each letter with its paper questionnaire.")
    ] = False,
) -> None:
    """Print one invitation letter per sampled company (PDF, window envelopes)."""
    study = LetterStudy(
        sender_lines=tuple(sender or ("Baromètre PME-ETI et réseaux sociaux",)),
        city=city,
        signatory_name=signatory,
        signatory_title=signatory_title,
        entry_url=entry_url or base_url,
        language=_language(language),
        deadline=date.fromisoformat(deadline) if deadline else None,
    )
    secrets = _read_codes(codes_file)
    with open_store_or_exit(url) as store, progress_bar("letters") as progress:
        try:
            batch = print_wave_letters(
                store, wave_id_or_exit(store, wave), secrets, study, Links(base=base_url), out,
                on_page=lambda done: progress("letters", done, len(secrets)),
                with_paper_form=paper_form,
            )  # fmt: skip  # arguments grouped by meaning, one group a line
        except (CampaignStateError, LetterError) as exc:
            raise fail(str(exc)) from exc
    console.print(f"{batch.pages:,} letters written to {out}")


def _mail_options(
    smtp_host: str | None, smtp_port: int | None, smtp_security: str | None, rate: float | None
) -> SmtpSettings:
    try:
        settings = SmtpSettings.from_env()
    except MailingError as exc:
        raise fail(str(exc)) from exc
    changes: dict[str, object] = {}
    if smtp_host:
        changes["host"] = smtp_host
    if smtp_port:
        changes["port"] = smtp_port
    if smtp_security:
        changes["security"] = smtp_security
    if rate:
        changes["messages_per_second"] = rate
    result: SmtpSettings = replace(settings, **changes)  # type: ignore[arg-type]  # changes: typed per option above
    return result


SmtpHost = Annotated[str | None, typer.Option(help="SMTP host (else $BAROMETRE_SMTP_HOST).")]
SmtpPort = Annotated[int | None, typer.Option(help="SMTP port (else $BAROMETRE_SMTP_PORT).")]
SmtpSecurity = Annotated[
    str | None, typer.Option(help="none, starttls or ssl (else $BAROMETRE_SMTP_SECURITY).")
]
Rate = Annotated[
    float | None, typer.Option(help="Messages per second (else $BAROMETRE_SMTP_RATE).")
]
StudyName = Annotated[str, typer.Option(help="Name of the study in the messages.")]


DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run", help="List who would get which message; send nothing, change nothing."
    ),
]
EmailSender = Annotated[
    str | None,
    typer.Option(
        "--email-sender",
        help="From: address (else $BAROMETRE_SMTP_SENDER, else the wave's email_sender setting).",
    ),
]


def _mail_study(
    store: Store, wave_id: int, study_name: str, signature: str, base_url: str
) -> tuple[MailStudy, WaveSettings]:
    try:
        trust = wave_settings(store, wave_id)
    except SettingsError as exc:
        raise fail(str(exc)) from exc
    study = MailStudy(
        study_name, signature, base_url,
        trust_fr=trust.trust_text("fr"), trust_en=trust.trust_text("en"),
    )  # fmt: skip
    return study, trust


def _sender(settings: SmtpSettings, trust: WaveSettings, option: str | None) -> SmtpSettings:
    sender = option or settings.sender or trust.email_sender
    name = settings.sender_name or trust.email_sender_name or trust.organiser
    if not sender or sender.endswith("@localhost"):
        raise fail(
            "no sender address for the e-mails: set it once for the wave "
            "(barometre wave settings --wave NAME --email-sender etudes@example.fr), "
            "or give --email-sender or $BAROMETRE_SMTP_SENDER"
        )
    return replace(settings, sender=sender, sender_name=name)


def _warn_trust(trust: WaveSettings, wave: str) -> None:
    missing = trust.missing()
    if missing:
        console.print(
            f"[yellow]warning:[/yellow] wave {wave!r} has no {', '.join(missing)} setting: "
            f"the messages cannot say it (barometre wave settings --wave {wave} --help)",
            highlight=False,
        )


def _print_plan(plan: MailingPlan, what: str) -> None:
    table = Table("case", "e-mail", "message", title=f"{what} that would be sent (dry run)")
    for recipient, kind in plan.messages:
        table.add_row(recipient.case_id, recipient.email, kind.value)
    console.print(table)
    counts = ", ".join(
        f"{kind.value}: {plan.count(kind):,}" for kind in sorted({k for _, k in plan.messages})
    )
    console.print(f"dry run: {len(plan.messages):,} messages ({counts or 'none'}); nothing sent")
    if plan.without_code:
        console.print(
            f"{plan.without_code:,} cases are left out: their code is in none of the --codes files"
        )


@app.command()
def send(
    wave: WaveOption,
    codes_file: CodesOption,
    base_url: BaseUrlOption,
    study_name: StudyName = "baromètre PME-ETI et réseaux sociaux",
    signature: Annotated[
        str, typer.Option(help="Signature of the messages.")
    ] = "L'équipe du baromètre",
    language: LanguageOption = "fr",
    dry_run: DryRun = False,
    email_sender: EmailSender = None,
    smtp_host: SmtpHost = None,
    smtp_port: SmtpPort = None,
    smtp_security: SmtpSecurity = None,
    rate: Rate = None,
    url: UrlOption = None,
) -> None:
    """E-mail the invitation to every sampled company with an address, not yet invited.

    Each message is recorded as it is sent: after an interruption, run it again and only
    the invitations not yet sent go out.
    """
    secrets = _read_codes(codes_file)
    lang = _language(language)
    with open_store_or_exit(url) as store:
        wave_id = wave_id_or_exit(store, wave)
        study, trust = _mail_study(store, wave_id, study_name, signature, base_url)
        try:
            plan = plan_wave_invitations(
                store,
                wave_id,
                secrets,
                Links(base=base_url),
                lang,
            )
        except CampaignStateError as exc:
            raise fail(str(exc)) from exc
        if dry_run:
            _print_plan(plan, "invitations")
            return
        settings = _sender(_mail_options(smtp_host, smtp_port, smtp_security, rate), trust,
                           email_sender)  # fmt: skip
        _warn_trust(trust, wave)
        with progress_bar("invitations") as progress:
            done = _Counter("invitations", len(plan.messages), progress)
            try:
                sent = send_wave_invitations(
                    store, wave_id, secrets, study, settings, Links(base=base_url),
                    lang,
                    on_sent=done.advance,
                )  # fmt: skip
            except (CampaignStateError, MailingError) as exc:
                raise fail(str(exc)) from exc
    ok = sum(s.accepted for s in sent)
    console.print(f"{ok:,} invitations sent, {len(sent) - ok:,} refused (bounces recorded)")


@app.command()
def remind(
    wave: WaveOption,
    codes_file: CodesOption,
    base_url: BaseUrlOption,
    study_name: StudyName = "baromètre PME-ETI et réseaux sociaux",
    signature: Annotated[
        str, typer.Option(help="Signature of the messages.")
    ] = "L'équipe du baromètre",
    language: LanguageOption = "fr",
    now: Annotated[
        str | None,
        typer.Option(
            help="Plan as if it were this time (ISO date or time): lists what would be due "
            "then and sends nothing, unless --send is also given."
        ),
    ] = None,
    send_anyway: Annotated[
        bool, typer.Option("--send", help="With --now: really send what is due at that time.")
    ] = False,
    dry_run: DryRun = False,
    email_sender: EmailSender = None,
    smtp_host: SmtpHost = None,
    smtp_port: SmtpPort = None,
    smtp_security: SmtpSecurity = None,
    rate: Rate = None,
    url: UrlOption = None,
) -> None:
    """Send the reminders due now: +7 and +14 days to non-respondents, +7 to partials."""
    secrets = _read_codes(codes_file)
    lang = _language(language)
    when = datetime.fromisoformat(now) if now else datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    planning = dry_run or (now is not None and not send_anyway)
    with open_store_or_exit(url) as store:
        wave_id = wave_id_or_exit(store, wave)
        study, trust = _mail_study(store, wave_id, study_name, signature, base_url)
        try:
            plan = plan_wave_reminders(
                store, wave_id, secrets, Links(base=base_url), now=when,
                language=lang,
            )  # fmt: skip
        except CampaignStateError as exc:
            raise fail(str(exc)) from exc
        if planning:
            _print_plan(plan, f"reminders due at {when:%Y-%m-%d %H:%M} UTC")
            if now is not None and not send_anyway and not dry_run:
                console.print("(--now only plans; add --send to send them)")
            return
        settings = _sender(_mail_options(smtp_host, smtp_port, smtp_security, rate), trust,
                           email_sender)  # fmt: skip
        _warn_trust(trust, wave)
        with progress_bar("reminders") as progress:
            done = _Counter("reminders", len(plan.messages), progress)
            try:
                sent = send_wave_reminders(
                    store, wave_id, secrets, study, settings, Links(base=base_url),
                    now=when, language=lang,
                    on_sent=done.advance,
                )  # fmt: skip
            except (CampaignStateError, MailingError) as exc:
                raise fail(str(exc)) from exc
    if not sent:
        console.print("no reminder is due")
    for kind, messages in sent.items():
        ok = sum(m.accepted for m in messages)
        console.print(f"{kind}: {ok:,} sent, {len(messages) - ok:,} refused")


_WAVE_STATUS_FR = {
    "draft": "brouillon",
    "open": "terrain ouvert",
    "closed": "terrain clos",
    "published": "publiée",
    "archived": "archivée",
}
# The headline AAPOR rates, with their French labels (the code, for reference, after).
_HEADLINE_RATES = (
    ("rr1", "Taux de réponse, complets seuls (RR1)"),
    ("rr2", "Taux de réponse, complets et partiels (RR2)"),
    ("rr3", "Taux de réponse, éligibilité estimée (RR3)"),
    ("coop1", "Taux de coopération (COOP1)"),
    ("ref1", "Taux de refus (REF1)"),
    ("con1", "Taux de contact (CON1)"),
)


def _by_mode(returns: Returns) -> str:
    parts = [f"web {number_fr(returns.web)}", f"papier {number_fr(returns.paper)}"]
    if returns.imported:
        parts.append(f"import {number_fr(returns.imported)}")
    return ", ".join(parts)


def _summary_table(summary: FieldworkSummary) -> Table:
    """Sends, returns and headline rates: one line each, label, figure, detail."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)  # labels stay whole; the detail column wraps if need be
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    n = number_fr

    def section(title: str) -> None:
        grid.add_row(f"[bold]{title}[/bold]", "", "")

    section("Envois")
    grid.add_row("  Entreprises de l'échantillon", n(summary.cases), "")
    grid.add_row("  Lettres imprimées", n(summary.letters), "")
    grid.add_row("  Invitations envoyées par courriel", n(summary.emails), "")
    grid.add_row(
        "  Relances envoyées par courriel", n(summary.reminders),
        f"à {n(summary.reminded)} entreprises" if summary.reminders else "",
    )  # fmt: skip
    grid.add_row("  Courriels rejetés (bounces)", n(summary.bounces), "")
    grid.add_row("  Lettres revenues non distribuées", n(summary.letters_returned), "")
    grid.add_row("  Désinscriptions", n(summary.opt_outs), "")
    section("Retours")
    grid.add_row("  Questionnaires complets", n(summary.complete.total), _by_mode(summary.complete))
    grid.add_row("  Questionnaires partiels", n(summary.partial.total), _by_mode(summary.partial))
    section("Taux (définitions AAPOR)")
    overall = summary.rates.overall
    for field, label in _HEADLINE_RATES:
        grid.add_row(f"  {label}", percent_fr(getattr(overall, field)), "")
    return grid


def _strata_tables(rates: CampaignRates) -> list[Table]:
    """Dispositions and every AAPOR rate per stratum, each table within 80 columns."""
    rows = [("ensemble", rates.overall)] + [(s.stratum, s.rates) for s in rates.strata]

    def table(title: str, *columns: str) -> Table:
        out = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1), title_justify="left")
        out.add_column("strate", overflow="fold", min_width=9)
        for column in columns:
            out.add_column(column, justify="right", no_wrap=True)
        return out

    counts = table("Dispositions finales par strate", "cas", "I", "P", "R", "NC", "O",
                   "UH+UO", "NE", "e")  # fmt: skip
    response = table("Taux de réponse par strate", "RR1", "RR2", "RR3", "RR4", "RR5", "RR6")
    cooperation = table("Coopération par strate", "COOP1", "COOP2", "COOP3", "COOP4")
    refusal = table("Refus et contact par strate", "REF1", "REF2", "REF3", "CON1", "CON2", "CON3")
    n = number_fr
    for name, r in rows:
        c = r.counts
        counts.add_row(
            name, n(c.total), n(c.complete), n(c.partial), n(c.refusal), n(c.non_contact),
            n(c.other), n(c.unknown_household + c.unknown_other), n(c.not_eligible),
            decimal_fr(r.e, 3),
        )  # fmt: skip  # arguments grouped by meaning, one group a line
        response.add_row(name, *(percent_fr(v) for v in (r.rr1, r.rr2, r.rr3, r.rr4, r.rr5, r.rr6)))
        cooperation.add_row(name, *(percent_fr(v) for v in (r.coop1, r.coop2, r.coop3, r.coop4)))
        refusal.add_row(
            name, *(percent_fr(v) for v in (r.ref1, r.ref2, r.ref3, r.con1, r.con2, r.con3))
        )
    return [counts, response, cooperation, refusal]


STRATA_LEGEND = (
    "I complets, P partiels, R refus, NC non-contacts, O autres éligibles, UH+UO "
    "éligibilité inconnue, NE non éligibles ; e part estimée d'éligibles parmi les inconnus. "
    "RR taux de réponse, COOP coopération, REF refus, CON contact (docs/campaign.md)."
)


@app.command()
def status(
    wave: WaveOption,
    strata: Annotated[
        bool, typer.Option("--strata", help="Add the dispositions and rates per stratum.")
    ] = False,
    e: Annotated[
        float | None, typer.Option(help="Share of unknown-eligibility cases taken as eligible.")
    ] = None,
    url: UrlOption = None,
) -> None:
    """Show the fieldwork: invitations, reminders, bounces, returns, AAPOR response rates."""
    with open_store_or_exit(url) as store:
        wave_id = wave_id_or_exit(store, wave)
        record = store.wave(wave_id)
        try:
            summary = wave_fieldwork(store, wave_id, e)
        except CampaignStateError as exc:
            raise fail(str(exc)) from exc
    state = "archivée" if record.archived_at else _WAVE_STATUS_FR.get(record.status, record.status)
    console.print(typeset_fr(f"[bold]Vague {wave} ({state}) : suivi du terrain[/bold]"))
    console.print(_summary_table(summary))
    overall = summary.rates.overall
    c = overall.counts
    known = c.complete + c.partial + c.refusal + c.non_contact + c.other + c.not_eligible
    how = (
        "imposée (--e)" if e is not None
        else "estimée sur les cas d'éligibilité connue" if known
        else "aucun cas d'éligibilité connue : tous comptés éligibles (prudent)"
    )  # fmt: skip
    console.print(
        typeset_fr(
            f"e = {decimal_fr(overall.e, 3)} : part des cas d'éligibilité inconnue comptés "
            f"éligibles dans RR3, {how}."
        ),
        highlight=False,
    )
    if not strata:
        console.print(
            typeset_fr(f"Par strate : barometre campaign status --wave {wave} --strata"),
            markup=False, highlight=False,
        )  # fmt: skip
        return
    for table in _strata_tables(summary.rates):
        console.print(table)
    console.print(typeset_fr(STRATA_LEGEND), highlight=False)


@app.command()
def paper(
    returns: Annotated[Path, typer.Argument(help="CSV of keyed paper questionnaires.")],
    wave: WaveOption,
    url: UrlOption = None,
) -> None:
    """Import keyed paper questionnaires; print each rejected row with its reasons."""
    with open_store_or_exit(url) as store:
        try:
            outcome = import_wave_paper(store, wave_id_or_exit(store, wave), returns)
        except (PaperFileError, OSError) as exc:
            raise fail(str(exc)) from exc
    for row in outcome.rejected:
        console.print(row.describe(), markup=False, highlight=False)
    for line, case_id, questions in outcome.flagged:
        console.print(
            f"line {line} (case {case_id}): {', '.join(questions)} answered although the "
            "routing skips it; stored apart and flagged (campaign log: paper_off_route)",
            markup=False, highlight=False,
        )  # fmt: skip
    console.print(
        f"{outcome.stored:,} new paper questionnaires stored, {outcome.already_stored:,} "
        f"already stored (unchanged), {len(outcome.rejected):,} rejected",
        highlight=False,
    )
    if outcome.rejected:
        raise typer.Exit(code=2)
