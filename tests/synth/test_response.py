"""Non-response and the population's registry files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from barometre.synth import (
    PopulationMismatchError,
    generate_population,
    population_truth,
    response_propensity,
    simulate_returns,
    to_sirene,
)
from barometre.synth.identifiers import is_valid_siren
from barometre.synth.population import MULTIPLE
from barometre.synth.targets import RESPONDENT_SIZE_MIX


@pytest.fixture(scope="module")
def pop() -> pl.DataFrame:
    return generate_population(150_000, seed=7)


def _proportional_sample(pop: pl.DataFrame, n: int, seed: int) -> pl.DataFrame:
    """A proportional stratified sample by size band x sector (what the 2018 draw gives)."""
    rng = np.random.default_rng(seed)
    parts = []
    for _, group in pop.group_by(["size_band", "sector"], maintain_order=True):
        take = round(n * group.height / pop.height)
        rows = rng.choice(group.height, size=min(take, group.height), replace=False)
        parts.append(group[rows].select("siren", "size_band", "sector"))
    return pl.concat(parts)


def test_respondent_size_mix_close_to_2018(pop: pl.DataFrame) -> None:
    """From a proportional sample of 30,000 about 5.5 % return, split by size like 2018's
    16/23/38/18/5 % (within 2.5 points for each band: binomial SE about 1.2 points)."""
    sample = _proportional_sample(pop, 30_000, seed=1)
    returns = simulate_returns(sample, pop, seed=2)
    assert returns.height / sample.height == pytest.approx(0.055, abs=0.006)
    mix = dict(returns["size_band"].value_counts(normalize=True).iter_rows())
    for band, share in RESPONDENT_SIZE_MIX.items():
        assert mix[band] == pytest.approx(share, abs=0.025), band


def test_expected_mix_matches_2018_exactly(pop: pl.DataFrame) -> None:
    """Summing propensities over the whole population gives the 2018 mix within 1 point
    (no sampling noise) and a 5.5 % rate within 0.3 point."""
    p = response_propensity(pop)
    assert p.mean() == pytest.approx(0.055, abs=0.003)
    expected = pop.select("size_band").with_columns(p=pl.Series(p))
    mix = expected.group_by("size_band").agg(pl.col("p").sum() / p.sum())
    for band, share in mix.iter_rows():
        assert share == pytest.approx(RESPONDENT_SIZE_MIX[band], abs=0.01)


def test_weighting_matters(pop: pl.DataFrame) -> None:
    """Respondents over-represent 20-49 and ETI and under-represent firms under 10."""
    p = response_propensity(pop)
    frame_mix = dict(pop["size_band"].value_counts(normalize=True).iter_rows())
    assert RESPONDENT_SIZE_MIX["0-9"] < frame_mix["0-9"] - 0.1
    by_band = (
        pop.select("size_band")
        .with_columns(p=pl.Series(p))
        .group_by("size_band")
        .agg(pl.col("p").mean())
    )
    rates = dict(by_band.iter_rows())
    assert rates["20-49"] > 2 * rates["0-9"]


def test_active_firms_answer_more(pop: pl.DataFrame) -> None:
    """Within a size band, very active firms have a higher propensity than inactive ones."""
    p = pop.select("size_band", "activity").with_columns(p=pl.Series(response_propensity(pop)))
    rates = dict(
        p.filter(pl.col("size_band") == "20-49")
        .group_by("activity")
        .agg(pl.col("p").mean())
        .iter_rows()
    )
    assert rates["tres_active"] > rates["active"] > rates["peu_active"] > rates["inactive"]


def test_propensity_needs_known_size_band() -> None:
    """A size band outside the vocabulary is refused with a message naming it."""
    with pytest.raises(ValueError, match="12-15"):
        response_propensity(pl.DataFrame({"size_band": ["12-15"]}))


def test_returns_are_reproducible_and_keep_sample_columns(pop: pl.DataFrame) -> None:
    """Same seed, same respondents; the sample's own columns are kept."""
    sample = pop.head(5000).select("siren", pl.lit("s1").alias("stratum"))
    a = simulate_returns(sample, pop, seed=3)
    b = simulate_returns(sample, pop, seed=3)
    assert a.equals(b)
    assert {"siren", "stratum", "activity", "obstacles__lack_time"} <= set(a.columns)


