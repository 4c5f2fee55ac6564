"""The change of every indicator since an earlier wave: 95 % CI, overlap, multiplicity.

The SE of a change is sqrt(se1^2 + se2^2 - 2 cov), the covariance coming from the firms that
answered both waves (`barometre.stats.change.overlap_covariance`; zero for independent
samples). The headline "k of K key indicators changed" tests K changes at once: without
control, at least one "changes" by chance in about 30 % of pairs of waves where nothing
changed, so the key indicators' p-values are adjusted by Holm's method (family-wise error
at 5 %); the other indicators are shown with their own p-values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from barometre.report.results import Change, Share
from barometre.stats.change import Adjustment, adjust_p_values

Z_95 = 1.959963984540054  # standard normal quantile at 0.975
ADJUSTMENT: Adjustment = "holm"

# The key indicators of the trend headline: the family whose p-values are adjusted.
TREND_KEYS = (
    "presence_any",
    "activity.active_or_tres_active",
    "tempo.en_retard",
    "strategy.yes",
    "spend.zero",
    "spend.10k_or_more",
    "staff_trained.yes",
    "obstacles.lack_time",
    "competitive_edge.yes",
)


def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def changes(
    previous: dict[str, Share],
    current: dict[str, Share],
    *,
    covariances: Mapping[str, float] | None = None,
    family: Sequence[str] = TREND_KEYS,
    adjustment: Adjustment = ADJUSTMENT,
) -> tuple[Change, ...]:
    """The change of every indicator present in both waves, 95 % CI.

    `covariances` (indicator -> covariance of the two estimates, from overlapping samples)
    enter the SE; the p-values of the indicators in `family` are adjusted together.
    """
    out: list[Change] = []
    for ind, cur in current.items():
        prev = previous.get(ind)
        if prev is None:
            continue
        if not (cur.shown and prev.shown) or None in (cur.estimate, prev.estimate, cur.se, prev.se):
            out.append(Change(ind, prev, cur, None, None, None, None))
            continue
        assert cur.estimate is not None and prev.estimate is not None
        assert cur.se is not None and prev.se is not None
        diff = cur.estimate - prev.estimate
        cov = (covariances or {}).get(ind, 0.0)
        se = math.sqrt(max(cur.se**2 + prev.se**2 - 2 * cov, 0.0))
        p = _two_sided_p(diff / se) if se > 0 else (1.0 if diff == 0 else 0.0)
        out.append(Change(ind, prev, cur, diff, diff - Z_95 * se, diff + Z_95 * se, p))
    members = [
        i for i, c in enumerate(out) if c.indicator_id in set(family) and c.p_value is not None
    ]
    adjusted = adjust_p_values([out[i].p_value or 0.0 for i in members], adjustment)
    for i, p_adj in zip(members, adjusted, strict=True):
        c = out[i]
        out[i] = Change(
            c.indicator_id, c.previous, c.current, c.difference, c.ci_low, c.ci_high,
            c.p_value, p_adj, adjustment,
        )  # fmt: skip
    return tuple(out)
