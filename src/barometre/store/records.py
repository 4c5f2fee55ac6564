"""What the store hands back: frozen dataclasses, one per survey concept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from barometre.questionnaire import AnswerValue

WaveStatus = Literal["draft", "open", "closed", "published", "archived"]
ResponseStatus = Literal["partial", "complete"]
ResponseSource = Literal["web", "paper", "import"]
Role = Literal["admin", "team", "viewer"]


@dataclass(frozen=True)
class Wave:
    """A campaign of one questionnaire version over one frame."""

    id: int
    name: str
    questionnaire_id: str
    questionnaire_version: str
    frame_description: str
    opens_on: date | None
    closes_on: date | None
    status: WaveStatus
    created_at: datetime
    published_at: datetime | None
    archived_at: datetime | None = None


@dataclass(frozen=True)
class FrameUnit:
    """A company of a wave's frame, with its registry attributes."""

    id: int
    wave_id: int
    siren: str
    name: str | None
    naf_code: str | None
    headcount_code: str | None
    size_band: str | None
    sector: str | None
    region: str | None
    category: str | None
    turnover: float | None


@dataclass(frozen=True)
class Contact:
    """How to reach a company: personal data, kept apart from answers."""

    siren: str
    person_name: str | None
    email: str | None
    address: str | None
    postal_code: str | None
    city: str | None
    country: str | None


@dataclass(frozen=True)
class Case:
    """A sampled company in a wave, known by a pseudonymous case id."""

    wave_id: int
    case_id: str
    siren: str
    stratum: str
    inclusion_probability: float
    design_weight: float


@dataclass(frozen=True)
class NewInvitation:
    """A personal code to store: the long token is kept only as a hash."""

    case_id: str
    token: str
    short_code: str


@dataclass(frozen=True)
class Invitation:
    """A case's personal code (without the token itself) and its mailing history."""

    wave_id: int
    case_id: str
    short_code: str
    created_at: datetime
    sent_at: datetime | None
    reminded_at: datetime | None
    reminder_count: int
    opted_out_at: datetime | None

    @property
    def opted_out(self) -> bool:
        """Whether the company asked not to be contacted again."""
        return self.opted_out_at is not None


@dataclass(frozen=True)
class Response:
    """One company's answers to one wave, as stored."""

    wave_id: int
    case_id: str
    status: ResponseStatus
    source: ResponseSource
    questionnaire_id: str
    questionnaire_version: str
    last_page: str | None
    started_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldworkCounts:
    """What the methodology annex says of a wave's fieldwork, counted by the database."""

    invited: int
    """Invitations issued (codes), sent or not."""
    first_sent: datetime | None
    """The first invitation sent (None before any)."""
    emailed: int
    """Invitations sent."""
    reminded: int
    """Invitations reminded at least once."""
    first_started: datetime | None
    last_submitted: datetime | None
    complete_by_source: Mapping[str, int]
    """Complete responses per source (web, paper, import)."""


@dataclass(frozen=True)
class Disposition:
    """One entry of a case's disposition history (AAPOR code)."""

    wave_id: int
    case_id: str
    code: str
    note: str | None
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class User:
    """A member of the study team."""

    id: int
    username: str
    role: Role
    created_at: datetime
    disabled_at: datetime | None


@dataclass(frozen=True)
class ApiToken:
    """An API token of a study-team member (the secret itself is never stored)."""

    id: int
    username: str
    role: Role
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class PublishedResults:
    """A wave's stored results document."""

    wave_id: int
    results: Mapping[str, Any]
    stored_at: datetime


@dataclass(frozen=True)
class Erasure:
    """An entry of the erasure log (no personal data)."""

    erased_at: datetime
    wave_id: int | None
    case_id: str | None
    kind: str
    requested_by: str
    reason: str
    contacts_removed: int
    answers_removed: int


@dataclass(frozen=True)
class StoreInfo:
    """What `barometre db info` shows: where the store is, its schema revision, its size."""

    url: str
    dialect: str
    revision: str | None
    head: str
    row_counts: Mapping[str, int]

    @property
    def up_to_date(self) -> bool:
        """Whether the schema is at the newest revision the code knows."""
        return self.revision == self.head
