"""`barometre user`, `barometre gdpr` and `barometre serve --help` on a real store."""

from __future__ import annotations

from barometre.campaign.codes import InvitationCode
from barometre.cli import app
from barometre.store import Store, Wave
from barometre.web.testing import COMPLETE

Invited = tuple[Wave, list[InvitationCode]]


def _run(args: list[str], stdin: str | None = None) -> tuple[int, str]:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, args, input=stdin)
    return result.exit_code, result.output


def test_user_add_and_token(database_url: str, store: Store) -> None:
    """A user created from the CLI can sign in; a token is printed once and works."""
    code, out = _run(
        ["user", "add", "bob", "--role", "viewer", "--password-stdin", "--url", database_url],
        "a long enough password\n",
    )
    assert code == 0 and "bob" in out
    assert store.authenticate("bob", "a long enough password") is not None
    code, out = _run(["user", "token", "bob", "nightly", "--url", database_url])
    assert code == 0
    secret = out.strip().splitlines()[-1]
    found = store.find_api_token(secret)
    assert found is not None and found.role == "viewer"


def test_gdpr_erase_and_purge(database_url: str, store: Store, wave: Invited) -> None:
    """Erasure removes one company's answers and is logged; purge needs a closed wave."""
    w, codes = wave
    answers = {**COMPLETE, "headcount": 14}
    store.save_response(w.id, codes[0].case_id, answers, "complete", "web")
    siren = store.case(w.id, codes[0].case_id).siren
    code, out = _run(["gdpr", "erase", siren, "--by", "DPO", "--url", database_url])
    assert code == 0 and "erased; logged" in out
    assert store.response(w.id, codes[0].case_id) is None
    code, out = _run(["gdpr", "purge", str(w.id), "--by", "DPO", "--url", database_url])
    assert code != 0 and "closed" in out
    store.set_wave_status(w.id, "closed")
    code, out = _run(["gdpr", "purge", w.name, "--by", "DPO", "--url", database_url])
    assert code == 0 and "purged; logged" in out
    assert [e.kind for e in store.erasures()] == ["erasure", "purge"]
