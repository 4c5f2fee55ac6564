"""A wave's life: draft -> open (fieldwork) -> closed -> published -> archived.

Each step checks what it needs and refuses in one sentence that names the wave by the
name the team gave it and says which command comes first. The store enforces the
allowed moves; this module adds the preconditions that need more than the status
(a sample and codes before opening, weights before publishing).
"""

from __future__ import annotations

from barometre.campaign.errors import CampaignError
from barometre.store import Store, Wave, WaveStatusError
from barometre.store._base import status_words


class LifecycleError(CampaignError, RuntimeError):
    """A wave cannot take this step now; the message says why and what to do first.

    `message_fr` is the same sentence in French, for the team area.
    """

    def __init__(self, message: str, message_fr: str | None = None) -> None:
        super().__init__(message)
        self.message_fr = message_fr or message

    def message(self, lang: str = "en") -> str:
        """The sentence in `lang` (fr or en)."""
        return self.message_fr if lang == "fr" else str(self)


_STEP_FR = {"opened": "ouverte", "closed": "close", "published": "publiée", "archived": "archivée"}
STATUS_FR = {
    "draft": "en préparation",
    "open": "en collecte",
    "closed": "close",
    "published": "publiée",
    "archived": "archivée",
}
"""A wave's status as the team area says it in French."""

_WHY_FR = {
    "no sample": "elle n\u2019a pas encore d\u2019échantillon (barometre campaign sample)",
    "no codes": "ses entreprises n\u2019ont pas encore de codes personnels "
    "(barometre campaign codes)",
    "still open": "sa collecte est encore ouverte\u00a0; closez-la d\u2019abord",
    "no weights": "ses répondants ne sont pas encore pondérés (barometre wave weight)",
}


def _refuse(wave: Wave, step: str, why: str, why_fr: str | None = None) -> LifecycleError:
    french = None
    if why_fr is not None:
        french = (
            f"La vague «\u00a0{wave.name}\u00a0» ne peut pas être {_STEP_FR[step]}\u00a0: {why_fr}."
        )
    return LifecycleError(f"wave {wave.name!r} cannot be {step}: {why}", french)


def _move(store: Store, wave: Wave, status: str) -> Wave:
    try:
        return store.set_wave_status(wave.id, status)  # type: ignore[arg-type]
    except WaveStatusError as exc:
        raise LifecycleError(str(exc)) from exc


def open_wave(store: Store, wave_id: int) -> Wave:
    """Start (or, from closed, resume) the fieldwork: answers are accepted from now on."""
    wave = store.wave(wave_id)
    if wave.status == "open":
        return wave
    if wave.status == "draft":
        if store.sample_size(wave_id) == 0:
            raise _refuse(
                wave, "opened", f"it has no sample yet (barometre campaign sample ... --wave "
                f"{wave.name})", _WHY_FR["no sample"],
            )  # fmt: skip
        if not store.invitations(wave_id):
            raise _refuse(
                wave, "opened", "its companies have no personal codes yet "
                f"(barometre campaign codes --wave {wave.name})", _WHY_FR["no codes"],
            )  # fmt: skip
    elif wave.status != "closed":
        raise _refuse(
            wave,
            "opened",
            f"it is {status_words(wave.status)}",
            f"elle est {STATUS_FR[wave.status]}",
        )
    return _move(store, wave, "open")


def close_wave(store: Store, wave_id: int) -> Wave:
    """End the fieldwork: no more web answers (late paper returns are still keyed)."""
    wave = store.wave(wave_id)
    if wave.status == "closed":
        return wave
    if wave.status != "open":
        raise _refuse(
            wave, "closed", f"it is {status_words(wave.status)}, and only a wave in fieldwork "
            "closes", f"elle est {STATUS_FR[wave.status]}, et seule une vague en collecte se clôt",
        )  # fmt: skip
    return _move(store, wave, "closed")


def check_publishable(store: Store, wave_id: int) -> Wave:
    """The wave, if it may be published now; else a `LifecycleError` saying what comes first."""
    wave = store.wave(wave_id)
    if wave.status == "open":
        raise _refuse(
            wave, "published", f"its fieldwork is still open; close it first "
            f"(barometre wave close --wave {wave.name})", _WHY_FR["still open"],
        )  # fmt: skip
    if wave.status != "closed":
        raise _refuse(
            wave, "published", f"it is {status_words(wave.status)}",
            f"elle est {STATUS_FR[wave.status]}",
        )  # fmt: skip
    if not store.weights(wave_id):
        raise _refuse(
            wave, "published", "its respondents have no weights yet "
            f"(barometre wave weight --wave {wave.name} --frame frame.parquet)",
            _WHY_FR["no weights"],
        )  # fmt: skip
    return wave


def archive_wave(store: Store, wave_id: int) -> Wave:
    """Retire a published wave: no longer the self-diagnostic's benchmark, kept for trends."""
    wave = store.wave(wave_id)
    if wave.status == "archived":
        return wave
    if wave.status != "published":
        raise _refuse(
            wave, "archived", f"it is {status_words(wave.status)}; only a published wave is "
            "archived",
            f"elle est {STATUS_FR[wave.status]}\u00a0; seule une vague publiée s\u2019archive",
        )  # fmt: skip
    return _move(store, wave, "archived")


STEPS = {"open": open_wave, "close": close_wave, "archive": archive_wave}
"""The lifecycle steps that need nothing but the wave (publishing needs its results)."""
