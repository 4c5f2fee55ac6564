"""The typed results of one wave: what the report, results.json and the trends are made of.

Everything here is a frozen dataclass holding plain numbers and labels, so a wave's results can
be written to JSON, read back (to compare with a later wave) and rendered without recomputing.
Shares are fractions in [0, 1]; a suppressed cell keeps its base but loses its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from barometre.questionnaire import Language

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Share:
    """A weighted share with its 95 % CI, base and unweighted share (None when suppressed)."""

    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    unweighted: float | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        """True when the share may be published (base large enough and estimable)."""
        return not self.suppressed and self.estimate is not None


@dataclass(frozen=True)
class Indicator:
    """One indicator of the wave: a code (or group of codes) of a question, over its base."""

    id: str
    question_id: str
    codes: tuple[str, ...]
    base: str  # "answered" (non-missing answers) or "present" (firms on at least one network)
    label_fr: str
    label_en: str
    question_fr: str
    question_en: str
    share: Share

    def label(self, lang: Language) -> str:
        """The indicator's label in French or English."""
        return self.label_en if lang == "en" else self.label_fr

    def question(self, lang: Language) -> str:
        """The question's label in French or English."""
        return self.question_en if lang == "en" else self.question_fr


@dataclass(frozen=True)
class BreakdownCell:
    """One indicator in one domain of a breakdown variable (a size band, a sector...)."""

    indicator_id: str
    domain: str
    share: Share


@dataclass(frozen=True)
class Breakdown:
    """Indicators by the levels of one breakdown variable, in questionnaire order."""

    variable: str
    label_fr: str
    label_en: str
    domains: tuple[str, ...]
    domain_labels_fr: tuple[str, ...]
    domain_labels_en: tuple[str, ...]
    cells: tuple[BreakdownCell, ...]

    def cell(self, indicator_id: str, domain: str) -> BreakdownCell | None:
        """The cell of one indicator in one domain, if computed."""
        for c in self.cells:
            if c.indicator_id == indicator_id and c.domain == domain:
                return c
        return None

    def domain_label(self, domain: str, lang: Language) -> str:
        """The label of a domain in French or English."""
        labels = self.domain_labels_en if lang == "en" else self.domain_labels_fr
        return labels[self.domains.index(domain)]


@dataclass(frozen=True)
class ProfileItem:
    """A category's share inside a segment against the whole wave, with its over/under flag."""

    variable: str
    code: str
    label_fr: str
    label_en: str
    share_in_segment: float
    share_overall: float
    flag: str  # "over", "under" or "" (not significantly different)


@dataclass(frozen=True)
class Segment:
    """One cell of the rule typology: its weighted share and profile."""

    code: str
    label_fr: str
    label_en: str
    description_fr: str
    description_en: str
    share: Share
    profile: tuple[ProfileItem, ...] = ()
    position: tuple[int, int] | None = None  # (column, row) in a 2x2 chart

    def label(self, lang: Language) -> str:
        """The segment's name in French or English."""
        return self.label_en if lang == "en" else self.label_fr


@dataclass(frozen=True)
class Typology:
    """The 2x2 rule typology of the wave; `not_classified` counts respondents left out."""

    segments: tuple[Segment, ...]
    n_classified: int
    not_classified: int
    # (left column, right column, bottom row, top row) names of the 2x2 chart's sides.
    axis_labels_fr: tuple[str, ...] = ()
    axis_labels_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class DriverTerm:
    """One term of the drivers model: odds ratio with its 95 % CI."""

    term: str
    group: str
    label_fr: str
    label_en: str
    reference_fr: str
    reference_en: str
    odds_ratio: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class DriverGroup:
    """How much a driver group weighs: the drop in pseudo-R² without it, with a bootstrap CI.

    `share` is that drop as a share of all groups' drops; `rank_first` how often the group
    came first over the bootstrap replicates (None without replicates).
    """

    group: str
    label_fr: str
    label_en: str
    delta_r2: float
    ci_low: float | None
    ci_high: float | None
    share: float
    rank_first: float | None


@dataclass(frozen=True)
class Drivers:
    """What drives "active or très active": odds ratios and the importance of each group."""

    outcome: str
    n: int
    terms: tuple[DriverTerm, ...]
    groups: tuple[DriverGroup, ...]


@dataclass(frozen=True)
class WeightDiagnostics:
    """How much weighting costs in precision: Kish design effect and effective sample size."""

    n: int
    sum_weights: float
    deff_kish: float
    effective_n: float
    min_weight: float
    max_weight: float
    ratio: float


@dataclass(frozen=True)
class PublishedComparison:
    """A wave indicator against the figure the 2018 study published (a raw share).

    `share` is the wave's estimate on the 2018 figure's `base` ("all" respondents, those who
    "answered", "present" firms, "typed" = classified in the typology); `significant` is
    after Holm's correction over all the figures compared, `p_value` before it.
    """

    indicator_id: str
    published: float
    share: Share
    difference: float | None
    significant: bool | None
    note: str
    base: str = "answered"
    label_fr: str = ""  # set when the figure is not one of the wave's indicators (a segment)
    label_en: str = ""
    p_value: float | None = None


@dataclass(frozen=True)
class Change:
    """The change of an indicator since an earlier wave, 95 % CI (with the covariance of
    firms in both waves when it is known)."""

    indicator_id: str
    previous: Share
    current: Share
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    p_adjusted: float | None = None  # after the multiplicity adjustment of its family
    adjustment: str = ""  # "holm" for the key indicators, "" when not adjusted

    @property
    def significant(self) -> bool:
        """True when the change is significant at 5 %, after the multiplicity adjustment
        when the indicator belongs to the adjusted family (the key indicators)."""
        p = self.p_adjusted if self.p_adjusted is not None else self.p_value
        return p is not None and p < 0.05


