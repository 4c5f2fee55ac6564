"""The template helpers: piped labels and cascading choices, filtered on the server."""

from __future__ import annotations

import jinja2

from barometre.web import questions

from ..questionnaire.every_type import every_type


def render(source: str, **context: object) -> str:
    """A template string rendered with the helpers registered."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    questions.register(env)
    return env.from_string(source).render(**context)


def test_cascading_choices_follow_the_saved_answer() -> None:
    """The city list keeps Brittany's cities once the region is saved, and offers every city
    when the region is not known yet (same page), rather than none."""
    q = every_type()
    source = "{% for c in shown_choices(q.question('city')) %}{{ c.code }} {% endfor %}"
    assert render(source, q=q, questionnaire=q, answers={"area": "bre"}, lang="fr") == (
        "rennes brest "
    )
    assert render(source, q=q, questionnaire=q, answers={}, lang="fr") == "paris rennes brest "


def test_piped_label_uses_the_page_answers() -> None:
    """A label's ${firm} shows the saved answer, escaped; without a questionnaire, as is."""
    q = every_type()
    source = "{{ piped(q.label('welcome', lang)) }}"
    shown = render(source, q=q, questionnaire=q, answers={"firm": "<b>A&B</b>"}, lang="en")
    assert shown == "Thank you &lt;b&gt;A&amp;B&lt;/b&gt;!"
    assert render(source, q=q, lang="fr") == "Merci ${firm} !"
