"""Chart titles state what the numbers show, and no more."""

from __future__ import annotations

from barometre.report.findings import breakdown_title, drivers_title, gap_title
from barometre.report.results import DriverGroup, Share, WaveResults


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


def test_french_breakdown_title_says_un_ecart_net_only_without_overlap() -> None:
    """ "un écart net" when the CIs are apart, "un écart dans la marge d'erreur" otherwise."""
    a = Share(0.30, 0.03, 0.24, 0.36, 200, 0.3)
    b = Share(0.34, 0.03, 0.28, 0.40, 200, 0.34)
    c = Share(0.60, 0.03, 0.54, 0.66, 200, 0.6)
    close = breakdown_title("Active", ["Petites", "Grandes"], [a, b], "Taille", "fr")
    assert close == (
        "Active : de 30\u202f% (Petites) à 34\u202f% (Grandes), un écart dans la marge d'erreur"
    )
    far = breakdown_title("Active", ["Petites", "Grandes", "Moyennes"], [a, c, b], "Taille", "fr")
    assert far == "Active : de 30\u202f% (Petites) à 60\u202f% (Grandes), un écart net"
    # Touching intervals (0.36 against 0.36) overlap: no "net" gap.
    d = Share(0.42, 0.03, 0.36, 0.48, 200, 0.42)
    assert breakdown_title("Active", ["P", "G"], [a, d], "Taille", "fr").endswith("marge d'erreur")


def test_size_breakdown_title_uses_the_holm_tested_gap(results: WaveResults) -> None:
    """By size, the chart title states the tested gap and its Holm verdict, not a CI overlap."""
    from barometre.report.sections import breakdowns

    gap = next(g for g in results.size_gaps if g.indicator_id == "activity.active_or_tres_active")
    size = results.breakdown("size_band")
    assert size is not None
    section = breakdowns(results, "fr")
    titles = [getattr(blk, "title", "") for blk in section.blocks]
    expected = gap_title(
        results.indicator(gap.indicator_id).label("fr"),
        gap,
        size.domain_label(gap.domain_a, "fr"),
        size.domain_label(gap.domain_b, "fr"),
        "fr",
    )
    assert expected in titles
    assert ("écart significatif" in expected) == (gap.p_adjusted < 0.05)
