"""Waves store their questionnaire's definition; a changed one needs a new version."""

from __future__ import annotations

import dataclasses

import pytest

from barometre.questionnaire import Questionnaire, load_builtin
from barometre.store import DuplicateError, NotFoundError, Store

from .conftest import FAST_HASHER, FIRST_PAGES


def _custom(version: str, title: str = "Baromètre régional") -> Questionnaire:
    """The built-in instrument under another id, as if imported from XLSForm."""
    return dataclasses.replace(
        load_builtin("bpi2018"), id="regional", version=version, title_fr=title
    )


def test_registered_questionnaire_survives_a_restart(store: Store) -> None:
    """A wave of a registered questionnaire is answerable from a store that never saw it."""
    store.register_questionnaire(_custom("1"))
    wave = store.create_wave("2026", "regional")
    assert (wave.questionnaire_id, wave.questionnaire_version) == ("regional", "1")
    store.add_frame_units(wave.id, [{"siren": "732829320"}])
    store.add_sample(wave.id, [{"siren": "732829320", "stratum": "s", "inclusion_probability": 1}])
    store.set_wave_status(wave.id, "open")
    fresh = Store(store.engine, password_hasher=FAST_HASHER)  # another process, say
    assert fresh.questionnaire_of(wave.id) == _custom("1")
    case = fresh.cases(wave.id)[0].case_id
    assert fresh.save_response(wave.id, case, FIRST_PAGES).answers == FIRST_PAGES
    assert fresh.create_wave("2027", "regional").questionnaire_version == "1"


def test_changed_definition_under_the_same_version_is_refused(store: Store) -> None:
    """Registering a different questionnaire with a stored id and version is refused."""
    store.register_questionnaire(_custom("1"))
    store.create_wave("2026", "regional")
    other = Store(store.engine, password_hasher=FAST_HASHER)
    other.register_questionnaire(_custom("1", title="Autre titre"))
    with pytest.raises(DuplicateError, match="new version"):
        other.create_wave("2027", "regional")
    other.register_questionnaire(_custom("2", title="Autre titre"))
    assert other.create_wave("2027", "regional", "2").questionnaire_version == "2"


def test_unknown_questionnaire_names_itself(store: Store) -> None:
    """A wave of a questionnaire that is nowhere to be found is refused, naming it."""
    with pytest.raises(NotFoundError, match="regional"):
        store.create_wave("2026", "regional")
