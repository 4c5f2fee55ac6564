"""Domain estimation: the same estimate in every level of a breakdown variable.

As R's ``subset(design, ...)``: the domain keeps the whole design's strata and
PSUs (a PSU with no respondent of the domain counts as a zero), so SEs reflect
that the domain's size is random. Rows with no value for the breakdown belong
to no domain. Crossing several columns gives domains keyed by tuples of levels
(R ``svyby(~y, ~a + b, ...)``), only those with respondents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from barometre.stats.results import Estimate

if TYPE_CHECKING:
    from barometre.stats.design import Design


class Domains:
    """Estimates by level of one column; every method returns ``{domain: ...}``."""

    def __init__(self, design: Design, column: str | tuple[str, ...]) -> None:
        self._design = design
        self._column = column
        self._levels, _, self._sizes = design.breakdown(column)

    @property
    def levels(self) -> tuple[Any, ...]:
        """The domains, in sorted order."""
        return self._levels

    def mean(self, column: str) -> dict[Any, Estimate]:
        """Weighted mean of ``column`` in each domain."""
        lin = self._design.linearize(self._design.values(column), self._column, "mean")
        return dict(zip(self._levels, self._design.mean_estimates(lin), strict=True))

    def total(self, column: str) -> dict[Any, Estimate]:
        """Weighted total of ``column`` in each domain."""
        lin = self._design.linearize(self._design.values(column), self._column, "total")
        return dict(zip(self._levels, self._design.mean_estimates(lin), strict=True))

    def proportion(self, column: str, level: Any, ci: str = "logit") -> dict[Any, Estimate]:
        """Share of ``column == level`` in each domain."""
        ind = self._design.indicator(column, level)
        lin = self._design.linearize(ind, self._column, "mean", binary=True)
        ests = self._design.proportion_estimates(lin, ci, self._sizes)
        return dict(zip(self._levels, ests, strict=True))

    def proportions(self, column: str, ci: str = "logit") -> dict[Any, dict[Any, Estimate]]:
        """Share of every level of ``column`` in each domain: ``{domain: {level: Estimate}}``."""
        levels, _ = self._design.levels(column)
        out: dict[Any, dict[Any, Estimate]] = {dom: {} for dom in self._levels}
        for level in levels:
            for dom, est in self.proportion(column, level, ci).items():
                out[dom][level] = est
        return out
