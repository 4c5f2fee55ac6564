"""The SQL schema of a barometer: one table per survey concept.

Contact data (people, e-mails, postal addresses) lives in `contacts` only, so that
it can be purged or erased without touching answers, and so that exports built
from the other tables are pseudonymous: a case is known by its `case_id`, never by
its SIREN or name.
"""

from __future__ import annotations

import sqlalchemy as sa

from barometre.store._types import UTCDateTime

# Explicit constraint names: PostgreSQL and Alembic need them to alter or drop constraints.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WAVE_STATUSES = ("draft", "open", "closed", "published")
RESPONSE_STATUSES = ("partial", "complete")
RESPONSE_SOURCES = ("web", "paper", "import")
USER_ROLES = ("admin", "team", "viewer")

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _wave_fk() -> sa.ForeignKey:
    return sa.ForeignKey("waves.id", ondelete="CASCADE")


waves = sa.Table(
    "waves",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("questionnaire_id", sa.String(100), nullable=False),
    sa.Column("questionnaire_version", sa.String(50), nullable=False),
    sa.Column("frame_description", sa.Text, nullable=False, server_default=""),
    sa.Column("opens_on", sa.Date),
    sa.Column("closes_on", sa.Date),
    sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("published_at", UTCDateTime),
    # The fewest respondents a cell of the wave's benchmark table needs to be shown.
    sa.Column("benchmark_min_n", sa.Integer),
    # Archived = published and no longer served; a column, not a status (see migration 0006).
    sa.Column("archived_at", UTCDateTime),
    sa.CheckConstraint(_in("status", WAVE_STATUSES), name="status"),
)

