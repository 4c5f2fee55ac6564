"""A small synthetic wave in the vocabulary.md format, for typology tests."""

from __future__ import annotations

import numpy as np
import polars as pl

from barometre.questionnaire.vocabulary import SECTORS
from barometre.questionnaire.vocabulary import SIZE_BANDS as SIZES

SCALE = ["inactive", "peu_active", "active", "tres_active"]


def wave(n: int = 1500, seed: int = 11, missing: float = 0.03) -> pl.DataFrame:
    """A wave where the leader's own activity drives the company's, sector less, leader age not."""
    rng = np.random.default_rng(seed)
    size = rng.choice(SIZES, n, p=[0.16, 0.23, 0.38, 0.18, 0.05])
    sector = rng.choice(SECTORS, n)
    leader = rng.choice(4, n, p=[0.4, 0.32, 0.18, 0.10])
    trained = rng.random(n) < 0.31
    team = rng.random(n) < 0.3
    young = rng.random(n) < 0.4
    sector_effect = np.isin(sector, ["commerce", "services", "tourisme_loisirs"]) * 0.4
    latent = (
        -1.6
        + 1.1 * leader
        + 0.9 * trained
        + 0.6 * team
        + sector_effect
        + 0.35 * young
        + rng.logistic(size=n)
    )
    activity = np.digitize(latent, [-0.2, 0.9, 2.4])
    late = rng.random(n) < np.where(activity >= 2, 0.25, 0.7)
    tempo = np.where(late, "en_retard", rng.choice(["bon_tempo", "en_avance"], n, p=[0.95, 0.05]))
    frame = pl.DataFrame(
        {
            "case_id": [f"C{i:05d}" for i in range(n)],
            "size_band": size,
            "sector": sector,
            "stratum": [f"{a}|{b}" for a, b in zip(size, sector, strict=True)],
            "weight": rng.uniform(5, 80, n).round(3),
            "activity": np.array(SCALE)[activity],
            "tempo": tempo,
            "leader_activity": np.array(SCALE)[leader],
            "staff_trained": np.where(trained, "yes", "no"),
            "marketing_team": np.where(team, "yes", "no"),
            "market": rng.choice(["b2b", "b2c", "both"], n, p=[0.53, 0.11, 0.36]),
            "spend": rng.choice(["zero", "lt_5k", "5k_10k", "10k_50k", "ge_50k"], n),
            "employee_age": np.where(young, "under_40", "40_plus"),
            "leader_age": rng.choice(["under_40", "40_49", "50_59", "60_plus"], n),
        }
    )
    holes = {c: rng.random(n) < missing for c in ("activity", "tempo")}
    return frame.with_columns(
        [pl.when(pl.Series(h)).then(None).otherwise(pl.col(c)).alias(c) for c, h in holes.items()]
    )
