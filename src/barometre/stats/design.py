"""The survey design: data, weights, strata, PSUs, fpc, and its calibration history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl

from barometre.stats import _frame
from barometre.stats._cells import (
    Breakdown,
    CellIndex,
    applicable,
    breakdown,
    build_cells,
    run_breakdown,
)
from barometre.stats._estimators import Engine, Linearized, Request
from barometre.stats._intervals import CI_METHODS, mean_interval, proportion_interval
from barometre.stats._projections import (
    GregCalibration,
    PostStratification,
    Projection,
    Raking,
)
from barometre.stats._variance import (
    SINGLETON_POLICIES,
    FloatArray,
    IntArray,
    SampleStructure,
    SingletonPolicy,
    build_structure,
    sort_order,
)
from barometre.stats.calibration import (
    Margin,
    bounded_raked_weights,
    calibrated_weights,
    check_totals_agree,
    match_margin,
    poststratified_weights,
    raked_weights,
)
from barometre.stats.errors import DesignVariableError, EstimationError, StatsError, WeightError
from barometre.stats.results import (
    CrossTab,
    Estimate,
    LabelledEstimate,
    LogitFit,
    TTest,
    WeightDiagnostics,
)

if TYPE_CHECKING:
    from barometre.stats.domains import Domains
    from barometre.stats.replicates import ReplicateDesign

ALPHA = 0.05

# A breakdown: the whole sample (None), one column, or the crossing of several.
By = str | tuple[str, ...] | None
CalibrationMethod = Literal["linear", "raking", "logit"]


class Design:
    """A weighted sample with its design, the entry point of every estimate.

    ``weights`` are final weights (> 0); ``strata`` and ``psu`` optional columns
    (PSU ids are nested in strata); ``fpc`` the population size of each stratum
    (PSUs in the population), or its sampling fraction when all values are <= 1.
    ``singleton`` says what a stratum with one PSU contributes to variances:
    ``"fail"`` (raise), ``"certainty"`` (nothing), ``"adjust"`` (its deviation
    from the grand mean) or ``"average"`` (the mean of the other strata), as
    R's ``options(survey.lonely.psu=)``. A stratum taken whole (fpc equal to its
    size) contributes nothing and is never a singleton problem.
    """

    def __init__(
        self,
        data: Any,
        weights: str,
        strata: str | None = None,
        psu: str | None = None,
        fpc: str | None = None,
        *,
        singleton: SingletonPolicy = "fail",
    ) -> None:
        frame = _frame.as_polars(data)
        if singleton not in SINGLETON_POLICIES:
            raise StatsError(f"singleton must be one of {SINGLETON_POLICIES}, got {singleton!r}")
        w = _frame.numeric(frame, weights, "weights")
        _check_weights(w, weights)
        labels, stratum, psu_codes, fpc_values = _design_columns(frame, strata, psu, fpc)
        # Rows are kept sorted by stratum and PSU inside the design, so that
        # PSU and stratum totals are contiguous sums; results are order-free.
        order = sort_order(stratum, psu_codes)
        identity = bool(np.all(order == np.arange(order.shape[0])))
        self._original = frame
        self._order = None if identity else order
        self._frame = frame if identity else frame[order]
        self._names = {"weights": weights, "strata": strata, "psu": psu, "fpc": fpc}
        self._singleton: SingletonPolicy = singleton
        self._structure = build_structure(
            stratum[order],
            [str(v) for v in labels],
            None if psu_codes is None else psu_codes[order],
            None if fpc_values is None else fpc_values[order],
            singleton,
        )
        self._engine = Engine(weights=w[order], structure=self._structure, projections=())
        self._cells = _fast_cells(self._engine)
        self._breakdowns: dict[By, Breakdown] = {}
        self._codes: dict[str, tuple[tuple[Any, ...], IntArray]] = {}
        self._domains: dict[By, tuple[tuple[Any, ...], IntArray, list[int]]] = {}

    # -- construction of calibrated copies ------------------------------------

    def _with(self, weights: FloatArray, projection: Projection) -> Design:
        new = object.__new__(Design)
        new._frame = self._frame
        new._original = self._original
        new._order = self._order
        new._names = self._names
        new._singleton = self._singleton
        new._structure = self._structure
        new._engine = Engine(
            weights=weights,
            structure=self._structure,
            projections=(*self._engine.projections, projection),
        )
        new._codes = self._codes
        new._domains = self._domains
        new._cells = _fast_cells(new._engine)
        new._breakdowns = {}
        return new

    # -- accessors -------------------------------------------------------------

    @property
    def data(self) -> pl.DataFrame:
        """The respondents, as given (polars)."""
        return self._original

    @property
    def weights(self) -> FloatArray:
        """Current weights, one per row of ``data`` in its order (after any calibration)."""
        if self._order is None:
            return self._engine.weights.copy()
        out = np.empty_like(self._engine.weights)
        out[self._order] = self._engine.weights
        return out

    @property
    def n(self) -> int:
        """Number of respondents."""
        return self._frame.height

    @property
    def singleton(self) -> SingletonPolicy:
        """What a stratum with a single PSU contributes to variances."""
        return self._singleton

    @property
    def sorted_data(self) -> pl.DataFrame:
        """The respondents in the design's internal order (by stratum, then PSU)."""
        return self._frame

    @property
    def order(self) -> IntArray | None:
        """Row of ``data`` at each internal position (None when already in order)."""
        return self._order

    def to_data_order(self, values: FloatArray) -> FloatArray:
        """Per-row values in the internal order put back in the order of ``data``."""
        if self._order is None:
            return values
        out = np.empty_like(values)
        out[..., self._order] = values
        return out

    @property
    def structure(self) -> SampleStructure:
        """Strata, PSUs and fpc factors as used in variances."""
        return self._structure

    @property
    def engine(self) -> Engine:
        """The vectorized estimator shared by domains and batches."""
        return self._engine

    @property
    def calibrated(self) -> bool:
        """True once the weights were post-stratified or raked by this design."""
        return bool(self._engine.projections)

    def levels(self, column: str, role: str = "column") -> tuple[tuple[Any, ...], IntArray]:
        """Sorted levels of a categorical column and each row's code (-1 missing), cached."""
        if column not in self._codes:
            self._codes[column] = _frame.levels_and_codes(self._frame, column, role)
        return self._codes[column]

    def values(self, column: str) -> FloatArray:
        """A numeric column as float64 (NaN where missing)."""
        return _frame.numeric(self._frame, column, f"column {column!r}")

    def values_block(self, columns: Sequence[str]) -> FloatArray:
        """Several numeric columns as one (rows x columns) float64 array, NaN where missing."""
        if not columns:
            return np.empty((self.n, 0))
        for c in columns:
            _frame.require(self._frame, c, f"column {c!r}")
        bad = [c for c in columns if not _frame.is_numeric(self._frame[c].dtype)]
        if bad:
            raise StatsError(f"column {bad[0]!r} is {self._frame[bad[0]].dtype}, not numeric")
        out: FloatArray = np.ascontiguousarray(
            self._frame.select(
                [pl.col(c).cast(pl.Float64).fill_null(float("nan")) for c in columns]
            ).to_numpy(),
            dtype=np.float64,
        )
        return out

    def indicator_block(self, pairs: Sequence[tuple[str, Any]]) -> FloatArray:
        """Indicators of several (column, level) pairs as one (rows x pairs) array."""
        fast = [
            i
            for i, (c, lv) in enumerate(pairs)
            if c not in self._codes
            and isinstance(lv, int | float)
            and not isinstance(lv, bool)
            and c in self._frame.columns
            and self._frame[c].dtype.is_numeric()
        ]
        out = np.empty((self.n, len(pairs)))
        if fast:
            x = self.values_block([pairs[i][0] for i in fast])
            levels = np.array([float(pairs[i][1]) for i in fast])
            hit = x == levels[None, :]
            absent = np.flatnonzero(~hit.any(axis=0))
            if absent.size:
                c, lv = pairs[fast[int(absent[0])]]
                raise EstimationError(f"level {lv!r} does not occur in column {c!r}")
            block: FloatArray = hit.astype(np.float64)
            block[np.isnan(x)] = np.nan
            if len(fast) == len(pairs):
                return block
            out[:, fast] = block
        fast_set = set(fast)
        for i, (c, lv) in enumerate(pairs):
            if i not in fast_set:
                out[:, i] = self.indicator(c, lv)
        return out

    def indicator(self, column: str, level: Any) -> FloatArray:
        """1.0 where ``column == level``, 0.0 elsewhere, NaN where missing."""
        if (
            column not in self._codes
            and isinstance(level, int | float)
            and not isinstance(level, bool)
            and column in self._frame.columns
            and self._frame[column].dtype.is_numeric()
        ):
            # A numeric code (a 0/1 answer): compared directly, no level table.
            x = self.values(column)
            hit = x == level
            if not hit.any():
                raise EstimationError(f"level {level!r} does not occur in column {column!r}")
            ind: FloatArray = np.where(np.isnan(x), np.nan, hit.astype(np.float64))
            return ind
        levels, codes = self.levels(column)
        text = [str(v) for v in levels]
        if level not in levels and str(level) not in text:
            raise EstimationError(
                f"level {level!r} does not occur in column {column!r} (levels: {list(levels)[:20]})"
            )
        k = levels.index(level) if level in levels else text.index(str(level))
        out: FloatArray = (codes == k).astype(np.float64)
        out[codes < 0] = np.nan
        return out

    # -- estimates ---------------------------------------------------------------

    def mean(self, column: str) -> Estimate:
        """Weighted mean of a numeric column (missing values left out, as na.rm)."""
        return self.mean_estimates(self.linearize(self.values(column), None, "mean"))[0]

    def total(self, column: str) -> Estimate:
        """Weighted total of a numeric column."""
        return self.mean_estimates(self.linearize(self.values(column), None, "total"))[0]

    def proportion(self, column: str, level: Any, ci: str = "logit") -> Estimate:
        """Share of respondents whose ``column`` is ``level``, with R svyciprop's CI."""
        lin = self.linearize(self.indicator(column, level), None, "mean", binary=True)
        return self.proportion_estimates(lin, ci, [self.n])[0]

    def proportions(self, column: str, ci: str = "logit") -> dict[Any, Estimate]:
        """Share of every level of a categorical column: ``{level: Estimate}``."""
        levels, _ = self.levels(column)
        return {
            lv: self.proportion_estimates(
                self.linearize(self.indicator(column, lv), None, "mean", binary=True),
                ci,
                [self.n],
            )[0]
            for lv in levels
        }

    def by(self, column: str | Sequence[str]) -> Domains:
        """Estimates in each domain of ``column``: ``d.by("size").mean("x")``.

        Give a list of columns for the domains of their crossing, keyed by
        tuples of levels: ``d.by(["size", "sector"]).mean("x")[("0-9", "BTP")]``
        (R ``svyby(~x, ~size + sector, ...)``).
        """
        from barometre.stats.domains import Domains

        return Domains(self, _as_by(column))

    def estimate_many(
        self,
        means: Sequence[str] = (),
        proportions: Sequence[str | tuple[str, Any]] = (),
        by: Sequence[str | None] = (None,),
        ci: str = "logit",
    ) -> tuple[LabelledEstimate, ...]:
        """Many estimates in one vectorized pass (see ``barometre.stats.batch``)."""
        from barometre.stats.batch import estimate_many

        return estimate_many(self, means=means, proportions=proportions, by=by, ci=ci)

    def totals(self, column: str) -> dict[Any, Estimate]:
        """Estimated population count of every level of a categorical column (R ``svytotal``)."""
        levels, _ = self.levels(column)
        return {
            lv: self.mean_estimates(self.linearize(self.indicator(column, lv), None, "total"))[0]
            for lv in levels
        }

    def quantile(self, column: str, q: float) -> Estimate:
        """Weighted quantile with Woodruff's interval (R ``svyquantile(~x, d, q, ci = TRUE)``).

        survey 4.1's defaults: ``qrule = "math"``, ``interval.type = "mean"``;
        ``se`` is the interval's width over 2 t(0.975, df). Missing values are
        left out (``na.rm = TRUE``).
        """
        from barometre.stats.quantiles import quantile

        return quantile(self, column, q)

    def ratio(self, numerator: str, denominator: str) -> Estimate:
        """Ratio of two weighted totals with its linearized SE (R ``svyratio``).

        Rows missing either value are left out (``na.rm = TRUE``); the interval
        is Student t on the design df of the rows kept.
        """
        from barometre.stats.ratios import ratio

        return ratio(self, numerator, denominator)

    def contrast(self, column: str, *, by: str | Sequence[str], a: Any, b: Any) -> Estimate:
        """Mean of ``column`` in domain ``a`` of ``by`` minus its mean in domain ``b``.

        The SE accounts for the covariance of the two domain means (R
        ``svycontrast(svyby(~x, ~by, d, svymean, covmat = TRUE), ...)``); the
        interval is Student t on the design df.
        """
        from barometre.stats.contrasts import contrast

        return contrast(self, column, _as_by(by), a, b)

    def ttest(self, column: str, *, group: str) -> TTest:
        """Design-based t-test of ``column``'s mean between the two levels of ``group``."""
        from barometre.stats.contrasts import ttest

        return ttest(self, column, group)

    def jackknife(self) -> ReplicateDesign:
        """The delete-one-PSU jackknife replicate design (R ``as.svrepdesign(type = "JKn")``).

        As R, the replicates multiply the current (final) weights; a
        calibration is not redone inside each replicate.
        """
        from barometre.stats.replicates import ReplicateDesign

        return ReplicateDesign(self)

    def weight_diagnostics(self) -> WeightDiagnostics:
        """Spread of the weights and the precision it costs (Kish)."""
        w = self._engine.weights
        total, sq = float(w.sum()), float((w**2).sum())
        return WeightDiagnostics(
            n=int(w.shape[0]),
            total=total,
            min=float(w.min()),
            max=float(w.max()),
            ratio=float(w.max() / w.min()),
            effective_n=total**2 / sq,
            kish_deff=w.shape[0] * sq / total**2,
        )

    # -- calibration ---------------------------------------------------------------

    def poststratify(self, column: str, totals: Mapping[Any, float]) -> Design:
        """A new design whose weights sum to ``totals[level]`` in each level of ``column``."""
        margin = self._margin(column, totals)
        new_w = poststratified_weights(self._engine.weights, margin)
        return self._with(
            new_w,
            PostStratification(
                codes=margin.codes,
                n_levels=margin.targets.shape[0],
                new_weights=new_w,
                old_weights=self._engine.weights,
            ),
        )

    def rake(
        self,
        margins: Mapping[str, Mapping[Any, float]],
        *,
        bounds: tuple[float, float] | None = None,
        tol: float = 1e-10,
        max_iter: int = 1000,
    ) -> Design:
        """A new design raked to every margin ``{column: {level: total}}``.

        Without ``bounds`` the weights are svy's raking (iterative proportional
        fitting) and the variance R's ``rake()``. With ``bounds=(lo, hi)`` the
        adjustment factor g = new / old weight stays within them (trimming done
        inside the single calibration step) and the variance is R's
        ``calibrate(calfun = "raking", bounds = ...)``.
        """
        if not margins:
            raise StatsError("rake: give at least one margin")
        matched = [self._margin(col, tot) for col, tot in margins.items()]
        check_totals_agree(matched)
        old = self._engine.weights
        codes = tuple(m.codes for m in matched)
        sizes = tuple(int(m.targets.shape[0]) for m in matched)
        if bounds is None:
            new_w = raked_weights(old, matched, tol=tol, max_iter=max_iter)
            return self._with(new_w, Raking(margins=codes, sizes=sizes, weights=new_w))
        new_w = bounded_raked_weights(old, matched, bounds, tol=tol, max_iter=max_iter)
        return self._with(
            new_w,
            GregCalibration(margins=codes, sizes=sizes, old_weights=old, new_weights=new_w),
        )

    def calibrate(
        self,
        margins: Mapping[str, Mapping[Any, float]],
        method: CalibrationMethod = "linear",
        bounds: tuple[float, float] | None = None,
        *,
        tol: float = 1e-10,
        max_iter: int = 500,
        strict: bool = False,
    ) -> Design:
        """A new design calibrated to every margin ``{column: {level: total}}``.

        R ``calibrate(d, ~a + b, population, calfun = method, bounds = bounds)``:
        ``"linear"`` is GREG (g = 1 + x'lambda, may be negative without
        bounds), ``"raking"`` g = exp(x'lambda), ``"logit"`` g bounded in
        ``bounds`` (required). With bounds, g = new / old weight stays in them.
        The variance is R's for a calibrated design (residuals of the
        regression on the margins' indicators). If the bounds make the margins
        unreachable, R warns and keeps the closest weights: so do we (a
        ``CalibrationWarning``), or raise ``RakingDidNotConvergeError`` with
        ``strict=True``.
        """
        if not margins:
            raise StatsError("calibrate: give at least one margin")
        matched = [self._margin(col, tot) for col, tot in margins.items()]
        check_totals_agree(matched)
        old = self._engine.weights
        new_w = calibrated_weights(
            old, matched, method, bounds, tol=tol, max_iter=max_iter, strict=strict
        )
        return self._with(
            new_w,
            GregCalibration(
                margins=tuple(m.codes for m in matched),
                sizes=tuple(int(m.targets.shape[0]) for m in matched),
                old_weights=old,
                new_weights=new_w,
            ),
        )

    def _margin(self, column: str, totals: Mapping[Any, float]) -> Margin:
        levels, codes = self.levels(column, f"margin {column!r}")
        if np.any(codes < 0):
            raise StatsError(
                f"margin {column!r}: {int(np.sum(codes < 0))} respondent(s) have no value; "
                "impute or drop them before calibrating"
            )
        return match_margin(column, levels, codes, totals)

    # -- tests and models -----------------------------------------------------------

    def crosstab(self, rows: str, cols: str) -> CrossTab:
        """Weighted two-way table with Rao-Scott tests (R ``svychisq``)."""
        from barometre.stats.crosstab import crosstab

        return crosstab(self, rows, cols)

    def logit(
        self,
        response: str,
        numeric: Sequence[str] = (),
        categorical: Sequence[str] = (),
        *,
        level: Any = None,
    ) -> LogitFit:
        """Design-based logistic regression (R ``svyglm``, quasibinomial).

        ``response`` is 0/1 (or boolean); for a categorical response give the
        ``level`` counted as 1.
        """
        from barometre.stats.regression import logit

        return logit(self, response, numeric, categorical, level=level)

    # -- helpers shared with domains and batches -------------------------------------

    def breakdown(self, by: By) -> tuple[tuple[Any, ...], IntArray, list[int]]:
        """Domains of ``by`` (None: the whole sample), each row's domain code and sizes.

        A tuple of columns gives the domains of their crossing that have at
        least one respondent, as tuples of levels in sorted order.
        """
        if by not in self._domains:
            if by is None:
                self._domains[by] = ((None,), np.zeros(self.n, dtype=np.int64), [self.n])
            else:
                levels, codes = self.levels(by, "by") if isinstance(by, str) else self._crossing(by)
                sizes = np.bincount(codes[codes >= 0], minlength=len(levels))
                self._domains[by] = (levels, codes, [int(v) for v in sizes])
        return self._domains[by]

    def _crossing(self, columns: tuple[str, ...]) -> tuple[tuple[Any, ...], IntArray]:
        """Levels (tuples) and codes of the crossing of several columns."""
        parts = [self.levels(c, "by") for c in columns]
        key = np.zeros(self.n, dtype=np.int64)
        missing = np.zeros(self.n, dtype=bool)
        for levels, codes in parts:
            key = key * len(levels) + np.maximum(codes, 0)
            missing |= codes < 0
        present, inverse = np.unique(key[~missing], return_inverse=True)
        codes_out = np.full(self.n, -1, dtype=np.int64)
        codes_out[~missing] = inverse.reshape(-1)
        combos: list[tuple[Any, ...]] = []
        for k in present.tolist():
            combo: list[Any] = []
            for levels, _ in reversed(parts):
                combo.append(levels[k % len(levels)])
                k //= len(levels)
            combos.append(tuple(reversed(combo)))
        return tuple(combos), codes_out

    def linearize(
        self, values: FloatArray, by: By, statistic: str, *, binary: bool = False
    ) -> Linearized:
        """``statistic`` ("mean" or "total") of ``values`` in every domain of ``by``.

        ``values`` is one column (n,) or a block of columns (k x n); results
        are column-major: estimate ``i * domains + d`` is column i in domain d.
        ``binary``: the values are 0/1 indicators (lets the fast path skip work).
        """
        levels, codes, _ = self.breakdown(by)
        block = values[None, :] if values.ndim == 1 else values
        if self._cells is not None:
            if by not in self._breakdowns:
                self._breakdowns[by] = breakdown(
                    self._cells, self._engine.weights, codes, len(levels)
                )
            return run_breakdown(
                self._cells,
                self._structure,
                self._engine.weights,
                block,
                self._breakdowns[by],
                statistic,
                binary,
            )
        masks = [codes == k for k in range(len(levels))]
        requests = [Request(row, mask) for row in block for mask in masks]
        return self._engine.run(requests, statistic)

    def mean_estimates(self, lin: Linearized) -> list[Estimate]:
        """Estimates with Student t intervals on the domain df."""
        lo, hi = mean_interval(lin.estimate, lin.se, lin.df, ALPHA)
        return _estimates(lin, lo, hi)

    def proportion_estimates(
        self, lin: Linearized, ci: str, n_rows: Sequence[int]
    ) -> list[Estimate]:
        """Proportions (means of indicators) with ``ci`` intervals, R svyciprop style.

        ``n_rows``: R's nrow() of each (sub)design, used by the beta method.
        """
        if ci not in CI_METHODS:
            raise StatsError(f"ci must be one of {CI_METHODS}, got {ci!r}")
        p = np.where(lin.nonzero == lin.n, 1.0, lin.estimate)
        p = np.where(lin.nonzero == 0, 0.0, p)
        se = np.where((lin.nonzero == 0) | (lin.nonzero == lin.n), 0.0, lin.se)
        rows = np.asarray(n_rows, dtype=np.int64)
        if self.calibrated:
            # R keeps calibrated subsets at full size (zero weights), so nrow is n.
            rows = np.full(rows.shape, self.n, dtype=np.int64)
        lo, hi = proportion_interval(p, se, lin.df, lin.n, rows, lin.nonzero, ci, ALPHA)
        fixed = Linearized(
            estimate=p, se=se, df=lin.df, n=lin.n, nonzero=lin.nonzero, deff=lin.deff
        )
        return _estimates(fixed, lo, hi)


