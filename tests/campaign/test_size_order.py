"""The campaign's commands list strata with size bands in their natural order, not as text."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from barometre.campaign.aapor import campaign_rates
from barometre.campaign.sampling import SampleDesign, allocation_table, draw_sample
from barometre.cli import app
from barometre.questionnaire import load_builtin
from barometre.questionnaire.order import stratum_key
from barometre.questionnaire.vocabulary import SIZE_BANDS

# Text order would be 0-9, 10-19, 20-49, 250+, 50-249 and commerce before industrie.
SECTORS = ("industrie", "commerce")
STRATA = [f"{band}|{sector}" for band in SIZE_BANDS for sector in SECTORS]


def _frame() -> pl.DataFrame:
    rows = [
        {"siren": f"{100000000 + 1000 * k + i}", "size_band": band, "sector": sector}
        for k, (band, sector) in enumerate((b, s) for b in reversed(SIZE_BANDS) for s in SECTORS)
        for i in range(40)
    ]
    return pl.DataFrame(rows)


def _order_in(text: str) -> list[str]:
    """The strata of STRATA in the order a table printed them."""
    return sorted((s for s in STRATA if s in text), key=text.index)


def test_the_ordering_key_puts_250_plus_last() -> None:
    """stratum_key sorts size bands as numbers and sectors in the questionnaire's order."""
    shuffled = sorted(STRATA)
    assert shuffled != STRATA
    assert sorted(shuffled, key=stratum_key(load_builtin("bpi2018"))) == STRATA
    assert [s.split("|")[0] for s in sorted(shuffled, key=stratum_key(None))][-2:] == [
        "250+",
        "250+",
    ]


def test_allocation_table_and_rates_follow_the_size_order() -> None:
    """The allocation table and the AAPOR rates list 0-9 ... 250+, sectors as asked."""
    q = load_builtin("bpi2018")
    sample = draw_sample(_frame(), SampleDesign(n=100, seed=3))
    assert allocation_table(sample, q)["stratum"].to_list() == STRATA
    cases = sample.units["siren"].to_list()
    stratum_of = dict(zip(cases, sample.units["stratum"].to_list(), strict=True))
    rates = campaign_rates(dict.fromkeys(cases, "1.1"), stratum_of, questionnaire=q)
    assert [s.stratum for s in rates.strata] == STRATA


def test_sample_and_status_commands_print_strata_in_order(tmp_path: Path) -> None:
    """`campaign sample` and `campaign status` print 250+ after 50-249, sectors as asked."""
    frame_file = tmp_path / "frame.parquet"
    _frame().write_parquet(frame_file)
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    runner = CliRunner()
    sample = runner.invoke(
        app,
        ["campaign", "sample", str(frame_file), "--n", "100", "--wave", "w", "--url", url],
    )
    assert sample.exit_code == 0, sample.output
    assert _order_in(sample.output) == STRATA
    status = runner.invoke(app, ["campaign", "status", "--wave", "w", "--url", url, "--strata"])
    assert status.exit_code == 0, status.output
    # four tables (dispositions, response rates, cooperation, refusal and contact), each in
    # the same order
    titles = ("Taux de réponse par strate", "Coopération par strate", "Refus et contact par strate")
    tables = [status.output]
    for title in titles:
        assert title in tables[-1], status.output
        tables[-1:] = tables[-1].split(title, 1)
    assert [_order_in(part) for part in tables] == [STRATA] * 4
