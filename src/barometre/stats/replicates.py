"""Jackknife replicate designs, as R ``as.svrepdesign(design, type = "JKn")``.

Replicate r drops one PSU j of stratum h: its rows get weight 0, the other
PSUs of h are scaled by n_h / (n_h - 1), other strata are unchanged. The
variance of an estimate theta is

    v = scale * sum_r rscale_r (theta_r - mean_r theta_r)^2

with rscale_r = (1 - f_h) (n_h - 1) / n_h (R's ``mse = FALSE``). Strata taken
whole (f_h = 1) and single-PSU strata under the "certainty" and "average"
rules give no replicate; under "adjust" a single-PSU stratum gets one
replicate that drops it and scales every other PSU by H / (H - 1), as R's
``jknweights``. An unstratified design is one stratum (R's "JK1", the same
numbers).

Replicate estimates never materialise the replicate weights: a replicate
total is T - T_h + n_h / (n_h - 1) (T_h - t_j) from the PSU totals t_j and
stratum totals T_h, so every replicate of an estimate costs one pass over the
rows. ``replicate_weights()`` builds the columns for exports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from scipy import stats as st
from scipy.special import expit

from barometre.stats._intervals import CI_METHODS, mean_interval, proportion_interval
from barometre.stats._variance import FloatArray, IntArray, segment_sums
from barometre.stats.errors import EstimationError, StatsError
from barometre.stats.results import Estimate

if TYPE_CHECKING:
    from barometre.stats.design import Design

ALPHA = 0.05


class ReplicateDesign:
    """A jackknife replicate design built from a :class:`Design`; estimates as on the design."""

    def __init__(self, design: Design) -> None:
        s = design.structure
        self._design = design
        self._weights = design.engine.weights
        n_psu = s.n_psu.astype(np.int64)
        # fpc factor (1 - f_h) of each stratum, from the linearization scale.
        f = np.where(n_psu > 1, s.scale * (n_psu - 1) / np.maximum(n_psu, 1), s.scale)
        psu_of_row = (
            np.arange(s.n_rows, dtype=np.int64)
            if s.psu_starts is None
            else np.repeat(
                np.arange(s.n_psus, dtype=np.int64),
                np.diff(np.append(s.psu_starts, s.n_rows)),
            )
        )
        self._psu_of_row = psu_of_row
        drop: list[int] = []  # PSU dropped by each deletion replicate
        rscales: list[float] = []
        adjust: list[int] = []  # singleton strata of the "adjust" rule
        for h in range(s.n_strata):
            first, count = int(s.stratum_starts[h]), int(n_psu[h])
            if count > 1:
                if f[h] <= 1e-12:
                    continue  # taken whole: R drops its replicates
                drop.extend(range(first, first + count))
                rscales.extend([float(f[h]) * (count - 1) / count] * count)
            elif count == 1 and design.singleton == "adjust" and not s.centre[h]:
                adjust.append(h)
        n_strata = s.n_strata
        rscales.extend([(n_strata - 1) / n_strata] * len(adjust))
        if not rscales:
            raise EstimationError(
                "jackknife: no stratum has two PSUs sampled without certainty; "
                "there is nothing to replicate"
            )
        self._drop = np.asarray(drop, dtype=np.int64)
        self._adjust = np.asarray(adjust, dtype=np.int64)
        self._rscales = np.asarray(rscales)
        n_rep = self._rscales.shape[0]
        self._scale = (
            s.n_psus / n_rep if design.singleton == "average" and n_rep < s.n_psus else 1.0
        )
        kept_strata = {int(s.psu_stratum[j]) for j in drop}
        # R numbers replicates by strata, then PSUs, in order of first appearance
        # in the data: the export's columns follow that order.
        first_row = np.arange(s.n_rows) if design.order is None else design.order
        psu_first = np.full(s.n_psus, np.iinfo(np.int64).max)
        np.minimum.at(psu_first, psu_of_row, first_row)
        stratum_first = np.full(s.n_strata, np.iinfo(np.int64).max)
        np.minimum.at(stratum_first, s.psu_stratum, psu_first)
        keys = [(int(stratum_first[s.psu_stratum[j]]), int(psu_first[j])) for j in drop]
        keys += [(int(stratum_first[h]), -1) for h in adjust]
        self._column_order = np.asarray(
            sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64
        )
        self._df = sum(int(n_psu[h]) - 1 for h in kept_strata) + len(adjust)

    # -- description ---------------------------------------------------------------

    @property
    def n_replicates(self) -> int:
        """Number of replicates."""
        return int(self._rscales.shape[0])

    @property
    def df(self) -> int:
        """Degrees of freedom of the replicate design (R ``degf``: rank of the weights - 1)."""
        return self._df

    @property
    def scale(self) -> float:
        """The overall variance multiplier (R's ``scale``)."""
        return self._scale

    @property
    def rscales(self) -> FloatArray:
        """Each replicate's variance multiplier (R's ``rscales``), in replicate_weights' order."""
        return self._rscales[self._column_order].copy()

    def multipliers(self) -> FloatArray:
        """Replicate factors per PSU and replicate (PSUs x replicates), in the design's PSU order.

        Columns are in the internal replicate order; ``replicate_weights`` puts
        them in R's.
        """
        s = self._design.structure
        n_psu = s.n_psu.astype(np.int64)
        stratum_of = s.psu_stratum
        out = np.ones((s.n_psus, self.n_replicates))
        for r, j in enumerate(self._drop.tolist()):
            h = int(stratum_of[j])
            members = stratum_of == h
            out[members, r] = n_psu[h] / (n_psu[h] - 1)
            out[j, r] = 0.0
        n_strata = s.n_strata
        for k, h in enumerate(self._adjust.tolist()):
            r = self._drop.shape[0] + k
            out[:, r] = np.where(stratum_of == h, 0.0, n_strata / (n_strata - 1))
        return out

    def replicate_weights(self, prefix: str = "rep_") -> pl.DataFrame:
        """Replicate weights as columns ``rep_1``... in the order of the design's data.

        With ``scale`` and ``rscales`` they declare the design in R:
        ``svrepdesign(repweights = ..., weights = ..., type = "JKn", scale = ...,
        rscales = ...)``.
        """
        mult = self.multipliers()[self._psu_of_row][:, self._column_order]  # rows x replicates
        w = mult * self._weights[:, None]
        w = self._design.to_data_order(w.T).T
        return pl.DataFrame(
            {f"{prefix}{r + 1}": w[:, r] for r in range(self.n_replicates)},
        )

    # -- replicate totals ------------------------------------------------------------

    def _replicate_totals(self, z: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Full-sample totals (k,) and replicate totals (k x R) of rows of ``z`` (k x n)."""
        s = self._design.structure
        t = z if s.psu_starts is None else segment_sums(z, s.psu_starts)
        th = segment_sums(t, s.stratum_starts)
        total = th.sum(axis=1)
        n_psu = s.n_psu
        h = s.psu_stratum[self._drop]
        c = n_psu[h] / (n_psu[h] - 1)
        reps = total[:, None] - th[:, h] + c[None, :] * (th[:, h] - t[:, self._drop])
        if self._adjust.size:
            factor = s.n_strata / (s.n_strata - 1)
            extra = factor * (total[:, None] - th[:, self._adjust])
            reps = np.concatenate([reps, extra], axis=1)
        return total, reps

    def _variance(self, reps: FloatArray) -> FloatArray:
        centre = reps.mean(axis=1, keepdims=True)
        out: FloatArray = self._scale * ((reps - centre) ** 2 * self._rscales[None, :]).sum(axis=1)
        return out

    def _ratio(self, num: FloatArray, den: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Ratios of totals of rows of ``num`` over ``den`` and their replicate variance."""
        tn, rn = self._replicate_totals(num)
        td, rd = self._replicate_totals(den)
        with np.errstate(invalid="ignore", divide="ignore"):
            est = tn / td
            var = self._variance(rn / rd)
        return est, var

    def _estimate(self, est: float, var: float, n: int) -> Estimate:
        se = float(np.sqrt(max(var, 0.0)))
        lo, hi = mean_interval(np.array([est]), np.array([se]), np.array([self._df]), ALPHA)
        return Estimate(
            estimate=float(est), se=se, ci_low=float(lo[0]), ci_high=float(hi[0]), df=self._df, n=n
        )

    # -- estimates ------------------------------------------------------------------

    def mean(self, column: str) -> Estimate:
        """Weighted mean of a numeric column, replicate variance (missing values left out)."""
        y = self._design.values(column)
        ok = ~np.isnan(y)
        w = np.where(ok, self._weights, 0.0)
        est, var = self._ratio((w * np.where(ok, y, 0.0))[None, :], w[None, :])
        return self._estimate(float(est[0]), float(var[0]), int(ok.sum()))

    def total(self, column: str) -> Estimate:
        """Weighted total of a numeric column, replicate variance."""
        y = self._design.values(column)
        ok = ~np.isnan(y)
        total, reps = self._replicate_totals((self._weights * np.where(ok, y, 0.0))[None, :])
        return self._estimate(float(total[0]), float(self._variance(reps)[0]), int(ok.sum()))

    def totals(self, column: str) -> dict[Any, Estimate]:
        """Estimated population count of every level of a categorical column."""
        levels, codes = self._design.levels(column)
        hot = (codes[None, :] == np.arange(len(levels))[:, None]).astype(np.float64)
        total, reps = self._replicate_totals(hot * self._weights[None, :])
        var = self._variance(reps)
        n = int(np.count_nonzero(codes >= 0))
        return {
            lv: self._estimate(float(total[i]), float(var[i]), n) for i, lv in enumerate(levels)
        }

    def ratio(self, numerator: str, denominator: str) -> Estimate:
        """Ratio of two weighted totals (rows missing either left out)."""
        y, x = self._design.values(numerator), self._design.values(denominator)
        ok = ~np.isnan(y) & ~np.isnan(x)
        w = np.where(ok, self._weights, 0.0)
        est, var = self._ratio(
            (w * np.where(ok, y, 0.0))[None, :], (w * np.where(ok, x, 0.0))[None, :]
        )
        return self._estimate(float(est[0]), float(var[0]), int(ok.sum()))

    def proportion(self, column: str, level: Any, ci: str = "logit") -> Estimate:
        """Share of respondents whose ``column`` is ``level``, with R svyciprop's interval."""
        return self._proportions(column, [level], ci)[level]

    def proportions(self, column: str, ci: str = "logit") -> dict[Any, Estimate]:
        """Share of every level of a categorical column."""
        return self._proportions(column, list(self._design.levels(column)[0]), ci)

    def _proportions(self, column: str, wanted: list[Any], ci: str) -> dict[Any, Estimate]:
        if ci not in CI_METHODS:
            raise StatsError(f"ci must be one of {CI_METHODS}, got {ci!r}")
        ind = np.stack([self._design.indicator(column, lv) for lv in wanted])
        ok = ~np.isnan(ind[0])
        w = np.where(ok, self._weights, 0.0)
        k = len(wanted)
        num = np.where(ok[None, :], ind, 0.0) * w[None, :]
        tn, rn = self._replicate_totals(num)
        td, rd = self._replicate_totals(w[None, :])
        est = tn / td
        reps = rn / rd
        se = np.sqrt(np.maximum(self._variance(reps), 0.0))
        n = np.full(k, int(ok.sum()), dtype=np.int64)
        yes: IntArray = np.count_nonzero(num, axis=1).astype(np.int64)
        df = np.full(k, self._df, dtype=np.int64)
        lo, hi = proportion_interval(est, se, df, n, n, yes, ci, ALPHA)
        if ci == "logit":
            # R fits the logit on the replicate design: the interval uses the
            # replicate variance of logit(p_r), not the delta method.
            inner = (est > 0) & (est < 1) & np.all((reps > 0) & (reps < 1), axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                eta = np.log(est / (1 - est))
                se_eta = np.sqrt(self._variance(np.log(reps / (1 - reps))))
            t = float(st.t.ppf(1 - ALPHA / 2, self._df))
            lo = np.where(inner, expit(eta - t * se_eta), lo)
            hi = np.where(inner, expit(eta + t * se_eta), hi)
        return {
            lv: Estimate(
                estimate=float(est[i]),
                se=float(se[i]),
                ci_low=float(lo[i]),
                ci_high=float(hi[i]),
                df=self._df,
                n=int(n[i]),
            )
            for i, lv in enumerate(wanted)
        }