def _fast_cells(engine: Engine) -> CellIndex | None:
    if not applicable(engine.structure, engine.projections):
        return None
    return build_cells(engine.structure, engine.weights, engine.projections)


def _as_by(column: str | Sequence[str]) -> str | tuple[str, ...]:
    if isinstance(column, str):
        return column
    columns = tuple(column)
    if not columns or not all(isinstance(c, str) for c in columns):
        raise StatsError(f"by: give a column name or a list of column names, got {column!r}")
    return columns[0] if len(columns) == 1 else columns


def _estimates(lin: Linearized, lo: FloatArray, hi: FloatArray) -> list[Estimate]:
    deff = np.full(lin.estimate.shape, np.nan) if lin.deff is None else lin.deff
    # tolist() converts whole arrays to Python numbers at once (batches are large).
    columns = (
        lin.estimate.tolist(),
        lin.se.tolist(),
        lo.tolist(),
        hi.tolist(),
        lin.df.tolist(),
        lin.n.tolist(),
        deff.tolist(),
    )
    return [Estimate(*row) for row in zip(*columns, strict=True)]


def _check_weights(w: FloatArray, column: str) -> None:
    missing = np.flatnonzero(np.isnan(w))
    if missing.size:
        raise WeightError(
            f"weights {column!r}: {missing.size} missing value(s), first at row {int(missing[0])}"
        )
    bad = np.flatnonzero(~(w > 0) | ~np.isfinite(w))
    if bad.size:
        raise WeightError(
            f"weights {column!r}: {bad.size} value(s) not positive and finite, first at "
            f"row {int(bad[0])} ({float(w[bad[0]])}); drop out-of-scope rows instead of "
            "giving them a zero weight"
        )


