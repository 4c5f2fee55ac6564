"""The barometer's database: SQL schema, migrations and repositories in survey terms.

SQLite (a file, WAL mode) by default, PostgreSQL through psycopg 3 by URL::

    from barometre.store import open_store
    store = open_store("sqlite:///barometre.sqlite")   # migrates to the newest schema
    wave = store.create_wave("2026", "bpi2018")
"""

from barometre.store._frame import CONTACT_COLUMNS, FRAME_COLUMNS, SAMPLE_COLUMNS
from barometre.store._invitations import short_code_key, token_hash
from barometre.store._limits import AttemptPolicy
from barometre.store._responses import ResponseChange
from barometre.store.errors import (
    DuplicateError,
    InputError,
    NotFoundError,
    ResponseInvalid,
    ResponseLocked,
    StoreConfigError,
    StoreError,
    WaveStatusError,
    WriteFailed,
)
from barometre.store.records import (
    ApiToken,
    Case,
    Contact,
    Disposition,
    Erasure,
    FieldworkCounts,
    FrameUnit,
    Invitation,
    NewInvitation,
    PublishedResults,
    Response,
    ResponseStatus,
    StoreInfo,
    User,
    Wave,
)
from barometre.store.store import DEFAULT_URL, URL_ENV, Store, default_url, open_store

__all__ = [
    "CONTACT_COLUMNS",
    "DEFAULT_URL",
    "FRAME_COLUMNS",
    "SAMPLE_COLUMNS",
    "URL_ENV",
    "ApiToken",
    "AttemptPolicy",
    "Case",
    "Contact",
    "Disposition",
    "DuplicateError",
    "Erasure",
    "FieldworkCounts",
    "FrameUnit",
    "InputError",
    "Invitation",
    "NewInvitation",
    "NotFoundError",
    "PublishedResults",
    "Response",
    "ResponseChange",
    "ResponseInvalid",
    "ResponseLocked",
    "ResponseStatus",
    "Store",
    "StoreConfigError",
    "StoreError",
    "StoreInfo",
    "User",
    "Wave",
    "WaveStatusError",
    "WriteFailed",
    "default_url",
    "open_store",
    "short_code_key",
    "token_hash",
]
