"""Properties of the pure steps, checked on generated inputs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from barometre.report import Share
from barometre.report.i18n import pct
from barometre.report.trends import changes

shares = st.builds(
    lambda p, se, n: Share(p, se, max(0.0, p - 2 * se), min(1.0, p + 2 * se), n, p),
    st.floats(0.0, 1.0),
    st.floats(0.0, 0.2),
    st.integers(30, 5000),
)


@given(shares, shares)
def test_change_ci_brackets_the_difference_and_flips_with_the_order(a: Share, b: Share) -> None:
    """The change from a to b is minus the change from b to a, its CI around it."""
    (ab,) = changes({"x": a}, {"x": b})
    (ba,) = changes({"x": b}, {"x": a})
    assert ab.difference is not None and ba.difference is not None
    assert ab.difference == -ba.difference
    assert ab.ci_low is not None and ab.ci_high is not None
    assert ab.ci_low <= ab.difference <= ab.ci_high
    assert ab.significant == ba.significant


@settings(max_examples=200)
@given(st.floats(0.0, 1.0))
def test_percentages_are_whole_numbers_with_the_language_sign(p: float) -> None:
    """pct gives "NN %" with a narrow no-break space in French and "NN%" in English."""
    fr, en = pct(p, "fr"), pct(p, "en")
    assert fr.endswith("\u202f%") and fr[:-2].isdigit()
    assert en.endswith("%") and en[:-1].isdigit()
    assert int(en[:-1]) == round(p * 100)
