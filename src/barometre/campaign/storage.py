"""The campaign's thin adapter to the store: frame and sample in, codes, mailings and returns.

Everything here is a few calls to `barometre.store.Store`'s public methods around the pure
modules of this package. Link tokens are never stored in clear: `issue_wave_codes` hands
them back once, for the study team to keep in a secrets file (`write_codes` / `read_codes`)
that the letters and e-mails are printed from.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from barometre.campaign._history import wave_histories
from barometre.campaign.aapor import CampaignRates, campaign_rates
from barometre.campaign.codes import InvitationCode, issue_codes
from barometre.campaign.dispositions import (
    CATALOGUE,
    Outcome,
    final_disposition,
)
from barometre.campaign.errors import CampaignError
from barometre.campaign.fieldwork import (
    BOUNCE_CODE,
    LETTERS_EVENT,
    FieldworkSummary,
    InvitationState,
    summarise_fieldwork,
)
from barometre.campaign.mailing import (
    CaseContactState,
    CaseStatus,
    EmailRecipient,
    MailStudy,
    MessageKind,
    ReminderPolicy,
    SentMessage,
    SmtpSettings,
    due_reminders,
    send_messages,
)
from barometre.campaign.paper import PaperImport, RejectedRow, RowProblem, read_paper_returns
from barometre.campaign.sampling import Sample
from barometre.campaign.settings import WaveSettings

if TYPE_CHECKING:
    # Imported where letters are printed: reportlab and qrcode cost every other user of
    # this module (the report's annex reads the AAPOR rates here) a second of start-up.
    from barometre.campaign.letters import LetterBatch, LetterStudy
from barometre.questionnaire import Language
from barometre.store import (
    Case,
    NewInvitation,
    Response,
    ResponseInvalid,
    ResponseLocked,
    Store,
    StoreError,
)


class CampaignStateError(CampaignError, RuntimeError):
    """The wave is not in the state this step needs (no sample, no codes, unknown case...)."""


@dataclass(frozen=True, slots=True)
class Links:
    """How personal links are built from a token (the web app's routes)."""

    answer: str = "{base}/r/{token}"
    opt_out: str = "{base}/opt-out/{token}"
    base: str = "http://127.0.0.1:8000"

    def answer_link(self, token: str) -> str:
        """The link that opens the questionnaire."""
        return self.answer.format(base=self.base.rstrip("/"), token=token)

    def opt_out_link(self, token: str) -> str:
        """The link that stops further messages."""
        return self.opt_out.format(base=self.base.rstrip("/"), token=token)


def _frame_rows(units: pl.DataFrame, contacts: pl.DataFrame | None) -> pl.DataFrame:
    """Frame columns as the store names them, contact data on the contact side."""

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in units.columns else pl.lit(None, dtype=pl.String)

    address = pl.concat_str(
        [col("address_complement"), col("street"), col("special_delivery")],
        separator="\n",
        ignore_nulls=True,
    )
    rows = units.select(
        pl.col("siren"),
        col("name").alias("name"),
        col("naf").alias("naf_code"),
        col("headcount_code").alias("headcount_code"),
        col("size_band").alias("size_band"),
        col("sector").alias("sector"),
        col("region").alias("region"),
        col("category").alias("category"),
        (pl.col("turnover").cast(pl.Float64) if "turnover" in units.columns
         else pl.lit(None, dtype=pl.Float64)).alias("turnover"),
        pl.when(address.str.len_chars() > 0).then(address).alias("address"),
        col("postcode").alias("postal_code"),
        col("city").alias("city"),
        pl.when(col("postcode").is_not_null()).then(pl.lit("FRANCE")).alias("country"),
    )  # fmt: skip  # arguments grouped by meaning, one group a line
    if contacts is not None:
        # Not reformatted (fmt: skip below): the columns' generator reads as one expression.
        extra = contacts.select(
            pl.col("siren").cast(pl.String),
            *(pl.col(c).cast(pl.String) if c in contacts.columns
              else pl.lit(None, dtype=pl.String).alias(c) for c in ("email", "person_name")),
        ).unique("siren", keep="last")  # fmt: skip
        rows = rows.join(extra, on="siren", how="left")
    else:
        rows = rows.with_columns(
            pl.lit(None, dtype=pl.String).alias("email"),
            pl.lit(None, dtype=pl.String).alias("person_name"),
        )
    return rows


def store_frame_and_sample(
    store: Store,
    wave_id: int,
    frame_units: pl.DataFrame,
    sample: Sample,
    contacts: pl.DataFrame | None = None,
    *,
    sampled_only: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Put the frame (or only its sampled units) and the sample in the wave; returns n.

    `progress(step, done, total)` is told of each step, counted in units stored.
    """
    units = sample.units if sampled_only else frame_units
    total = units.height + sample.units.height
    say = progress or (lambda step, done, all_: None)
    say("frame units", 0, total)
    store.add_frame_units(wave_id, _frame_rows(units, contacts))
    say("sample", units.height, total)
    members = sample.units.select("siren", "stratum", "inclusion_probability", "design_weight")
    stored = store.add_sample(wave_id, members)
    say("stored", total, total)
    return stored


def _wave_name(store: Store, wave_id: int) -> str:
    return store.wave(wave_id).name


def issue_wave_codes(store: Store, wave_id: int) -> list[InvitationCode]:
    """Codes for every case of the wave that has none yet, stored hashed, returned once."""
    fresh = new_wave_codes(store, wave_id)
    store_wave_codes(store, wave_id, fresh)
    return fresh


def new_wave_codes(store: Store, wave_id: int) -> list[InvitationCode]:
    """Codes for every case of the wave that has none yet, not stored yet.

    Cases that already have a code keep it: the tokens of earlier runs exist only in the
    secrets files written then, so replacing them would strand every printed letter. The
    CLI writes the secrets file first and stores the hashes after, so that a failed write
    loses nothing.
    """
    cases = store.cases(wave_id)
    if not cases:
        raise CampaignStateError(f"wave {_wave_name(store, wave_id)!r} has no sample yet")
    existing = store.invitations(wave_id)
    have = {inv.case_id for inv in existing}
    taken = frozenset(inv.short_code for inv in existing)
    return issue_codes([c.case_id for c in cases if c.case_id not in have], taken)


def store_wave_codes(store: Store, wave_id: int, codes: Iterable[InvitationCode]) -> int:
    """Store the hashes of freshly issued codes (after their secrets file is safely written)."""
    return store.issue_invitations(
        wave_id, [NewInvitation(c.case_id, c.token, c.short_code) for c in codes]
    )


def reissue_wave_codes(store: Store, wave_id: int, sirens: Iterable[str]) -> list[InvitationCode]:
    """New codes for these companies (by SIREN); their old links and short codes stop working."""
    name = _wave_name(store, wave_id)
    case_ids = []
    for siren in sirens:
        try:
            case = store.case_by_siren(wave_id, siren.strip())
        except StoreError as exc:
            raise CampaignStateError(f"wave {name!r}: {exc}") from exc
        if store.invitation(wave_id, case.case_id) is None:
            raise CampaignStateError(
                f"wave {name!r}: company {siren} has no code yet; `campaign codes` issues it"
            )
        case_ids.append(case.case_id)
    taken = frozenset(inv.short_code for inv in store.invitations(wave_id))
    return issue_codes(case_ids, taken)


def store_reissued_codes(
    store: Store,
    wave_id: int,
    codes: Iterable[InvitationCode],
    *,
    requested_by: str,
    reason: str = "",
) -> int:
    """Replace the stored hashes of reissued codes and log each reissue."""
    return store.reissue_invitations(
        wave_id,
        [NewInvitation(c.case_id, c.token, c.short_code) for c in codes],
        requested_by=requested_by,
        reason=reason,
    )


def free_codes_path(wanted: Path) -> Path:
    """`wanted` if no file is there, else the first free `name-2.csv`, `name-3.csv`..."""
    if not wanted.exists():
        return wanted
    n = 2
    while True:
        candidate = wanted.with_name(f"{wanted.stem}-{n}{wanted.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def write_codes(path: Path, codes: Iterable[InvitationCode]) -> int:
    """Write a new secrets file (case_id, short_code, token), readable by its owner only.

    Never overwrites: the file is written under a temporary name beside `path`, then
    linked to `path`, which fails if a file appeared there meanwhile. An existing secrets
    file is the only copy of its tokens.
    """
    if path.exists():
        raise CampaignStateError(
            f"{path} already exists and holds earlier codes; write to another file "
            f"(for example --out {free_codes_path(path)})"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    count = 0
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["case_id", "short_code", "token"])
            for code in codes:
                writer.writerow([code.case_id, code.short_code, code.token])
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError as exc:
            raise CampaignStateError(f"{path} appeared while the codes were written") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return count


def read_codes(path: Path) -> dict[str, InvitationCode]:
    """The secrets file written by `write_codes`, by case id."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"case_id", "short_code", "token"} <= set(
            reader.fieldnames
        ):
            raise CampaignStateError(f"{path}: not a codes file (case_id, short_code, token)")
        return {
            row["case_id"]: InvitationCode(row["case_id"], row["token"], row["short_code"])
            for row in reader
        }


def read_code_files(paths: Iterable[Path]) -> dict[str, InvitationCode]:
    """Several secrets files merged, later files first (a reissued code replaces the old one)."""
    merged: dict[str, InvitationCode] = {}
    for path in paths:
        merged.update(read_codes(path))
    return merged


def open_fieldwork(store: Store, wave_id: int) -> None:
    """Open a draft wave: the first letter or e-mail starts the fieldwork (and answers come)."""
    if store.wave(wave_id).status == "draft":
        store.set_wave_status(wave_id, "open")


def _mailing(store: Store, wave_id: int) -> pl.DataFrame:
    table = store.mailing_list(wave_id)
    if table.is_empty():
        raise CampaignStateError(f"wave {wave_id} has no sample yet")
    return table


def letter_address(
    name: str | None, address: str | None, postal_code: str | None, city: str | None
) -> tuple[str, ...]:
    """A stored contact's address block, in La Poste's order (`letters.postal_address`).

    The store keeps complement, street and special delivery as one text, in that order and
    without the blank ones (see `_frame_rows`).
    """
    from barometre.campaign.letters import postal_address

    complement, street, special = [*(address or "").split("\n"), "", "", ""][:3]
    return postal_address(name, complement, street, special, postal_code, city)


def print_wave_letters(
    store: Store,
    wave_id: int,
    codes: Mapping[str, InvitationCode],
    study: LetterStudy,
    links: Links,
    output: Path,
    on_page: Callable[[int], None] | None = None,
    with_paper_form: bool = False,
) -> LetterBatch:
    """One letter per case with a postal address and a code, not opted out.

    With `with_paper_form`, each letter is followed by the case's paper questionnaire.
    """
    from barometre.campaign.letters import LetterRecipient, render_letters

    table = _mailing(store, wave_id).filter(
        pl.col("postal_code").is_not_null() & pl.col("opted_out_at").is_null()
    )
    recipients = []
    for row in table.iter_rows(named=True):
        code = codes.get(row["case_id"])
        if code is None:
            continue
        recipients.append(
            LetterRecipient(
                case_id=row["case_id"],
                address_lines=letter_address(
                    row["name"], row["address"], row["postal_code"], row["city"]
                ),
                short_code=code.short_code,
                link=links.answer_link(code.token),
            )
        )
    if not study.foot_lines:
        study = replace(
            study, foot_lines=letter_foot(wave_settings(store, wave_id), study.language)
        )
    paper = store.questionnaire_of(wave_id) if with_paper_form else None
    batch = render_letters(recipients, study, output, on_page=on_page, paper_form=paper)
    store.log_campaign_event(
        wave_id,
        LETTERS_EVENT,
        detail=json.dumps({"file": output.name, "cases": [r.case_id for r in recipients]}),
    )
    open_fieldwork(store, wave_id)
    return batch


@dataclass(frozen=True, slots=True)
class MailingPlan:
    """Who would get which message now, and how many cases were left out for want of a code."""

    messages: tuple[tuple[EmailRecipient, MessageKind], ...]
    without_code: int = 0

    def count(self, kind: MessageKind) -> int:
        """How many messages of this kind are planned."""
        return sum(1 for _, k in self.messages if k == kind)


def _recipients(
    table: pl.DataFrame,
    codes: Mapping[str, InvitationCode],
    links: Links,
    language: Language,
    wanted: Mapping[str, MessageKind] | MessageKind,
) -> MailingPlan:
    out = []
    without_code = 0
    for row in table.iter_rows(named=True):
        case_id = row["case_id"]
        kind = wanted if isinstance(wanted, MessageKind) else wanted.get(case_id)
        if kind is None or not row["email"]:
            continue
        code = codes.get(case_id)
        if code is None:
            without_code += 1
            continue
        recipient = EmailRecipient(
            case_id=case_id,
            email=row["email"],
            link=links.answer_link(code.token),
            opt_out_link=links.opt_out_link(code.token),
            short_code=code.short_code,
            language=language,
            company=row["name"],
            person_name=row.get("person_name"),
        )
        out.append((recipient, kind))
    return MailingPlan(tuple(out), without_code)


def _recorder(
    store: Store, wave_id: int, reminder: bool, on_sent: Callable[[SentMessage], None] | None
) -> Callable[[SentMessage], None]:
    """Record each message in the store as soon as the server has answered for it.

    Each record is its own transaction, so a run killed mid-way leaves every message sent
    so far recorded, and a rerun sends only the rest (the window left is the few
    milliseconds between the server's 250 and the commit).
    """

    def record(message: SentMessage) -> None:
        if message.accepted:
            if reminder:
                store.mark_reminded(wave_id, [message.case_id])
            else:
                store.mark_sent(wave_id, [message.case_id])
        store.log_campaign_event(
            wave_id,
            "message" if message.accepted else "message_refused",
            case_id=message.case_id,
            detail=message.kind.value + ("" if message.accepted else f": {message.error}"),
            recorded_by="smtp",
        )
        if message.bounced:
            store.record_disposition(
                wave_id, message.case_id, BOUNCE_CODE, f"{message.kind}: {message.error}",
                recorded_by="smtp",
            )  # fmt: skip
        if on_sent is not None:
            on_sent(message)

    return record


def plan_wave_invitations(
    store: Store,
    wave_id: int,
    codes: Mapping[str, InvitationCode],
    links: Links,
    language: Language = "fr",
) -> MailingPlan:
    """The invitations `send_wave_invitations` would send now (nothing is sent or changed)."""
    table = _mailing(store, wave_id).filter(
        pl.col("sent_at").is_null() & pl.col("opted_out_at").is_null()
    )
    return _recipients(table, codes, links, language, MessageKind.INVITATION)


def _send_plan(
    store: Store,
    wave_id: int,
    plan: MailingPlan,
    study: MailStudy,
    settings: SmtpSettings,
    reminder: bool,
    on_sent: Callable[[SentMessage], None] | None,
) -> dict[MessageKind, tuple[SentMessage, ...]]:
    results: dict[MessageKind, tuple[SentMessage, ...]] = {}
    record = _recorder(store, wave_id, reminder, on_sent)
    for kind in sorted({k for _, k in plan.messages}):
        recipients = [r for r, k in plan.messages if k == kind]
        results[kind] = send_messages(recipients, kind, study, settings, on_sent=record)
    return results


def send_wave_invitations(
    store: Store,
    wave_id: int,
    codes: Mapping[str, InvitationCode],
    study: MailStudy,
    settings: SmtpSettings,
    links: Links,
    language: Language = "fr",
    on_sent: Callable[[SentMessage], None] | None = None,
) -> tuple[SentMessage, ...]:
    """E-mail the invitation to every case with an address, a code, not yet sent, not opted out.

    Each message is recorded as it goes (see `_recorder`): a rerun after a crash sends
    only the invitations not yet recorded.
    """
    plan = plan_wave_invitations(store, wave_id, codes, links, language)
    open_fieldwork(store, wave_id)
    sent = _send_plan(store, wave_id, plan, study, settings, False, on_sent)
    return sent.get(MessageKind.INVITATION, ())


def final_codes(store: Store, wave_id: int, cases: Sequence[Case] | None = None) -> dict[str, str]:
    """Each case's final AAPOR disposition from its history (3.19 when nothing came back)."""
    histories = wave_histories(store, wave_id, cases)
    return {case: final_disposition(events) for case, events in histories.items()}


_STATUS_OF: dict[Outcome, CaseStatus] = {
    Outcome.COMPLETE: "complete",
    Outcome.PARTIAL: "partial",
    Outcome.REFUSAL: "refused",
    Outcome.NOT_ELIGIBLE: "ineligible",
}


def plan_wave_reminders(
    store: Store,
    wave_id: int,
    codes: Mapping[str, InvitationCode],
    links: Links,
    policy: ReminderPolicy | None = None,
    now: datetime | None = None,
    language: Language = "fr",
) -> MailingPlan:
    """The reminders due at `now` (default: now); nothing is sent or changed."""
    now = now or datetime.now(UTC)
    table = _mailing(store, wave_id)
    finals = final_codes(store, wave_id)
    states = []
    for row in table.iter_rows(named=True):
        outcome = CATALOGUE[finals[row["case_id"]]].outcome
        count = row["reminder_count"] or 0
        # The store counts reminders; the policy's rules are ordered, so the count says
        # which of them a case has had.
        already: set[MessageKind] = set()
        if count >= 1:
            already |= {MessageKind.REMINDER_1, MessageKind.FINISH}
        if count >= 2:
            already.add(MessageKind.REMINDER_2)
        states.append(
            CaseContactState(
                case_id=row["case_id"],
                invited_at=row["sent_at"],
                status=_STATUS_OF.get(outcome, "none"),
                opted_out=row["opted_out_at"] is not None,
                bounced=finals[row["case_id"]] == BOUNCE_CODE,
                already_sent=frozenset(already),
            )
        )
    due = dict(due_reminders(states, now, policy))
    return _recipients(table, codes, links, language, due)


def send_wave_reminders(
    store: Store,
    wave_id: int,
    codes: Mapping[str, InvitationCode],
    study: MailStudy,
    settings: SmtpSettings,
    links: Links,
    policy: ReminderPolicy | None = None,
    now: datetime | None = None,
    language: Language = "fr",
    on_sent: Callable[[SentMessage], None] | None = None,
) -> dict[MessageKind, tuple[SentMessage, ...]]:
    """Send each case the reminder the policy says is due now; returns what went out by kind."""
    plan = plan_wave_reminders(store, wave_id, codes, links, policy, now, language)
    return _send_plan(store, wave_id, plan, study, settings, True, on_sent)


def wave_rates(store: Store, wave_id: int, e: float | None = None) -> CampaignRates:
    """AAPOR rates of the wave, overall and per stratum."""
    cases = store.cases(wave_id)  # read once: 30,000 cases take a second
    strata = {case.case_id: case.stratum for case in cases}
    if not strata:
        raise CampaignStateError(f"wave {wave_id} has no sample yet")
    questionnaire = store.questionnaire_of(wave_id)
    return campaign_rates(final_codes(store, wave_id, cases), strata, e, questionnaire)


def wave_fieldwork(store: Store, wave_id: int, e: float | None = None) -> FieldworkSummary:
    """The wave's fieldwork summary (`fieldwork.summarise_fieldwork`) read from the store."""
    cases = store.cases(wave_id)
    strata = {case.case_id: case.stratum for case in cases}
    if not strata:
        raise CampaignStateError(f"wave {_wave_name(store, wave_id)!r} has no sample yet")
    histories = wave_histories(store, wave_id, cases)
    finals = {case: final_disposition(events) for case, events in histories.items()}
    lettered: set[str] = set()
    for event in store.campaign_log(wave_id, LETTERS_EVENT):
        lettered.update(json.loads(event.detail).get("cases", ()))
    return summarise_fieldwork(
        invitations=(
            InvitationState(i.case_id, i.sent_at is not None, i.reminder_count, i.opted_out)
            for i in store.invitations(wave_id)
        ),
        responses=((r.status, r.source) for r in store.responses(wave_id)),
        histories=histories,
        lettered=lettered,
        rates=campaign_rates(finals, strata, e, store.questionnaire_of(wave_id)),
    )


@dataclass(frozen=True, slots=True)
class PaperOutcome:
    """What a paper import stored, found already stored, flagged and turned away."""

    stored: int
    rejected: tuple[RejectedRow, ...]
    already_stored: int = 0
    """Rows identical to a paper response stored before (a re-import): nothing changed."""
    flagged: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    """(line, case, questions answered although skipped) of stored rows, kept apart."""


def web_answered_refusal(response: Response, lang: str = "en") -> str:
    """The sentence refusing a paper form for a case already answered on the web."""
    when = response.submitted_at or response.updated_at
    day = f"{when:%Y-%m-%d}"
    if lang == "fr":
        return (
            f"Le cas {response.case_id} a déjà répondu en ligne (questionnaire complet le {day})"
            "\u00a0: le questionnaire papier n\u2019est pas enregistré."
        )
    return (
        f"case {response.case_id} already answered on the web (complete on {day}); "
        "the paper form is not stored"
    )


def save_paper_form(
    store: Store,
    wave_id: int,
    case_id: str,
    answers: Mapping[str, Any],
    status: str,
    off_route: Mapping[str, Any],
    recorded_by: str,
) -> str:
    """Store one paper form; returns "new" or "already" (the same form stored before).

    Refuses (`CampaignStateError`) a case already completed on the web, and a case whose
    stored paper response differs (complete responses are locked). Off-route answers are
    logged with the case (event ``paper_off_route``), flagged for the analysts.
    """
    existing = store.response(wave_id, case_id)
    if existing is not None and existing.status == "complete":
        if existing.source == "web":
            raise CampaignStateError(web_answered_refusal(existing))
        if dict(existing.answers) == {k: v for k, v in answers.items() if v is not None}:
            return "already"
    try:
        store.save_response(
            wave_id, case_id, dict(answers), status=status,  # type: ignore[arg-type]
            source="paper", recorded_by=recorded_by,
        )  # fmt: skip
    except ResponseLocked as exc:
        raise CampaignStateError(
            f"case {case_id} already has a complete paper response with other answers; "
            "it is not replaced"
        ) from exc
    if off_route:
        store.log_campaign_event(
            wave_id, "paper_off_route", case_id=case_id, recorded_by=recorded_by,
            detail=json.dumps(dict(off_route), ensure_ascii=False, sort_keys=True),
        )  # fmt: skip
    return "new"


def import_wave_paper(
    store: Store, wave_id: int, path: Path, recorded_by: str = "paper"
) -> PaperOutcome:
    """Validate a paper-returns CSV and store each accepted row as a response from paper."""
    checked: PaperImport = read_paper_returns(path, store.questionnaire_of(wave_id))
    rejected = list(checked.rejected)
    stored = already = 0
    flagged = []
    for ret in checked.accepted:
        case_id = ret.key
        if ret.key_column == "short_code":
            invitation = store.find_invitation_by_short_code(ret.key)
            if invitation is None or invitation.wave_id != wave_id:
                rejected.append(_store_problem(ret.line, ret.key, "unknown short code"))
                continue
            case_id = invitation.case_id
        try:
            outcome = save_paper_form(
                store, wave_id, case_id, ret.answers, ret.status, ret.off_route, recorded_by
            )
        except ResponseInvalid as exc:
            problems = tuple(
                RowProblem(p.question_id, str(p.code), p.message_fr, p.message_en)
                for p in exc.problems
            )
            rejected.append(RejectedRow(ret.line, ret.key, problems))
            continue
        except (CampaignStateError, StoreError) as exc:
            rejected.append(_store_problem(ret.line, ret.key, str(exc)))
            continue
        if outcome == "already":
            already += 1
            continue
        stored += 1
        if ret.off_route:
            flagged.append((ret.line, case_id, tuple(ret.off_route)))
    return PaperOutcome(
        stored, tuple(sorted(rejected, key=lambda r: r.line)), already, tuple(flagged)
    )


def _store_problem(line: int, key: str, message: str) -> RejectedRow:
    return RejectedRow(line, key, (RowProblem("", "store", message, message),))


def wave_settings(store: Store, wave_id: int) -> WaveSettings:
    """The wave's trust settings as stored (empty settings when none were set)."""
    return WaveSettings.from_mapping(store.wave_settings(wave_id), f"wave {wave_id} settings")


def letter_foot(settings: WaveSettings, language: str) -> tuple[str, ...]:
    """The small print of a letter: organiser, contact, then the notice's items."""
    lines = [settings.organiser_line(language), settings.contact_line(language)]
    notice = settings.notice_lines(language)
    if notice:
        lines.append(settings.notice_heading(language) + (" :" if language == "fr" else ":"))
        lines += list(notice)
    return tuple(line for line in lines if line)


def set_wave_settings(store: Store, wave_id: int, settings: WaveSettings) -> None:
    """Store the wave's trust settings."""
    store.set_wave_settings(wave_id, settings.to_mapping())
