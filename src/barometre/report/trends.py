"""The change of every indicator since an earlier wave (independent samples, 95 % CI)."""

from __future__ import annotations

import math

from barometre.report.results import Change, Share

Z_95 = 1.959963984540054  # standard normal quantile at 0.975


def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def changes(previous: dict[str, Share], current: dict[str, Share]) -> tuple[Change, ...]:
    """The change of every indicator present in both waves (independent samples, 95 % CI)."""
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
        se = math.sqrt(cur.se**2 + prev.se**2)
        p = _two_sided_p(diff / se) if se > 0 else (1.0 if diff == 0 else 0.0)
        out.append(Change(ind, prev, cur, diff, diff - Z_95 * se, diff + Z_95 * se, p))
    return tuple(out)
