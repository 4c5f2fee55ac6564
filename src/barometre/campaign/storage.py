"""The campaign's thin adapter to the store: frame and sample in, codes, mailings and returns.

Everything here is a few calls to `barometre.store.Store`'s public methods around the pure
modules of this package. Link tokens are never stored in clear: `issue_wave_codes` hands
them back once, for the study team to keep in a secrets file (`write_codes` / `read_codes`)
that the letters and e-mails are printed from.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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
from barometre.campaign.letters import LetterBatch, LetterRecipient, LetterStudy, render_letters
from barometre.campaign.mailing import (
    CaseContactState,
    EmailRecipient,
    Language,
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
from barometre.store import NewInvitation, ResponseInvalid, ResponseLocked, Store, StoreError

BOUNCE_CODE = "3.32"
OPT_OUT_CODE = "2.111"


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
    )  # fmt: skip
    if contacts is not None:
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
) -> int:
    """Put the frame (or only its sampled units) and the sample in the wave; returns n."""
    units = sample.units if sampled_only else frame_units
    store.add_frame_units(wave_id, _frame_rows(units, contacts))
    members = sample.units.select("siren", "stratum", "inclusion_probability", "design_weight")
    return store.add_sample(wave_id, members)


def issue_wave_codes(store: Store, wave_id: int) -> list[InvitationCode]:
    """Codes for every case of the wave that has none yet (tokens returned once, then hashed)."""
    cases = store.cases(wave_id)
    if not cases:
        raise CampaignStateError(f"wave {wave_id} has no sample yet")
    existing = store.invitations(wave_id)
    have = {inv.case_id for inv in existing}
    taken = frozenset(inv.short_code for inv in existing)
    fresh = issue_codes([c.case_id for c in cases if c.case_id not in have], taken)
    store.issue_invitations(
        wave_id, [NewInvitation(c.case_id, c.token, c.short_code) for c in fresh]
    )
    return fresh


def write_codes(path: Path, codes: Iterable[InvitationCode]) -> int:
    """Write the secrets file (case_id, short_code, token), readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    count = 0
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["case_id", "short_code", "token"])
        for code in codes:
            writer.writerow([code.case_id, code.short_code, code.token])
            count += 1
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


def open_fieldwork(store: Store, wave_id: int) -> None:
    """Open a draft wave: the first letter or e-mail starts the fieldwork (and answers come)."""
    if store.wave(wave_id).status == "draft":
        store.set_wave_status(wave_id, "open")


def _mailing(store: Store, wave_id: int) -> pl.DataFrame:
    table = store.mailing_list(wave_id)
    if table.is_empty():
        raise CampaignStateError(f"wave {wave_id} has no sample yet")
    return table


def print_wave_letters(
    store: Store,
    wave_id: int,
    codes: Mapping[str, InvitationCode],
    study: LetterStudy,
    links: Links,
    output: Path,
    on_page: Callable[[int], None] | None = None,
) -> LetterBatch:
    """One letter per case with a postal address and a code, not opted out."""
    table = _mailing(store, wave_id).filter(
        pl.col("postal_code").is_not_null() & pl.col("opted_out_at").is_null()
    )
    recipients = []
    for row in table.iter_rows(named=True):
        code = codes.get(row["case_id"])
        if code is None:
            continue
        address = tuple((row["address"] or "").split("\n")) if row["address"] else ()
        lines = (row["name"] or "", *address, f"{row['postal_code']} {row['city'] or ''}".strip())
        recipients.append(
            LetterRecipient(
                case_id=row["case_id"],
                address_lines=tuple(line for line in lines if line),
                short_code=code.short_code,
                link=links.answer_link(code.token),
            )
        )
    batch = render_letters(recipients, study, output, on_page=on_page)
    open_fieldwork(store, wave_id)
    return batch


def _recipients(
    table: pl.DataFrame,
    codes: Mapping[str, InvitationCode],
    links: Links,
    language: Language,
    wanted: set[str] | None = None,
) -> list[EmailRecipient]:
    out = []
    for row in table.iter_rows(named=True):
        case_id = row["case_id"]
        code = codes.get(case_id)
        if code is None or not row["email"] or (wanted is not None and case_id not in wanted):
            continue
        out.append(
            EmailRecipient(
                case_id=case_id,
                email=row["email"],
                link=links.answer_link(code.token),
                opt_out_link=links.opt_out_link(code.token),
                short_code=code.short_code,
                language=language,
                company=row["name"],
            )
        )
    return out


