"""What respondents are told about a wave on the web: its title, organiser, contact, notice.

The questionnaire's own title names the year of the instrument ("(2018)"); a respondent
of another wave sees the wave's name instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from barometre.campaign.french import typeset_fr
from barometre.campaign.settings import SettingsError, WaveSettings
from barometre.questionnaire import Questionnaire
from barometre.store import Store, Wave

_YEAR_SUFFIX = re.compile(r"\s*\((?:19|20)\d\d\)\s*$")


@dataclass(frozen=True)
class TrustView:
    """The wave's trust block as the pages show it."""

    organiser: str
    contact: str
    heading: str
    notice: tuple[str, ...]


def wave_title(questionnaire: Questionnaire, wave: Wave, lang: str) -> str:
    """The questionnaire's title with the wave's name in place of the instrument's year."""
    title = questionnaire.title_fr if lang == "fr" else questionnaire.title_en
    text = f"{_YEAR_SUFFIX.sub('', title)} ({wave.name})"
    return typeset_fr(text) if lang == "fr" else text


def trust_view(store: Store, wave: Wave, lang: str) -> TrustView | None:
    """The wave's organiser, contact and notice, or None when the team set none of them."""
    try:
        settings = WaveSettings.from_mapping(store.wave_settings(wave.id))
    except SettingsError:
        return None
    view = TrustView(
        organiser=settings.organiser_line(lang),
        contact=settings.contact_line(lang),
        heading=settings.notice_heading(lang),
        notice=settings.notice_lines(lang),
    )
    return view if (view.organiser or view.contact or view.notice) else None


def fieldwork_wave(store: Store) -> Wave | None:
    """The wave the home page speaks for: the latest one in fieldwork, if any."""
    open_waves = [w for w in store.waves() if w.status == "open"]
    return open_waves[-1] if open_waves else None
