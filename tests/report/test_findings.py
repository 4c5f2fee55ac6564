"""Chart titles state what the numbers show, and no more."""

from __future__ import annotations

from barometre.report.findings import breakdown_title, drivers_title
from barometre.report.results import DriverGroup, Share


def _group(name: str, delta: float, first: float | None) -> DriverGroup:
    return DriverGroup(name, name, name, delta, None, None, delta, first)


def test_drivers_title_says_when_the_order_is_uncertain() -> None:
    """A leader first in only 55 % of replicates is not called the heaviest driver."""
    groups = [_group("Leader", 0.08, 0.55), _group("Training", 0.07, 0.45)]
    assert drivers_title(groups, "en") == "Leader and Training weigh most; their order is uncertain"
    sure = [_group("Leader", 0.08, 0.97), _group("Training", 0.02, 0.03)]
    assert drivers_title(sure, "en") == (
        "Leader weighs most in a company's activity (first in 97% of replicates)"
    )


def test_breakdown_title_calls_a_gap_clear_only_when_cis_do_not_overlap() -> None:
    """Two domains whose CIs overlap give "within the margin of error"."""
    a = Share(0.30, 0.03, 0.24, 0.36, 200, 0.3)
    b = Share(0.34, 0.03, 0.28, 0.40, 200, 0.34)
    c = Share(0.60, 0.03, 0.54, 0.66, 200, 0.6)
    close = breakdown_title("Active", ["small", "large"], [a, b], "Size", "en")
    assert close == "Active: from 30% (small) to 34% (large), a gap within the margin of error"
    far = breakdown_title("Active", ["small", "large"], [a, c], "Size", "en")
    assert far.endswith("a clear gap")
