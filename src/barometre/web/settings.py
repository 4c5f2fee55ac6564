"""Settings of the web app, read from the environment by `WebSettings.from_env`."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class WebSettings:
    """How the web app runs. Every field has a safe default."""

    # Signs session cookies. Without one, a random key is drawn at start: sessions then do not
    # survive a restart and several workers cannot share them, so set it in production.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    # Cookies carry the Secure flag (sent over HTTPS only) and HSTS is sent. Turn off only to
    # serve plain HTTP on the loopback interface.
    secure_cookies: bool = True
    default_language: str = "fr"
    # Code entry: at most `code_attempts` failed attempts per client address per window.
    code_attempts: int = 10
    code_window_seconds: float = 600.0
    # Login: at most `login_attempts` failed attempts per client address, and as many per
    # account, per window.
    login_attempts: int = 10
    # Past those, a client or account is slowed down, not locked out: each further attempt
    # waits a delay doubling from `slow_down_first_seconds` up to `slow_down_longest_seconds`.
    slow_down_first_seconds: float = 1.0
    slow_down_longest_seconds: float = 60.0
    # Addresses (or networks) of the reverse proxies in front of the app: only from them is
    # `X-Forwarded-For` believed. Empty: the peer's address is the client's.
    trusted_proxies: tuple[str, ...] = ()
    # The site's public address (https://barometre.example.org), for absolute links; without
    # it links are relative. Never taken from the request's Host header.
    base_url: str | None = None
    # The respondent's cookie, and a team session's longest life and idle timeout.
    session_max_age_seconds: int = 14 * 24 * 3600
    team_session_seconds: int = 12 * 3600
    session_idle_seconds: int = 2 * 3600
    # Largest request body, and longest free text (characters) in a form or the API.
    max_body_bytes: int = 256 * 1024
    max_text_chars: int = 5000
    # Folder of the study's published files (report, exports) offered for download.
    downloads_dir: Path | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> WebSettings:
        """Settings from `BAROMETRE_*` environment variables, then `overrides`."""
        values: dict[str, object] = {}
        if key := os.environ.get("BAROMETRE_SECRET_KEY"):
            values["secret_key"] = key
        if flag := os.environ.get("BAROMETRE_SECURE_COOKIES"):
            values["secure_cookies"] = flag.lower() not in {"0", "false", "no"}
        if proxies := os.environ.get("BAROMETRE_TRUSTED_PROXIES"):
            values["trusted_proxies"] = tuple(p.strip() for p in proxies.split(",") if p.strip())
        if base := os.environ.get("BAROMETRE_BASE_URL"):
            values["base_url"] = base
        if folder := os.environ.get("BAROMETRE_DOWNLOADS_DIR"):
            values["downloads_dir"] = Path(folder)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