def _design_columns(
    frame: pl.DataFrame, strata: str | None, psu: str | None, fpc: str | None
) -> tuple[tuple[Any, ...], IntArray, IntArray | None, FloatArray | None]:
    """Stratum labels and codes, PSU codes and fpc values, checked."""
    n = frame.height
    if n == 0:
        raise StatsError("the data has no row")
    if strata is None:
        labels: tuple[Any, ...] = ("(all)",)
        stratum = np.zeros(n, dtype=np.int64)
    else:
        labels, stratum = _frame.levels_and_codes(frame, strata, "strata")
        if np.any(stratum < 0):
            raise DesignVariableError(
                f"strata {strata!r}: {int(np.sum(stratum < 0))} row(s) have no stratum, "
                f"first at row {int(np.flatnonzero(stratum < 0)[0])}"
            )
    psu_codes = None
    if psu is not None:
        _, psu_codes = _frame.levels_and_codes(frame, psu, "psu")
        if np.any(psu_codes < 0):
            raise DesignVariableError(f"psu {psu!r}: {int(np.sum(psu_codes < 0))} row(s) missing")
    fpc_values = None
    if fpc is not None:
        fpc_values = _frame.numeric(frame, fpc, "fpc")
        if np.any(np.isnan(fpc_values)) or np.any(fpc_values <= 0):
            raise DesignVariableError(f"fpc {fpc!r}: values must be present and positive")
    return labels, stratum, psu_codes, fpc_values