# What a study team says about its own wave: organiser, contact, data-protection notice,
# e-mail sender (JSON of `barometre.campaign.settings.WaveSettings`).
wave_settings = sa.Table(
    "wave_settings",
    metadata,
    sa.Column("wave_id", sa.Integer, _wave_fk(), primary_key=True),
    sa.Column("settings_json", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# Campaign events worth keeping apart from dispositions: each message as it is sent,
# each reissued code (who asked, why). No personal data beyond the case id.
campaign_log = sa.Table(
    "campaign_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wave_id", sa.Integer, _wave_fk(), nullable=False),
    sa.Column("case_id", sa.String(32)),
    sa.Column("event", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.Column("recorded_by", sa.String(100), nullable=False),
    sa.Index(None, "wave_id", "event"),
)

# The definition of every questionnaire a wave uses, so that a wave stays answerable and
# analysable whatever questionnaires the running code knows (an XLSForm import, an old version).
questionnaires = sa.Table(
    "questionnaires",
    metadata,
    sa.Column("questionnaire_id", sa.String(100), primary_key=True),
    sa.Column("version", sa.String(50), primary_key=True),
    sa.Column("definition_json", sa.Text, nullable=False),
    sa.Column("stored_at", UTCDateTime, nullable=False),
)

frame_units = sa.Table(
    "frame_units",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wave_id", sa.Integer, _wave_fk(), nullable=False),
    sa.Column("siren", sa.String(9), nullable=False),
    sa.Column("name", sa.String(300)),
    sa.Column("naf_code", sa.String(10)),
    sa.Column("headcount_code", sa.String(4)),
    sa.Column("size_band", sa.String(16)),
    sa.Column("sector", sa.String(40)),
    sa.Column("region", sa.String(16)),
    sa.Column("category", sa.String(8)),
    sa.Column("turnover", sa.Float),
    sa.UniqueConstraint("wave_id", "siren"),
)

contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "unit_id",
        sa.Integer,
        sa.ForeignKey("frame_units.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column("person_name", sa.String(300)),
    sa.Column("email", sa.String(320)),
    sa.Column("address", sa.Text),
    sa.Column("postal_code", sa.String(16)),
    sa.Column("city", sa.String(200)),
    sa.Column("country", sa.String(100)),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

samples = sa.Table(
    "samples",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wave_id", sa.Integer, _wave_fk(), nullable=False),
    sa.Column(
        "unit_id",
        sa.Integer,
        sa.ForeignKey("frame_units.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column("case_id", sa.String(32), nullable=False),
    sa.Column("stratum", sa.String(200), nullable=False),
    sa.Column("inclusion_probability", sa.Float, nullable=False),
    sa.Column("design_weight", sa.Float, nullable=False),
    sa.UniqueConstraint("wave_id", "case_id"),
    sa.CheckConstraint(
        "inclusion_probability > 0 AND inclusion_probability <= 1", name="probability"
    ),
)


def _case_fk() -> sa.ForeignKey:
    return sa.ForeignKey("samples.id", ondelete="CASCADE")


invitations = sa.Table(
    "invitations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wave_id", sa.Integer, _wave_fk(), nullable=False),
    sa.Column("sample_id", sa.Integer, _case_fk(), nullable=False, unique=True),
    # SHA-256 hex of the long token: a leaked database gives no working links.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    # The short code as printed on the letter, and the key typed codes are matched on.
    sa.Column("short_code", sa.String(32), nullable=False),
    sa.Column("short_code_key", sa.String(32), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("reminded_at", UTCDateTime),
    sa.Column("reminder_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("opted_out_at", UTCDateTime),
)

responses = sa.Table(
    "responses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wave_id", sa.Integer, _wave_fk(), nullable=False),
    sa.Column("sample_id", sa.Integer, _case_fk(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("questionnaire_id", sa.String(100), nullable=False),
    sa.Column("questionnaire_version", sa.String(50), nullable=False),
    sa.Column("last_page", sa.String(100)),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("submitted_at", UTCDateTime),
    # One response per company per wave: the database, not the application, guarantees it.
    sa.UniqueConstraint("wave_id", "sample_id"),
    sa.CheckConstraint(_in("status", RESPONSE_STATUSES), name="status"),
    sa.CheckConstraint(_in("source", RESPONSE_SOURCES), name="source"),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "response_id",
        sa.Integer,
        sa.ForeignKey("responses.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("question_id", sa.String(100), nullable=False),
    # JSON text: a code string, a list of codes (multiple choice), a number or free text.
    sa.Column("value_json", sa.Text, nullable=False),
    sa.UniqueConstraint("response_id", "question_id"),
)

dispositions = sa.Table(
    "dispositions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wave_id", sa.Integer, _wave_fk(), nullable=False),
    sa.Column("sample_id", sa.Integer, _case_fk(), nullable=False),
    sa.Column("code", sa.String(16), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.Column("recorded_by", sa.String(100), nullable=False),
    sa.Index(None, "sample_id", "recorded_at"),
    sa.Index(None, "wave_id"),
)

weights = sa.Table(
    "weights",
    metadata,
    sa.Column("sample_id", sa.Integer, _case_fk(), primary_key=True),
    sa.Column("wave_id", sa.Integer, _wave_fk(), nullable=False, index=True),
    sa.Column("weight", sa.Float, nullable=False),
    sa.Column("method", sa.String(200), nullable=False, server_default=""),
    sa.Column("stored_at", UTCDateTime, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("disabled_at", UTCDateTime),
    sa.CheckConstraint(_in("role", USER_ROLES), name="role"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_used_at", UTCDateTime),
    sa.Column("revoked_at", UTCDateTime),
)

# Signed-in study-team members: the cookie carries a random secret, the database its hash, so
# that signing out or disabling the user ends the session at once, on every server process.
team_sessions = sa.Table(
    "team_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime),
    sa.Index(None, "user_id"),
)

# Failed attempts (codes, links, sign-ins) per scope and key, shared by every server process.
# Keys are hashed: a client address or a typed code is not kept in clear.
attempt_limits = sa.Table(
    "attempt_limits",
    metadata,
    sa.Column("scope", sa.String(16), primary_key=True),
    sa.Column("key_hash", sa.String(64), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("window_started_at", UTCDateTime, nullable=False),
    sa.Column("next_allowed_at", UTCDateTime),
)

wave_results = sa.Table(
    "wave_results",
    metadata,
    sa.Column("wave_id", sa.Integer, _wave_fk(), primary_key=True),
    sa.Column("results_json", sa.Text, nullable=False),
    sa.Column("stored_at", UTCDateTime, nullable=False),
)

benchmarks = sa.Table(
    "benchmarks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wave_id", sa.Integer, _wave_fk(), nullable=False),
    sa.Column("peer_cell", sa.String(200), nullable=False),
    sa.Column("indicator", sa.String(200), nullable=False),
    sa.Column("estimate", sa.Float),
    sa.Column("ci_low", sa.Float),
    sa.Column("ci_high", sa.Float),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("suppressed", sa.Boolean, nullable=False),
    sa.UniqueConstraint("wave_id", "peer_cell", "indicator"),
)

# The erasure log keeps no personal data and no foreign keys: it must outlive what it erased.
erasures = sa.Table(
    "erasures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("erased_at", UTCDateTime, nullable=False),
    sa.Column("wave_id", sa.Integer),
    sa.Column("case_id", sa.String(32)),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("requested_by", sa.String(100), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("contacts_removed", sa.Integer, nullable=False),
    sa.Column("answers_removed", sa.Integer, nullable=False),
)
