"""A testing helper: small synthetic waves in the wave dataset format, in one call.

For tests, notebooks and benchmarks of the report that need a wave without the whole chain
(frame, sample, returns, weighting: see `barometre.synth` and the demo for that). Answers follow
loose versions of the study's patterns (activity rises with size and the leader's own
activity; services more active than industry) so that charts have something to say; the
weights are design-like (population / respondents per size band, jittered). The numbers mean
nothing beyond that.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from barometre.questionnaire.vocabulary import SECTORS
from barometre.questionnaire.vocabulary import SIZE_BANDS as SIZES

SIZE_MIX = (0.16, 0.23, 0.38, 0.18, 0.05)
SECTOR_MIX = (0.2, 0.06, 0.14, 0.2, 0.06, 0.06, 0.28)
# Firms per size band in the population, to give weights a realistic spread.
POPULATION = {"0-9": 60000, "10-19": 30000, "20-49": 25000, "50-249": 12000, "250+": 2500}


def example_wave(n: int = 400, seed: int = 1, shift: float = 0.0) -> pl.DataFrame:
    """A wave of `n` respondents; `shift` moves activity up (to fake a later wave)."""
    rng = np.random.default_rng(seed)
    size = rng.choice(SIZES, n, p=SIZE_MIX)
    sector = rng.choice(SECTORS, n, p=SECTOR_MIX)
    size_rank = np.array([SIZES.index(s) for s in size])
    lively = np.isin(sector, ["commerce", "tourisme_loisirs", "services"]).astype(float)
    leader = rng.choice(
        ["inactive", "peu_active", "active", "tres_active"], n, p=[0.4, 0.32, 0.2, 0.08]
    )
    leader_rank = np.array(
        [["inactive", "peu_active", "active", "tres_active"].index(x) for x in leader]
    )
    propensity = -1.2 + 0.25 * size_rank + 0.6 * lively + 0.7 * leader_rank + shift
    score = propensity + rng.logistic(size=n)
    activity = np.select(
        [score < -0.3, score < 0.8, score < 2.2],
        ["inactive", "peu_active", "active"],
        "tres_active",
    )
    active = np.isin(activity, ["active", "tres_active"])
    present = (rng.random(n) < 0.45 + 0.5 * (activity != "inactive")).astype(bool)
    nets = {}
    for name, p in (
        ("facebook", 0.8),
        ("linkedin", 0.52),
        ("twitter", 0.27),
        ("youtube", 0.24),
        ("instagram", 0.18),
    ):
        yes = present & (rng.random(n) < p)
        nets[f"net_{name}"] = np.where(yes, "yes", "no")
    # Every present firm has at least one account.
    none = present & np.all([nets[k] == "no" for k in nets], axis=0)
    nets["net_facebook"] = np.where(none, "yes", nets["net_facebook"])
    tempo = np.where(rng.random(n) < 0.35 + 0.35 * active, "bon_tempo", "en_retard")
    tempo = np.where(rng.random(n) < 0.03, "en_avance", tempo)
    cols: dict[str, object] = {
        "case_id": [f"C{seed:02d}{i:05d}" for i in range(n)],
        "website": rng.choice(["vitrine", "marchand", "aucun"], n, p=[0.6, 0.15, 0.25]),
        **nets,
        "activity": activity,
        "tempo": tempo,
        "strategy": np.where(rng.random(n) < 0.15 + 0.4 * active, "yes", "no"),
        "spend": rng.choice(
            ["zero", "lt_5k", "5k_10k", "10k_50k", "ge_50k"], n, p=[0.4, 0.28, 0.12, 0.14, 0.06]
        ),
        "staff_trained": np.where(rng.random(n) < 0.15 + 0.35 * active, "yes", "no"),
        "marketing_team": np.where(rng.random(n) < 0.2 + 0.1 * size_rank, "yes", "no"),
        "competitive_edge": np.where(rng.random(n) < 0.63, "yes", "no"),
        "leader_activity": leader,
        "size_band": size,
        "sector": sector,
        "market": rng.choice(["b2b", "b2c", "both"], n, p=[0.53, 0.11, 0.36]),
        "region": rng.choice(
            ["11", "84", "75", "44", "outre_mer"], n, p=[0.3, 0.25, 0.2, 0.2, 0.05]
        ),
        "employee_age": rng.choice(["under_40", "40_plus"], n),
        "leader_age": rng.choice(["under_40", "40_49", "50_59", "60_plus"], n),
        "growth": rng.choice(["down", "stable", "up"], n),
        "headcount": rng.integers(1, 500, n).astype(float),
        "comment": [None] * n,
    }
    df = pl.DataFrame(cols)
    for qid, rates, only_present in (
        (
            "managed_by",
            {"leader": 0.35, "marketing_team": 0.3, "employee": 0.3, "agency": 0.1, "nobody": 0.05},
            True,
        ),
        (
            "actions",
            {
                "company_news": 0.7,
                "market_watch": 0.55,
                "share_content": 0.5,
                "photos": 0.4,
                "recruit": 0.3,
                "prospect": 0.25,
                "customer_service": 0.15,
                "advertising": 0.2,
            },
            True,
        ),
        (
            "objectives",
            {
                "visibility": 0.7,
                "brand_image": 0.6,
                "new_customers": 0.45,
                "loyalty": 0.3,
                "recruitment": 0.25,
                "employer_brand": 0.2,
                "market_watch": 0.3,
                "sales": 0.2,
            },
            True,
        ),
        (
            "obstacles",
            {
                "lack_time": 0.84,
                "not_priority": 0.7,
                "lack_skills": 0.57,
                "no_interest_visibility": 0.4,
                "too_costly": 0.33,
                "data_fear": 0.2,
            },
            False,
        ),
    ):
        for code, p in rates.items():
            chosen = (rng.random(n) < p).astype(np.int8)
            values = [
                None if only_present and not pr else int(c)
                for c, pr in zip(chosen, present, strict=True)
            ]
            df = df.with_columns(pl.Series(f"{qid}__{code}", values, dtype=pl.Int8))
    # A few unanswered tempo questions: not classified in the typology.
    df = df.with_columns(
        pl.when(pl.int_range(pl.len()) % 97 == 5)
        .then(None)
        .otherwise(pl.col("tempo"))
        .alias("tempo")
    )
    counts = df.group_by("size_band").len()
    per_size = {
        r["size_band"]: POPULATION[r["size_band"]] / r["len"] for r in counts.iter_rows(named=True)
    }
    df = df.with_columns(
        (pl.col("size_band") + "|" + pl.col("sector")).alias("stratum"),
        pl.col("size_band")
        .replace_strict(per_size, return_dtype=pl.Float64)
        .alias("design_weight"),
    )
    jitter = rng.uniform(0.8, 1.25, n)
    df = df.with_columns((pl.col("design_weight") * pl.Series(jitter)).alias("weight"))
    return df.with_columns(pl.Series("present", np.where(present, "yes", "no")))