def test_unknown_sirens_are_reported(pop: pl.DataFrame) -> None:
    """Sampled sirens missing from the population raise PopulationMismatchError."""
    sample = pl.DataFrame({"siren": ["552032534"]})
    with pytest.raises(PopulationMismatchError, match="552032534"):
        simulate_returns(sample, pop, seed=1)


def test_to_sirene_frame_filters_back_to_population(pop: pl.DataFrame, tmp_path: Path) -> None:
    """Writing the population and applying the study's filters gives back its sirens."""
    small = pop.head(4000)
    files = to_sirene(small, tmp_path, seed=1, out_of_scope_share=0.3)
    ul = pl.read_csv(files.unites_legales, infer_schema=False)
    assert files.n_units == ul.height == round(4000 / 0.7)
    fin = pl.read_csv(files.financials, schema_overrides={"siren": pl.Utf8})
    kept = (
        ul.filter(pl.col("etatAdministratifUniteLegale") == "A")
        .filter(
            ~pl.col("activitePrincipaleUniteLegale")
            .str.slice(0, 2)
            .is_in(["01", "02", "03", "64", "65", "66", "84"])
        )
        .join(fin, on="siren")
        .filter(pl.col("turnover").is_between(2_000_000, 1_500_000_000))
    )
    assert set(kept["siren"].to_list()) == set(small["siren"].to_list())
    assert all(is_valid_siren(s) for s in ul["siren"].to_list())


def test_to_sirene_reports_bad_rows(pop: pl.DataFrame, tmp_path: Path) -> None:
    """Bad rows asked of `to_sirene` are injected and reported with their line."""
    files = to_sirene(pop.head(2000), tmp_path, seed=1, bad_rows=6)
    lines = files.unites_legales.read_text(encoding="utf-8").splitlines()
    assert len(files.bad_rows) == 6
    assert all(lines[b.line - 1].startswith(b.siren + ",") for b in files.bad_rows)


def test_weighted_estimates_recover_the_truth(pop: pl.DataFrame) -> None:
    """Post-stratified by size x sector, about 1,650 returns give 95 % intervals covering the
    population truth for at least 90 % of the indicators (4 waves pooled): the residual
    bias left by the activity effect on returns stays small.

    Interval: weighted share +- 1.96 SE, SE from the binomial formula times Kish's design
    effect of unequal weights, 1 + cv(w)^2 (a simple stand-in for the stats package).
    """
    truth = population_truth(pop)
    grouped = {
        "active_or_tres_active",
        "inactive_or_peu_active",
        "under_10k",
        "10k_or_more",
        "bon_tempo_or_en_avance",
    }
    indicators = [
        i
        for i in truth.indicators
        if i.code not in grouped
        and i.question not in ("size_band", "sector", "typology")
        and 0.02 < i.share < 0.98
    ]
    cells = pop.group_by("size_band", "sector").len("N")
    covered = []
    for wave in range(4):
        sample = _proportional_sample(pop, 30_000, seed=10 + wave)
        returns = simulate_returns(sample, pop, seed=20 + wave)
        returns = returns.join(cells, on=["size_band", "sector"]).with_columns(
            w=pl.col("N") / pl.len().over("size_band", "sector")
        )
        weights = returns["w"].to_numpy()
        deff = 1 + (weights.std() / weights.mean()) ** 2
        present = returns.filter(pl.col("present") == "yes")
        for ind in indicators:
            frame = present if ind.base == "present" else returns
            column = f"{ind.question}__{ind.code}" if ind.question in MULTIPLE else ind.question
            value = 1 if ind.question in MULTIPLE else ind.code
            y = (frame[column] == value).fill_null(False).to_numpy()
            w = frame["w"].to_numpy()
            share = float((w * y).sum() / w.sum())
            se = np.sqrt(share * (1 - share) / len(y) * deff)
            covered.append(abs(share - ind.share) <= 1.96 * se)
    assert np.mean(covered) >= 0.90
