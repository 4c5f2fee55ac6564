"""Weight calibration: margin checks, raking (via svy), bounded raking, post-stratification,
and R's ``calibrate`` with its linear, raking and logit distance functions.

One calibration step per design: R and svy both credit only the last weight
adjustment in the variance of a chain, so trimming is done *inside* the
calibration (bounds on g = new weight / old weight, R ``calibrate(calfun =
"raking", bounds = ...)``), never as a separate pass afterwards.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl
from scipy.special import expit

from barometre.stats._variance import FloatArray, IntArray
from barometre.stats.errors import (
    CalibrationWarning,
    DataLevelNotInMarginError,
    MarginError,
    MarginLevelNotInDataError,
    MarginTotalsDisagreeError,
    RakingDidNotConvergeError,
)

if TYPE_CHECKING:
    from barometre.stats.design import Design

# Relative disagreement tolerated between the grand totals of two margins.
TOTALS_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Margin:
    """One calibration margin matched to the data: level codes and target totals."""

    column: str
    codes: IntArray  # level code of each row
    targets: FloatArray  # population total of each level, in code order
    levels: tuple[object, ...]


def match_margin(
    column: str, levels: Sequence[object], codes: IntArray, totals: Mapping[Any, float]
) -> Margin:
    """Match a margin ``{level: total}`` to the data's levels, or say what does not fit.

    Keys are compared as text, so ``{"1": ...}`` fits an integer column.
    """
    by_text = {str(k): float(v) for k, v in totals.items()}
    data_text = [str(v) for v in levels]
    missing = [lv for lv in data_text if lv not in by_text]
    if missing:
        raise DataLevelNotInMarginError(
            f"margin {column!r}: level(s) {missing} occur in the data but have no "
            "population total in the margin"
        )
    absent = [k for k, v in by_text.items() if k not in data_text and v != 0.0]
    if absent:
        raise MarginLevelNotInDataError(
            f"margin {column!r}: level(s) {absent} have a population total but no "
            "respondent in the data; merge them with a neighbouring level"
        )
    targets = np.array([by_text[lv] for lv in data_text])
    if np.any(~np.isfinite(targets)) or np.any(targets <= 0):
        bad = [lv for lv, t in zip(data_text, targets, strict=True) if not t > 0]
        raise MarginError(f"margin {column!r}: level(s) {bad} need a positive finite total")
    return Margin(column=column, codes=codes, targets=targets, levels=tuple(levels))


def check_totals_agree(margins: Sequence[Margin]) -> float:
    """The common population total of the margins, or an error listing them."""
    totals = {m.column: float(m.targets.sum()) for m in margins}
    values = np.array(list(totals.values()))
    if values.max() - values.min() > TOTALS_TOLERANCE * values.mean():
        raise MarginTotalsDisagreeError(
            f"margins disagree on the population total: {totals}; raking cannot meet them all"
        )
    return float(values.mean())


def poststratified_weights(weights: FloatArray, margin: Margin) -> FloatArray:
    """Weights scaled within each post-stratum to its population total."""
    sums = np.bincount(margin.codes, weights=weights, minlength=margin.targets.shape[0])
    return weights * (margin.targets / sums)[margin.codes]


def raked_weights(
    weights: FloatArray, margins: Sequence[Margin], *, tol: float, max_iter: int
) -> FloatArray:
    """Iterative proportional fitting by svy's ``Sample.weighting.rake``.

    Every respondent of a cell (one combination of margin levels) gets the same
    raking factor, and IPF only sees the cells' weight totals: svy rakes the
    cells (a few dozen rows) and the factors are spread back to respondents.
    This keeps svy's per-row Python work off samples of 10^6. svy receives
    integer level codes, so labels never have to round-trip.
    """
    import svy

    cell_of_row, cell_codes = _cells_of(margins)
    cell_weights = np.bincount(cell_of_row, weights=weights)
    frame = pl.DataFrame({"_w": cell_weights, **{f"_m{j}": c for j, c in enumerate(cell_codes)}})
    controls: dict[str, dict[str | int | float | bool, int | float]] = {
        f"_m{j}": {int(c): float(t) for c, t in enumerate(m.targets)} for j, m in enumerate(margins)
    }
    sample = svy.Sample(frame, svy.Design(wgt="_w"))
    try:
        raked = sample.weighting.rake(controls=controls, tol=tol, max_iter=max_iter)
    except svy.SvyError as err:
        got = getattr(err, "got", None)
        if isinstance(got, dict) and "max_margin_error" in got:
            raise RakingDidNotConvergeError(
                f"raking on {[m.column for m in margins]} did not converge after "
                f"{got.get('max_iter', max_iter)} iterations: the largest relative "
                f"gap to a margin is {got['max_margin_error']:.3g} (tolerance {tol:g})",
                iterations=int(got.get("max_iter", max_iter)),
                gap=float(got["max_margin_error"]),
            ) from err
        raise MarginError(f"raking failed in svy: {err}") from err
    data = raked.data
    if isinstance(data, pl.LazyFrame):
        data = data.collect()
    factor = np.asarray(data["rk_wgt"].to_numpy(), dtype=np.float64) / cell_weights
    out: FloatArray = weights * factor[cell_of_row]
    return out


def _cells_of(margins: Sequence[Margin]) -> tuple[IntArray, list[IntArray]]:
    """Each row's cell (combination of margin levels) and each cell's level codes."""
    key = np.zeros(margins[0].codes.shape[0], dtype=np.int64)
    for m in margins:
        key = key * m.targets.shape[0] + m.codes
    uniq, cell_of_row = np.unique(key, return_inverse=True)
    codes: list[IntArray] = []
    rest = uniq.copy()
    for m in reversed(margins):
        codes.append(rest % m.targets.shape[0])
        rest = rest // m.targets.shape[0]
    return cell_of_row.reshape(-1).astype(np.int64), codes[::-1]


def bounded_raked_weights(
    weights: FloatArray,
    margins: Sequence[Margin],
    bounds: tuple[float, float],
    *,
    tol: float,
    max_iter: int,
) -> FloatArray:
    """Raking with g = new / old weight kept in ``bounds`` (R ``calibrate``, raking).

    Solves sum_i w_i g_i x_i = T with g_i = clip(exp(x_i' lambda), lo, hi) by
    damped Newton steps on the cells (combinations of margin levels), where all
    rows share one g: a few dozen cells whatever the sample size.
    """
    lo, hi = bounds
    if not 0 <= lo < 1 < hi:
        raise MarginError(f"bounds {bounds}: need lower < 1 < upper, lower >= 0")
    sizes = [m.targets.shape[0] for m in margins]
    cell_key = np.zeros(weights.shape[0], dtype=np.int64)
    for m, s in zip(margins, sizes, strict=True):
        cell_key = cell_key * s + m.codes
    cells, cell_of_row = np.unique(cell_key, return_inverse=True)
    cell_of_row = cell_of_row.reshape(-1)
    w_cell = np.bincount(cell_of_row, weights=weights)
    # Design matrix of the cells: one-hot of every margin's level.
    x = np.zeros((cells.shape[0], sum(sizes)))
    rest = cells.copy()
    offset = sum(sizes)
    for s in reversed(sizes):
        offset -= s
        x[np.arange(cells.shape[0]), offset + rest % s] = 1.0
        rest //= s
    target = np.concatenate([m.targets for m in margins])
    log_lo = np.log(lo) if lo > 0 else -np.inf
    log_hi = np.log(hi)

    def g_of(lam: FloatArray) -> FloatArray:
        out: FloatArray = np.clip(np.exp(np.minimum(x @ lam, 700.0)), lo, hi)
        return out

    def objective(lam: FloatArray) -> float:
        # Convex dual of bounded raking: sum w Phi(x'lambda) - lambda'T, with
        # Phi' = clip(exp, lo, hi); its minimum meets every margin.
        u = x @ lam
        inside = np.exp(np.clip(u, log_lo, log_hi))
        phi = inside + hi * np.maximum(u - log_hi, 0.0) + lo * np.minimum(u - log_lo, 0.0)
        return float(w_cell @ phi - lam @ target)

    def gap_of(g: FloatArray) -> float:
        return float(np.max(np.abs(x.T @ (w_cell * g) - target) / target))

    lam = np.zeros(x.shape[1])
    g = g_of(lam)
    iteration = 0
    while iteration < max_iter:
        iteration += 1
        g = g_of(lam)
        if gap_of(g) < tol:
            out: FloatArray = weights * g[cell_of_row]
            return out
        u = x @ lam
        slope = np.where((u > log_lo) & (u < log_hi), np.exp(np.minimum(u, 700.0)), 0.0)
        hess = x.T @ (x * (w_cell * slope)[:, None])
        grad = x.T @ (w_cell * g) - target
        # Ridge keeps the step defined when whole levels sit on a bound.
        ridge = 1e-10 * max(float(np.trace(hess)), 1.0) * np.eye(hess.shape[0])
        step = -np.linalg.lstsq(hess + ridge, grad, rcond=None)[0]
        f0, t = objective(lam), 1.0
        # Near the solution the objective stops changing in floating point:
        # a full Newton step that shrinks the gap is then taken as is.
        if gap_of(g_of(lam + step)) < gap_of(g):
            lam = lam + step
            continue
        while t > 1e-12 and objective(lam + t * step) > f0 + 1e-4 * t * float(grad @ step):
            t /= 2
        lam = lam + t * step
    gap = gap_of(g)
    raise RakingDidNotConvergeError(
        f"bounded raking on {[m.column for m in margins]} with g in {bounds} did not "
        f"converge after {iteration} iterations: the largest relative gap to a margin "
        f"is {gap:.3g}; widen the bounds or merge small levels",
        iterations=iteration,
        gap=gap,
    )


CALIBRATION_METHODS: tuple[str, ...] = ("linear", "raking", "logit")


def _calibration_function(
    method: str, lo: float, hi: float
) -> tuple[Callable[[FloatArray], FloatArray], Callable[[FloatArray], FloatArray]]:
    """g(u) and dg/du of R's ``cal.linear``, ``cal.raking`` and ``cal.logit``."""
    if method == "linear":

        def g_lin(u: FloatArray) -> FloatArray:
            out: FloatArray = np.clip(1.0 + u, lo, hi)
            return out

        def d_lin(u: FloatArray) -> FloatArray:
            out: FloatArray = ((1.0 + u > lo) & (1.0 + u < hi)).astype(np.float64)
            return out

        return g_lin, d_lin
    if method == "raking":

        def g_rak(u: FloatArray) -> FloatArray:
            out: FloatArray = np.clip(np.exp(np.minimum(u, 700.0)), lo, hi)
            return out

        def d_rak(u: FloatArray) -> FloatArray:
            e = np.exp(np.minimum(u, 700.0))
            out: FloatArray = np.where((e > lo) & (e < hi), e, 0.0)
            return out

        return g_rak, d_rak
    # Logit: g = L + (U - L) s, s = expit(A u + log((1 - L) / (U - 1))), which is
    # R's (L (U-1) + U (1-L) e^{Au}) / (U - 1 + (1-L) e^{Au}) without overflow.
    a = (hi - lo) / ((1 - lo) * (hi - 1))
    shift = math.log((1 - lo) / (hi - 1))

    def g_logit(u: FloatArray) -> FloatArray:
        out: FloatArray = lo + (hi - lo) * expit(a * u + shift)
        return out

    def d_logit(u: FloatArray) -> FloatArray:
        s = expit(a * u + shift)
        out: FloatArray = (hi - lo) * a * s * (1 - s)
        return out

    return g_logit, d_logit


def calibrated_weights(
    weights: FloatArray,
    margins: Sequence[Margin],
    method: str,
    bounds: tuple[float, float] | None,
    *,
    tol: float,
    max_iter: int,
    strict: bool = False,
) -> FloatArray:
    """Weights calibrated to the margins with R's ``calibrate(calfun = method, bounds)``.

    Solves sum_i w_i g_i x_i = T with g_i = F(x_i' lambda) by Newton steps
    on the cells (combinations of margin levels, where every row shares one
    g), as R's ``grake``: a generalised inverse for the collinear one-hot
    blocks, the step halved while it does not reduce the misfit. Converged
    when every |misfit| / (1 + |T|) < ``tol`` (R's ``epsilon``). When the
    bounds make the margins unreachable: ``strict`` raises
    :class:`RakingDidNotConvergeError`, otherwise (R's behaviour) a
    :class:`CalibrationWarning` names the gap and the closest weights are kept.
    """
    if method not in CALIBRATION_METHODS:
        raise MarginError(f"calibrate: method must be one of {CALIBRATION_METHODS}, got {method!r}")
    lo, hi = (-math.inf, math.inf) if bounds is None else (float(bounds[0]), float(bounds[1]))
    if not lo < 1 < hi:
        raise MarginError(f"calibrate: bounds {bounds} need lower < 1 < upper")
    if method == "logit" and not (math.isfinite(lo) and math.isfinite(hi)):
        raise MarginError("calibrate: logit calibration needs finite bounds, e.g. (0.5, 2.0)")
    if method == "raking" and lo < 0:
        lo = 0.0
    g_of, slope_of = _calibration_function(method, lo, hi)
    cell_of_row, cell_codes = _cells_of(margins)
    w_cell = np.bincount(cell_of_row, weights=weights)
    sizes = [int(m.targets.shape[0]) for m in margins]
    x = np.zeros((w_cell.shape[0], sum(sizes)))
    offset = 0
    for codes, s in zip(cell_codes, sizes, strict=True):
        x[np.arange(w_cell.shape[0]), offset + codes] = 1.0
        offset += s
    target = np.concatenate([m.targets for m in margins])
    lam = np.zeros(x.shape[1])

    def misfit_of(lam: FloatArray) -> FloatArray:
        out: FloatArray = target - x.T @ (w_cell * g_of(x @ lam))
        return out

    def size_of(misfit: FloatArray) -> float:
        return float(np.max(np.abs(misfit) / (1 + np.abs(target))))

    misfit = misfit_of(lam)
    for _ in range(max_iter):
        if size_of(misfit) < tol:
            out: FloatArray = weights * g_of(x @ lam)[cell_of_row]
            return out
        u = x @ lam
        hess = x.T @ (x * (w_cell * slope_of(u))[:, None])
        step = np.linalg.pinv(hess, rcond=256 * np.finfo(float).eps) @ misfit
        t = 1.0
        while t > 1e-10:
            trial = misfit_of(lam + t * step)
            if np.all(np.isfinite(trial)) and float(trial @ trial) < float(misfit @ misfit):
                break
            t /= 2
        lam = lam + t * step
        misfit = misfit_of(lam)
    gap = size_of(misfit)
    bound_text = "" if bounds is None else f" with g in {bounds}"
    message = (
        f"{method} calibration on {[m.column for m in margins]}{bound_text} did not converge "
        f"after {max_iter} iterations: the largest relative gap to a margin is {gap:.3g}; "
        "widen the bounds or merge small levels"
    )
    if strict:
        raise RakingDidNotConvergeError(message, iterations=max_iter, gap=gap)
    # As R's calibrate: a warning, and the weights of the last iterate (the
    # closest to the margins the bounds allow).
    warnings.warn(CalibrationWarning(message), stacklevel=3)
    last: FloatArray = weights * g_of(x @ lam)[cell_of_row]
    return last


UNBOUNDED = (1e-9, 1e9)  # bounds on g that never bind
CalibrationKind = Literal["raking", "linear", "logit", "poststratification"]


@dataclass(frozen=True)
class Calibration:
    """A design's calibration as data: margins ``{column: {level: total}}``, method, bounds.

    ``apply`` calibrates a design built on the same columns as R's ``calibrate(calfun =
    method, bounds = bounds)``: ``"raking"`` by the bounded raking of ``Design.rake``,
    ``"linear"``/``"logit"`` by ``Design.calibrate``; ``"poststratification"`` by
    ``Design.poststratify`` (one margin). Applied to final weights that already meet the
    margins, g = 1 and the weights do not move, but the variance becomes the calibrated
    one (residuals of the g-weighted regression on the margins' indicators, as R's
    ``calibrate``): this is how a stored wave's calibration reaches every estimate.
    """

    margins: Mapping[str, Mapping[str, float]]
    method: CalibrationKind = "raking"
    bounds: tuple[float, float] | None = None

    def apply(self, design: Design) -> Design:
        """The design calibrated to these margins (the columns must be in its data)."""
        if self.method == "poststratification":
            if len(self.margins) != 1:
                raise MarginError("post-stratification takes exactly one margin")
            ((column, totals),) = self.margins.items()
            return design.poststratify(column, totals)
        if self.method == "raking":
            # R's calibrate(calfun = "raking"): its variance projects on all the margins at
            # once, where rake's sequential post-stratifications do not. The bounded raking
            # solver (the weighting's own) is also 2-9 times faster per replicate than the
            # general Newton one; bounds this wide are no bounds.
            return design.rake(self.margins, bounds=self.bounds or UNBOUNDED)
        return design.calibrate(self.margins, method=self.method, bounds=self.bounds)

    @property
    def columns(self) -> tuple[str, ...]:
        """The margins' columns, in order."""
        return tuple(self.margins)
