"""Typed, frozen results of barometre.stats."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Estimate:
    """A weighted estimate with its linearization standard error and CI.

    ``df`` is the design degrees of freedom used for the interval (PSUs minus
    strata of the domain, as R's ``degf``); ``n`` the respondents counted.
    ``deff`` is the design effect of a mean, proportion or total: its design
    variance over the variance of a simple random sample without replacement
    of the same size (R ``svymean(..., deff = TRUE)``); NaN where R gives none
    (quantiles, ratios, contrasts).
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    df: int
    n: int
    deff: float = math.nan

    @property
    def cv(self) -> float:
        """Coefficient of variation, se / |estimate| (inf at 0)."""
        return self.se / abs(self.estimate) if self.estimate else math.inf


@dataclass(frozen=True, slots=True)
class WeightDiagnostics:
    """Summary of a weight vector: spread and the precision it costs."""

    n: int
    total: float
    min: float
    max: float
    ratio: float
    effective_n: float
    kish_deff: float


@dataclass(frozen=True, slots=True)
class RaoScott:
    """Rao-Scott tests of independence in a two-way table (R ``svychisq``).

    ``statistic``/``ndf``/``ddf``/``p_value``: the second-order F test
    (``statistic = "F"``). ``pearson``: Pearson's X² on the weighted table
    scaled to n; ``chisq``: its first-order correction X²/mean(eigenvalues),
    referred to chi-square with ``chisq_df`` (``statistic = "Chisq"``).
    """

    statistic: float
    ndf: float
    ddf: float
    p_value: float
    pearson: float
    chisq: float
    chisq_df: int
    chisq_p_value: float


@dataclass(frozen=True, slots=True)
class Wald:
    """Design-based Wald test of independence in a two-way table (R ``svychisq``, "Wald").

    The interaction cells' deviations from independence, N_ij - N_i. N_.j / N,
    tested against their linearized covariance; ``statistic`` is the Wald
    chi-square over ``ndf`` = (r-1)(c-1), referred to F(ndf, ddf), ``ddf`` =
    PSUs minus strata.
    """

    statistic: float
    ndf: float
    ddf: float
    p_value: float


@dataclass(frozen=True, slots=True)
class TTest:
    """Design-based t-test of a difference of two domain means (R ``svyttest``).

    ``difference`` is the mean in the second level of the group minus the mean
    in the first (R's coefficient of ``y ~ g``), ``se`` its linearized standard
    error, ``statistic`` = difference / se on ``df`` = design df - 1.
    """

    difference: float
    se: float
    statistic: float
    df: int
    p_value: float
    group: str
    levels: tuple[str, str]


@dataclass(frozen=True, slots=True)
class CrossTab:
    """A weighted two-way table with its Rao-Scott tests.

    ``counts[i][j]`` is the estimated population count of ``row_levels[i]`` x
    ``col_levels[j]``; ``shares`` the same as a share of the table total;
    ``wald`` the design-based Wald test of the same hypothesis.
    """

    row_variable: str
    col_variable: str
    row_levels: tuple[str, ...]
    col_levels: tuple[str, ...]
    counts: tuple[tuple[float, ...], ...]
    shares: tuple[tuple[float, ...], ...]
    rao_scott: RaoScott
    wald: Wald


@dataclass(frozen=True, slots=True)
class LogitFit:
    """A design-based logistic regression (R ``svyglm``, quasibinomial).

    All sequences follow ``terms``: ``(Intercept)``, numeric columns, then one
    term per non-reference level named ``{column}{level}`` as in R.
    """

    response: str
    terms: tuple[str, ...]
    coefficients: tuple[float, ...]
    se: tuple[float, ...]
    odds_ratios: tuple[float, ...]
    p_values: tuple[float, ...]
    df_residual: int
    n: int
    iterations: int


@dataclass(frozen=True, slots=True)
class LabelledEstimate:
    """One row of a batch of estimates: what was estimated, in which domain."""

    variable: str
    level: str | None
    by: str | None
    domain: str | None
    statistic: str
    value: Estimate
