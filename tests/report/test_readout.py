"""Reader-facing read-outs: median headcount, tested size gaps, design effects, Hall's interval."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from scipy import stats as st

from barometre.report import WaveResults, read_results_json, write_results_json
from barometre.report.estimation import DesignInfo
from barometre.report.findings import gap_title, gap_verdict
from barometre.report.readout import gap_bands, headcount_summary, key_precision, size_gaps
from barometre.report.results import DomainGap
from barometre.report.results_json import results_from_mapping, to_dict
from barometre.report.skewed import hall_interval, skewed_mean
from barometre.report.testing import example_wave
from barometre.stats import Design
from barometre.stats.change import adjust_p_values

SIZES = ("0-9", "10-19", "20-49", "50-249", "250+")


@pytest.fixture(scope="module")
def design() -> Design:
    """The calibrated design of a synthetic wave of 800 respondents, with a skewed headcount."""
    wave = example_wave(800, seed=21)
    rng = np.random.default_rng(5)
    # Headcount as firms have it: most small, a long right tail.
    headcount = np.round(np.exp(rng.normal(2.8, 1.3, wave.height))) + 1
    wave = wave.with_columns(
        pl.Series("headcount", headcount),
        (pl.col("activity").is_in(["active", "tres_active"])).cast(pl.Float64).alias("active"),
        (pl.col("strategy") == "yes").cast(pl.Float64).alias("strategy_yes"),
    )
    return DesignInfo().design(wave)


def _skewed_sample(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame({"y": rng.lognormal(3.0, 1.2, n), "w": np.full(n, 12.5)})


def test_hall_interval_matches_a_hand_computation() -> None:
    """On a simple random sample, the corrected interval is Hall's formula on n - 1 df."""
    frame = _skewed_sample(60, seed=3)
    y = frame["y"].to_numpy()
    n = y.shape[0]
    ybar, s = y.mean(), y.std(ddof=1)
    se = s / math.sqrt(n)
    k3 = n * np.sum((y - ybar) ** 3) / ((n - 1) * (n - 2))
    kappa = k3 / s**3 / math.sqrt(n)  # the skewness of the mean: gamma / sqrt(n)
    q = st.t.ppf(0.975, n - 1)

    def t_of(u: float) -> float:
        return float(3 / kappa * (np.cbrt(1 + kappa * (u - kappa / 6)) - 1))

    got = skewed_mean(Design(frame, weights="w"), "y")
    assert got.estimate == pytest.approx(ybar, rel=1e-12)
    assert got.se == pytest.approx(se, rel=1e-12)
    assert got.skewness == pytest.approx(kappa, rel=1e-10)
    assert got.satterthwaite_df == pytest.approx(n - 1, rel=1e-12)
    assert got.skewed_ci_low == pytest.approx(ybar - se * t_of(q), rel=1e-10)
    assert got.skewed_ci_high == pytest.approx(ybar - se * t_of(-q), rel=1e-10)


def test_hall_interval_is_the_t_interval_without_skewness() -> None:
    """With zero skewness the corrected interval is estimate -/+ t(df) se."""
    lo, hi = hall_interval(10.0, 2.0, 0.0, 30)
    q = st.t.ppf(0.975, 30)
    assert (lo, hi) == pytest.approx((10 - 2 * q, 10 + 2 * q), rel=1e-14)
    assert hall_interval(10.0, 0.0, 0.4, 30) == (10.0, 10.0)
    assert hall_interval(10.0, 2.0, 0.4, 0) == (-math.inf, math.inf)


def test_corrected_interval_is_wider_on_the_right_for_right_skewed_data() -> None:
    """A lognormal sample's corrected interval reaches further above the mean than below."""
    frame = _skewed_sample(120, seed=8)
    got = skewed_mean(Design(frame, weights="w"), "y")
    assert got.skewness > 0
    above, below = got.skewed_ci_high - got.estimate, got.estimate - got.skewed_ci_low
    assert above > 1.1 * below
    assert got.skewed_ci_high > got.ci_high
    mirrored = skewed_mean(Design(frame.with_columns(-pl.col("y")), weights="w"), "y")
    assert mirrored.skewed_ci_low == pytest.approx(-got.skewed_ci_high, rel=1e-10)