@dataclass(frozen=True)
class StratumCount:
    """Respondents and weighted total of one stratum (for the methodology annex)."""

    stratum: str
    respondents: int
    weighted: float
    label_fr: str = ""  # the stratum's levels as the questionnaire labels them
    label_en: str = ""

    def label(self, lang: str) -> str:
        """The stratum's label in French or English, its code when no label is known."""
        return (self.label_en if lang == "en" else self.label_fr) or self.stratum


@dataclass(frozen=True)
class VariancePlan:
    """Which design the wave's standard errors rest on, as the annex says it in words.

    `kind` is "calibrated" (recalibrated to the weighting's margins, g-weighted residuals as
    R's `calibrate`), "fpc" (strata with their frame sizes, not calibrated) or "plain" (final
    weights and strata, with replacement); `margins` the calibration's group columns;
    `trend_covariance` whether the SE of a change used the covariance of the firms that
    answered both waves (`overlap` of them).
    """

    kind: str
    strata: str | None
    fpc: bool
    calibration_method: str | None = None
    margins: tuple[str, ...] = ()
    trend_covariance: bool = False
    overlap: int = 0


@dataclass(frozen=True)
class NumericSummary:
    """A numeric answer (headcount) in words a reader uses: median and mean, each with a CI.

    The median's interval is R `svyquantile`'s default (Woodruff's, survey 4.1); the mean has
    the symmetric Student t interval (R `svymean` + `confint` on the design df) and, for a
    skewed variable, Hall's skewness-corrected interval (`skewed_ci_*`, see
    `report.skewed`) on a Satterthwaite df (`skewed_df`). `skewness` is the estimated
    skewness of the mean itself (the data's skewness over sqrt(n) for a simple sample).
    """

    variable: str
    n: int
    median: float | None
    median_ci_low: float | None
    median_ci_high: float | None
    mean: float | None
    mean_se: float | None
    mean_ci_low: float | None
    mean_ci_high: float | None
    skewed_ci_low: float | None
    skewed_ci_high: float | None
    skewness: float | None
    df: int
    skewed_df: float | None
    deff: float | None


@dataclass(frozen=True)
class DomainGap:
    """A key share in one domain minus the same share in another (points as fractions).

    `ci_low`/`ci_high` is the gap's 95 % CI (with the covariance of the two domain
    estimates, R `svycontrast`); `p_value` its two-sided t test, `p_adjusted` after the
    `adjustment` (Holm) over every gap of the family.
    """

    indicator_id: str
    variable: str
    domain_a: str
    domain_b: str
    share_a: float
    share_b: float
    difference: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    p_adjusted: float
    n_a: int
    n_b: int
    adjustment: str = "holm"

    @property
    def significant(self) -> bool:
        """True when the gap is significant at 5 % after the family's adjustment."""
        return self.p_adjusted < 0.05


@dataclass(frozen=True)
class KeyPrecision:
    """How precise a key estimate is: its design effect and effective sample size.

    `deff` is the estimate's variance over that of a simple random sample of the same base
    (R `svymean(..., deff = TRUE)`); `effective_n` = n / deff, the simple sample that would
    give the same precision.
    """

    indicator_id: str
    estimate: float
    se: float
    n: int
    deff: float
    effective_n: float


@dataclass(frozen=True)
class WaveResults:
    """Every number the report shows, computed once from a wave."""

    wave: str
    questionnaire_id: str
    n_respondents: int
    min_base: int
    indicators: tuple[Indicator, ...]
    breakdowns: tuple[Breakdown, ...]
    weights: WeightDiagnostics
    strata: tuple[StratumCount, ...]
    typology: Typology | None = None
    drivers: Drivers | None = None
    published: tuple[PublishedComparison, ...] = ()
    changes: tuple[Change, ...] = ()
    previous_wave: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The explorer's domains (size, sector, region, market and their pairs), estimated once.
    crossings: tuple[Breakdown, ...] = ()
    # Which design the SEs rest on (None in results written before it was recorded).
    design: VariancePlan | None = None
    # indicator -> covariance of its two estimates from the firms in both waves.
    trend_covariance: dict[str, float] = field(default_factory=dict)
    # Reader-facing read-outs (`report.readout`): median and mean headcount, the tested
    # gaps between size bands, each key estimate's design effect.
    headcount: NumericSummary | None = None
    size_gaps: tuple[DomainGap, ...] = ()
    precision: tuple[KeyPrecision, ...] = ()

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; KeyError names it when absent."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"no indicator {indicator_id!r} in the results of wave {self.wave!r}")

    def of_question(self, question_id: str, base: str | None = None) -> tuple[Indicator, ...]:
        """The indicators of one question (optionally of one base), in questionnaire order."""
        return tuple(
            i
            for i in self.indicators
            if i.question_id == question_id and (base is None or i.base == base)
        )

    def breakdown(self, variable: str) -> Breakdown | None:
        """The breakdown by one variable, if computed."""
        for b in self.breakdowns:
            if b.variable == variable:
                return b
        return None

    def crossing(self, name: str) -> Breakdown | None:
        """The explorer's domain variable `name` ("region", "size_band*region"), if computed."""
        for b in self.crossings:
            if b.variable == name:
                return b
        return None
