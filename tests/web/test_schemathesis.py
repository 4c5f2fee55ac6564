"""The API against its own OpenAPI document: schemathesis, every check, bounded in time
(issue 15, finding 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from barometre.store import Store, open_store
from barometre.web import WebSettings, create_app
from barometre.web.testing import open_wave_with_invitations


@pytest.fixture(scope="module")
def api_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A SQLite store with an open wave of invited companies and a team member's token."""
    path: Path = tmp_path_factory.mktemp("schemathesis") / "api.sqlite"
    store: Store = open_store(f"sqlite:///{path}")
    open_wave_with_invitations(store, "2026", 6, seed=3)
    store.create_user("robot", "a long enough password", "team")
    _, secret = store.create_api_token("robot", "schemathesis")
    yield store, secret
    store.close()


@pytest.fixture(scope="module")
def api_schema(api_store: Any) -> Any:
    """The app's OpenAPI document, loaded from the app itself (ASGI, no network)."""
    store, _ = api_store
    app = create_app(store, WebSettings(secret_key="s" * 32))
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@pytest.fixture(scope="module")
def api_token(api_store: Any) -> str:
    """The bearer token of the team member."""
    return str(api_store[1])


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_conforms_to_its_openapi_document(api_schema: Any, api_token: str, mode: str) -> None:
    """Generated calls, valid and invalid, to every operation get documented statuses and
    bodies under every check, never a 500 (60 examples per operation and mode)."""
    from hypothesis import given
    from schemathesis.checks import CHECKS, load_all_checks
    from schemathesis.generation import GenerationMode

    load_all_checks()
    checks = api_schema.config.checks_config_for()
    assert all(checks.get_by_name(name=n).enabled for n in CHECKS.get_all_names())  # every check
    headers = {"Authorization": f"Bearer {api_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
        @settings(
            max_examples=60,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers)

        run()