def test_stratified_se_and_estimate_are_the_designs(design: Design) -> None:
    """On the calibrated stratified design, the skewed mean keeps R's estimate, SE and CI."""
    plain = design.mean("headcount")
    got = skewed_mean(design, "headcount")
    assert (got.estimate, got.se, got.ci_low, got.ci_high) == (
        plain.estimate,
        plain.se,
        plain.ci_low,
        plain.ci_high,
    )
    # Large firms' strata carry the variance: Satterthwaite's df is far below n - strata.
    assert 1 < got.satterthwaite_df < got.df
    assert got.skewed_ci_high - got.estimate > got.estimate - got.skewed_ci_low


def test_headcount_summary_gives_median_with_its_ci_and_both_mean_intervals(
    design: Design,
) -> None:
    """The median is Design.quantile's (R svyquantile), the mean has both intervals."""
    got = headcount_summary(design)
    assert got is not None
    median = design.quantile("headcount", 0.5)
    assert (got.median, got.median_ci_low, got.median_ci_high) == (
        median.estimate,
        median.ci_low,
        median.ci_high,
    )
    assert got.median_ci_low is not None and got.median_ci_high is not None
    assert got.median_ci_low <= got.median <= got.median_ci_high
    assert got.mean is not None and got.median < got.mean  # a right-skewed variable
    assert got.deff == pytest.approx(design.mean("headcount").deff, rel=1e-12)
    assert headcount_summary(design, "no_such_column") is None


def test_gap_bands_pass_over_bands_below_the_minimum_base() -> None:
    """The gap is the largest band minus the smallest, both with a base of at least min_base."""
    bases = {"0-9": 12, "10-19": 80, "20-49": 150, "50-249": 60, "250+": 9}
    assert gap_bands(SIZES, bases, 30) == (("50-249", "10-19"),)
    assert gap_bands(SIZES, {"20-49": 150, "0-9": 3}, 30) == ()


def test_size_gaps_are_contrasts_adjusted_by_holm(design: Design) -> None:
    """Each gap is Design.contrast's, its p-value Holm-adjusted across the family."""
    columns = {"active": "active", "strategy": "strategy_yes"}
    counts = design.data.group_by("size_band").len()
    band_n = {r["size_band"]: r["len"] for r in counts.iter_rows(named=True)}
    bases = {k: band_n for k in columns}
    gaps = size_gaps(design, columns, bases, SIZES, 30)
    assert [g.indicator_id for g in gaps] == ["active", "strategy"]
    for g in gaps:
        c = design.contrast(columns[g.indicator_id], by="size_band", a=g.domain_a, b=g.domain_b)
        assert (g.difference, g.ci_low, g.ci_high) == (c.estimate, c.ci_low, c.ci_high)
        assert g.p_value == pytest.approx(2 * st.t.sf(abs(c.estimate / c.se), c.df), rel=1e-12)
        means = design.by("size_band").mean(columns[g.indicator_id])
        assert g.share_a - g.share_b == pytest.approx(g.difference, abs=1e-12)
        assert g.share_a == pytest.approx(means[g.domain_a].estimate, rel=1e-12)
    assert [g.p_adjusted for g in gaps] == adjust_p_values([g.p_value for g in gaps], "holm")
    assert all(g.p_adjusted >= g.p_value for g in gaps)


def test_key_precision_is_the_design_effect_and_n_over_it(design: Design) -> None:
    """deff is R svymean's (Design.mean().deff) and the effective size n / deff."""
    (got,) = key_precision(design, {"active": "active"}, {"active": design.n})
    assert got.deff == pytest.approx(design.mean("active").deff, rel=1e-12)
    assert got.effective_n == pytest.approx(design.n / got.deff, rel=1e-12)
    assert got.deff > 1  # weights of unequal size cost precision


def _gap(p_adjusted: float) -> DomainGap:
    return DomainGap(
        "activity", "size_band", "250+", "0-9", 0.55, 0.31, 0.24, 0.05, 0.14, 0.34,
        p_adjusted / 3, p_adjusted, 40, 200,
    )  # fmt: skip


