"""Fit the answer model's intercepts and thresholds so that population margins hit the
targets (`targets.py`).

The fit runs on a reference population of in-scope firms, drawn with a fixed seed, and
reuses the same random draws at every step (common random numbers), so each update is
a smooth function of the parameters: binary intercepts move by logit(target) -
logit(current), ordinal thresholds are the latent's quantiles at the target cumulative
shares. A few dozen passes converge to a few 1e-4. The result is frozen in
`calibration.json` beside this module; `refreeze()` rebuilds it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from scipy.special import logit, ndtri

from barometre.questionnaire import vocabulary
from barometre.synth import mixes, model, targets
from barometre.synth.frame import draw_units, unit_blocks
from barometre.synth.model import FrameCodes, Parameters, Simulated

FROZEN = Path(__file__).with_name("calibration.json")
REFERENCE_UNITS = 400_000
REFERENCE_SEED = 2018

_ACTIVITY_CUM = (0.30, 0.64, 0.92)  # inactive includes the firms with no account at all
_LEADER_SHARES = tuple(targets.share("leader_activity", c) for c in vocabulary.SCALE4)
_SPEND_SHARES = tuple(targets.share("spend", c) for c in vocabulary.SPEND)
_GROWTH_CUM = (targets.share("growth", "down"), 1.0 - targets.share("growth", "up"))


def reference_frame(n_units: int = REFERENCE_UNITS, seed: int = REFERENCE_SEED) -> FrameCodes:
    """The frame codes of the reference population used for calibration."""
    blocks = [
        draw_units(seed, block, n, {"in_scope": 1.0}, stream=7) for block, n in unit_blocks(n_units)
    ]
    units = pl.concat(blocks)
    return model.frame_codes(
        units["size_band"], units["sector"], units["market"], units["employees"]
    )


def _initial() -> Parameters:
    return Parameters(
        leader_thresholds=(0.0, 0.0, 0.0),
        under40=0.0,
        trained=-1.0,
        activity_thresholds=(-1.0, 0.5, 2.0),
        strategy=-1.0,
        spend_thresholds=(-1.0, 0.5, 1.0, 2.0),
        website=(-1.5, -1.0),
        networks=(1.0, 0.0, -1.0, -1.0, -1.5),
        managed_by=(0.0, -1.0, -1.5),
        actions=(0.0,) * len(vocabulary.ACTIONS),
        objectives=(0.0,) * len(vocabulary.OBJECTIVES),
        obstacles=(0.0,) * len(vocabulary.OBSTACLES),
        competitive_edge=0.5,
        growth_thresholds=(-0.8, 0.2),
    )


def _step(value: float, target: float, current: float) -> float:
    current = min(max(current, 1e-6), 1 - 1e-6)
    return float(value + logit(target) - logit(current))


def _quantiles(latent: np.ndarray, cumulative: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(float(q) for q in np.quantile(latent, np.clip(cumulative, 1e-6, 1 - 1e-6)))


def calibration_pass(p: Parameters, sim: Simulated) -> Parameters:
    """One update of every intercept and threshold towards the targets."""
    present = sim.present
    p_share = float(present.mean())
    cum_spend = np.cumsum(_SPEND_SHARES)[:-1]
    # Firms without an account spend nothing; the rest of "zero" comes from present firms.
    cum_present = tuple(float(c) for c in (cum_spend - (1.0 - p_share)) / p_share)
    site = np.bincount(sim.website, minlength=3) / sim.website.shape[0]
    t_site = [targets.share("website", c) for c in vocabulary.WEBSITE]
    on_present = sim.networks[present].mean(axis=0)
    managed = sim.managed_by[present].mean(axis=0)
    return replace(
        p,
        # The stated activity is appetite + noise, a normal of known spread.
        leader_thresholds=tuple(
            float(np.sqrt(1.0 + model.LEADER_NOISE**2) * ndtri(c))
            for c in np.cumsum(_LEADER_SHARES)[:-1]
        ),  # type: ignore[arg-type]
        under40=_step(p.under40, targets.share("employee_age", "under_40"), sim.under40.mean()),
        trained=_step(p.trained, 1.0 - targets.share("staff_trained", "no"), sim.trained.mean()),
        activity_thresholds=_quantiles(sim.activity_latent, _ACTIVITY_CUM),  # type: ignore[arg-type]
        strategy=_step(p.strategy, 1.0 - targets.share("strategy", "no"), sim.strategy.mean()),
        spend_thresholds=_quantiles(sim.spend_latent[present], cum_present),  # type: ignore[arg-type]
        website=(
            float(p.website[0] + np.log(t_site[1] / site[1]) - np.log(t_site[0] / site[0])),
            float(p.website[1] + np.log(t_site[2] / site[2]) - np.log(t_site[0] / site[0])),
        ),
        networks=tuple(
            _step(b, targets.share(f"net_{net}", "yes"), float(c))
            for b, net, c in zip(p.networks, model.NETWORKS, on_present, strict=True)
        ),  # type: ignore[arg-type]
        managed_by=(
            _step(
                p.managed_by[0],
                targets.share("managed_by", "leader") / p_share,
                float(managed[0]),
            ),
            _step(p.managed_by[1], targets.share("managed_by", "employee"), float(managed[2])),
            _step(p.managed_by[2], targets.share("managed_by", "agency"), float(managed[3])),
        ),
        actions=tuple(
            _step(b, targets.share("actions", code), float(c))
            for b, code, c in zip(
                p.actions, vocabulary.ACTIONS, sim.actions[present].mean(axis=0), strict=True
            )
        ),
        objectives=tuple(
            _step(b, targets.share("objectives", code), float(c))
            for b, code, c in zip(
                p.objectives,
                vocabulary.OBJECTIVES,
                sim.objectives[present].mean(axis=0),
                strict=True,
            )
        ),
        obstacles=tuple(
            _step(b, targets.share("obstacles", code), float(c))
            for b, code, c in zip(
                p.obstacles, vocabulary.OBSTACLES, sim.obstacles.mean(axis=0), strict=True
            )
        ),
        competitive_edge=_step(
            p.competitive_edge,
            targets.share("competitive_edge", "yes"),
            sim.competitive_edge.mean(),
        ),
        growth_thresholds=_quantiles(sim.growth_latent, _GROWTH_CUM),  # type: ignore[arg-type]
    )


def parameter_distance(a: Parameters, b: Parameters) -> float:
    """The largest absolute difference between two parameter sets."""
    va = np.concatenate([np.atleast_1d(np.asarray(v, dtype=float)) for v in asdict(a).values()])
    vb = np.concatenate([np.atleast_1d(np.asarray(v, dtype=float)) for v in asdict(b).values()])
    return float(np.max(np.abs(va - vb)))


def calibrate(
    n_units: int = REFERENCE_UNITS, seed: int = REFERENCE_SEED, max_passes: int = 60
) -> Parameters:
    """Fit the parameters on a reference population; stops when a pass moves < 1e-4."""
    frame = reference_frame(n_units, seed)
    params = _initial()
    for passes in range(max_passes):
        new = calibration_pass(params, model.simulate(frame, params, seed))
        moved = parameter_distance(new, params)
        # Half steps after the first passes: with common random numbers a share is a
        # step function of its intercept, and full steps can cycle between two values.
        params = new if passes < 8 else _blend(params, new)
        if moved < 1e-4:
            break
    sim = model.simulate(frame, params, seed)
    return replace(params, response_by_size=_response_rates(frame, sim))


def _response_rates(frame: FrameCodes, sim: Simulated) -> tuple[float, float, float, float, float]:
    """Base return rate per size band so that a proportional sample's respondents
    split by size as in 2018 (16/23/38/18/5 %), with the 2018 return rate overall."""
    multiplier = model.response_multiplier(frame.sector, sim.activity, frame.size.shape[0])
    rates = []
    for band, code in enumerate(mixes.SIZE_BANDS):
        in_band = frame.size == band
        share = float(in_band.mean())
        mean_multiplier = float(multiplier[in_band].mean())
        rates.append(
            targets.RETURN_RATE * targets.RESPONDENT_SIZE_MIX[code] / (share * mean_multiplier)
        )
    return (rates[0], rates[1], rates[2], rates[3], rates[4])


def _blend(old: Parameters, new: Parameters) -> Parameters:
    fields: dict[str, Any] = {}
    for key, a in asdict(old).items():
        b = asdict(new)[key]
        if isinstance(a, tuple | list):
            fields[key] = tuple((x + y) / 2 for x, y in zip(a, b, strict=True))
        else:
            fields[key] = (a + b) / 2
    return Parameters(**fields)


def save_parameters(params: Parameters, path: Path = FROZEN) -> None:
    """Write parameters as JSON (the frozen calibration shipped with the package)."""
    path.write_text(json.dumps(asdict(params), indent=2) + "\n", encoding="utf-8")


def parameters_from_dict(data: dict[str, object]) -> Parameters:
    """Parameters from their JSON form (lists become tuples)."""
    fields = {
        key: tuple(float(x) for x in value) if isinstance(value, list) else float(value)  # type: ignore[arg-type]
        for key, value in data.items()
    }
    return Parameters(**fields)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def frozen_parameters() -> Parameters:
    """The calibrated parameters shipped with the package."""
    return parameters_from_dict(json.loads(FROZEN.read_text(encoding="utf-8")))


def refreeze() -> Path:
    """Refit the model and overwrite the frozen parameters (after changing the model)."""
    save_parameters(calibrate())
    frozen_parameters.cache_clear()
    return FROZEN