def _record_sent(store: Store, wave_id: int, sent: Iterable[SentMessage], reminder: bool) -> None:
    accepted = [s.case_id for s in sent if s.accepted]
    if reminder:
        store.mark_reminded(wave_id, accepted)
    else:
        store.mark_sent(wave_id, accepted)
    for s in sent:
        if s.bounced:
            store.record_disposition(
                wave_id, s.case_id, BOUNCE_CODE, f"{s.kind}: {s.error}", recorded_by="smtp"
            )


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
    """E-mail the invitation to every case with an address, a code, not yet sent, not opted out."""
    table = _mailing(store, wave_id).filter(
        pl.col("sent_at").is_null() & pl.col("opted_out_at").is_null()
    )
    recipients = _recipients(table, codes, links, language)
    open_fieldwork(store, wave_id)
    sent = send_messages(recipients, MessageKind.INVITATION, study, settings, on_sent=on_sent)
    _record_sent(store, wave_id, sent, reminder=False)
    return sent


def final_codes(store: Store, wave_id: int) -> dict[str, str]:
    """Each case's final AAPOR disposition from its history (3.19 when nothing came back)."""
    histories = wave_histories(store, wave_id)
    return {case: final_disposition(events) for case, events in histories.items()}


_STATUS_OF = {
    Outcome.COMPLETE: "complete",
    Outcome.PARTIAL: "partial",
    Outcome.REFUSAL: "refused",
    Outcome.NOT_ELIGIBLE: "ineligible",
}


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
                status=_STATUS_OF.get(outcome, "none"),  # type: ignore[arg-type]
                opted_out=row["opted_out_at"] is not None,
                bounced=finals[row["case_id"]] == BOUNCE_CODE,
                already_sent=frozenset(already),
            )
        )
    due = due_reminders(states, now, policy)
    by_kind: dict[MessageKind, set[str]] = {}
    for case_id, kind in due:
        by_kind.setdefault(kind, set()).add(case_id)
    results: dict[MessageKind, tuple[SentMessage, ...]] = {}
    for kind, cases in sorted(by_kind.items()):
        recipients = _recipients(table, codes, links, language, cases)
        sent = send_messages(recipients, kind, study, settings, on_sent=on_sent)
        _record_sent(store, wave_id, sent, reminder=True)
        results[kind] = sent
    return results


def wave_rates(store: Store, wave_id: int, e: float | None = None) -> CampaignRates:
    """AAPOR rates of the wave, overall and per stratum."""
    strata = {case.case_id: case.stratum for case in store.cases(wave_id)}
    if not strata:
        raise CampaignStateError(f"wave {wave_id} has no sample yet")
    return campaign_rates(final_codes(store, wave_id), strata, e)


@dataclass(frozen=True, slots=True)
class PaperOutcome:
    """What a paper import stored and what it turned away."""

    stored: int
    rejected: tuple[RejectedRow, ...]


def import_wave_paper(
    store: Store, wave_id: int, path: Path, recorded_by: str = "paper"
) -> PaperOutcome:
    """Validate a paper-returns CSV and store each accepted row as a response from paper."""
    checked: PaperImport = read_paper_returns(path, store.questionnaire_of(wave_id))
    rejected = list(checked.rejected)
    stored = 0
    for ret in checked.accepted:
        case_id = ret.key
        if ret.key_column == "short_code":
            invitation = store.find_invitation_by_short_code(ret.key)
            if invitation is None or invitation.wave_id != wave_id:
                rejected.append(_store_problem(ret.line, ret.key, "unknown short code"))
                continue
            case_id = invitation.case_id
        try:
            store.save_response(
                wave_id, case_id, dict(ret.answers), status=ret.status,  # type: ignore[arg-type]
                source="paper", recorded_by=recorded_by,
            )  # fmt: skip
        except ResponseInvalid as exc:
            problems = tuple(
                RowProblem(p.question_id, str(p.code), p.message_fr, p.message_en)
                for p in exc.problems
            )
            rejected.append(RejectedRow(ret.line, ret.key, problems))
            continue
        except (ResponseLocked, StoreError) as exc:
            rejected.append(_store_problem(ret.line, ret.key, str(exc)))
            continue
        stored += 1
    return PaperOutcome(stored, tuple(sorted(rejected, key=lambda r: r.line)))


def _store_problem(line: int, key: str, message: str) -> RejectedRow:
    return RejectedRow(line, key, (RowProblem("", "store", message, message),))
