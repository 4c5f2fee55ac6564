"""Domain estimation: the same estimate in every level of a breakdown variable.

As R's ``subset(design, ...)``: the domain keeps the whole design's strata and
PSUs (a PSU with no respondent of the domain counts as a zero), so SEs reflect
that the domain's size is random. Rows with no value for the breakdown belong
to no domain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from barometre.stats._estimators import Request
from barometre.stats.results import Estimate

if TYPE_CHECKING:
    from barometre.stats.design import Design


class Domains:
    """Estimates by level of one column; every method returns ``{domain: ...}``."""

    def __init__(self, design: Design, column: str) -> None:
        self._design = design
        self._column = column
        self._levels, codes = design.levels(column, "by")
        self._masks = [codes == k for k in range(len(self._levels))]

    @property
    def levels(self) -> tuple[Any, ...]:
        """The domains, in sorted order."""
        return self._levels

    def mean(self, column: str) -> dict[Any, Estimate]:
        """Weighted mean of ``column`` in each domain."""
        values = self._design.values(column)
        reqs = [Request(values, m) for m in self._masks]
        return dict(zip(self._levels, self._design._means(reqs, "mean"), strict=True))

    def total(self, column: str) -> dict[Any, Estimate]:
        """Weighted total of ``column`` in each domain."""
        values = self._design.values(column)
        reqs = [Request(values, m) for m in self._masks]
        return dict(zip(self._levels, self._design._means(reqs, "total"), strict=True))

    def proportion(self, column: str, level: Any, ci: str = "logit") -> dict[Any, Estimate]:
        """Share of ``column == level`` in each domain."""
        ind = self._design.indicator(column, level)
        reqs = [Request(ind, m) for m in self._masks]
        rows = [int(m.sum()) for m in self._masks]
        return dict(zip(self._levels, self._design.proportions_of(reqs, ci, rows), strict=True))

    def proportions(self, column: str, ci: str = "logit") -> dict[Any, dict[Any, Estimate]]:
        """Share of every level of ``column`` in each domain: ``{domain: {level: Estimate}}``."""
        levels, _ = self._design.levels(column)
        inds = [self._design.indicator(column, lv) for lv in levels]
        reqs = [Request(ind, m) for m in self._masks for ind in inds]
        rows = [int(m.sum()) for m in self._masks for _ in inds]
        flat = self._design.proportions_of(reqs, ci, rows)
        out: dict[Any, dict[Any, Estimate]] = {}
        for i, dom in enumerate(self._levels):
            chunk = flat[i * len(levels) : (i + 1) * len(levels)]
            out[dom] = dict(zip(levels, chunk, strict=True))
        return out