def test_gap_verdict_says_significant_only_below_005_after_holm() -> None:
    """ "écart significatif" below an adjusted p of 0.05, "pas d'écart établi" at or above."""
    assert gap_verdict(_gap(0.049), "fr") == "écart significatif"
    assert gap_verdict(_gap(0.05), "fr") == "pas d'écart établi"
    assert gap_verdict(_gap(0.3), "en") == "no gap established"
    title = gap_title("Active", _gap(0.01), "250 et plus", "Moins de 10", "fr")
    assert title == (
        "Active : 55\u202f% (250 et plus) contre 31\u202f% (Moins de 10), "
        "écart significatif de +24,0 points"
    )
    assert gap_title("Active", _gap(0.2), "250+", "0-9", "en").endswith(", no gap established")


def test_wave_results_carry_the_readouts(results: WaveResults) -> None:
    """compute_results fills headcount, size gaps (Holm over the key shares) and precision."""
    assert results.headcount is not None and results.headcount.n > 0
    assert results.size_gaps and {g.variable for g in results.size_gaps} == {"size_band"}
    assert {g.adjustment for g in results.size_gaps} == {"holm"}
    key = {p.indicator_id for p in results.precision}
    assert "presence_any" in key and "activity.active_or_tres_active" in key
    share = results.indicator("presence_any").share
    got = next(p for p in results.precision if p.indicator_id == "presence_any")
    assert got.estimate == pytest.approx(share.estimate, abs=1e-12)
    assert got.n == share.n


def test_results_json_keeps_the_readouts_and_reads_older_files(
    results: WaveResults, tmp_path: Path
) -> None:
    """results.json round-trips the read-outs; a file written before them still reads."""
    path = write_results_json(results, tmp_path / "results.json")
    back = read_results_json(path)
    assert back.headcount == results.headcount and back.size_gaps == results.size_gaps
    assert back.precision == results.precision
    older: dict[str, Any] = json.loads(json.dumps(to_dict(results)))
    for key in ("headcount", "size_gaps", "precision"):
        del older[key]
    read = results_from_mapping(older)
    assert read.headcount is None and read.size_gaps == () and read.precision == ()
    assert dataclasses.replace(read, headcount=results.headcount) != read


def _table_rows(html: str, caption: str) -> list[list[str]]:
    start = html.index(f"<caption>{caption}")
    body = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in rows]
    return [[_plain(re.sub(r"<[^>]+>", "", c)) for c in row] for row in cells if row]


def _plain(text: str) -> str:
    # French spacing puts (narrow) no-break spaces before ":" and "%": compare words only.
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


def test_french_report_shows_precision_and_tested_gaps(html_fr: str, results: WaveResults) -> None:
    """The annex has "Précision des indicateurs clés"; gaps say significant only after Holm."""
    html_fr = unescape(html_fr)
    assert "Précision des indicateurs clés" in html_fr
    assert "Écarts entre tailles d'entreprise" in html_fr
    assert "Effectif médian" in html_fr
    rows = _table_rows(html_fr, "Écarts entre tailles d'entreprise")[1:]
    assert len(rows) == len(results.size_gaps)
    by_label = {r[0]: r[-1] for r in rows}
    for g in results.size_gaps:
        expected = "écart significatif" if g.p_adjusted < 0.05 else "pas d'écart établi"
        assert by_label[_plain(results.indicator(g.indicator_id).label_fr)] == expected
    precision = _table_rows(html_fr, "Précision des indicateurs clés")[1:]
    assert len(precision) == len(results.precision)
    deff = next(p for p in results.precision if p.indicator_id == "presence_any").deff
    assert f"{deff:.2f}".replace(".", ",") in {r[2] for r in precision}


def test_a_headcount_the_design_cannot_read_is_left_out_with_a_note(questionnaire: Any) -> None:
    """A text headcount leaves `headcount` None and says why; a missing one says nothing."""
    from barometre.report import compute_results

    wave = example_wave(300, seed=4)
    quick = {"with_typology": False, "with_drivers": False, "explorer": False}
    texts = wave.with_columns(pl.col("headcount").cast(pl.String))
    got = compute_results(texts, questionnaire, **quick)  # type: ignore[arg-type]
    assert got.headcount is None
    assert any(n.startswith("headcount:") for n in got.notes)
    assert got.size_gaps and got.precision
    absent = compute_results(wave.drop("headcount"), questionnaire, **quick)  # type: ignore[arg-type]
    assert absent.headcount is None and not any("headcount" in n for n in absent.notes)
