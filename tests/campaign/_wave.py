"""A small sampled wave in a store, for the lifecycle, codes and sending tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from barometre.campaign.sampling import SampleDesign, draw_sample
from barometre.campaign.storage import store_frame_and_sample
from barometre.store import Store

from .sirene_files import luhn_siren


def small_frame(n: int) -> pl.DataFrame:
    """`n` companies of one sector, two size bands, with a postal address."""
    return pl.DataFrame(
        {
            "siren": [luhn_siren(7000 + i) for i in range(n)],
            "name": [f"SOCIETE {i}" for i in range(n)],
            "naf": ["62.01Z"] * n,
            "sector": ["services"] * n,
            "headcount_code": ["12"] * n,
            "size_band": ["20-49" if i % 2 else "10-19" for i in range(n)],
            "category": ["PME"] * n,
            "street": ["1 RUE DE LA PAIX"] * n,
            "postcode": ["69002"] * n,
            "city": ["LYON"] * n,
            "region": ["84"] * n,
        }
    )


def sampled_wave(store: Store, name: str = "2026", n: int = 12, frame_n: int = 30) -> int:
    """A draft wave named `name` with a sample of `n` companies, each with an e-mail."""
    frame = small_frame(frame_n)
    sample = draw_sample(frame, SampleDesign(n=n, seed=4))
    contacts = frame.select(
        "siren",
        email=pl.format("dirigeant{}@pme.example", "siren"),
        person_name=pl.lit("Madame Marie Durand"),
    )
    wave_id = store.create_wave(name, "bpi2018").id
    store_frame_and_sample(store, wave_id, frame, sample, contacts)
    return wave_id


class Mailbox:
    """Every message a local SMTP server accepted (250), by recipient."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def per_address(self) -> dict[str, int]:
        """How many messages each address received."""
        counts: dict[str, int] = {}
        for envelope in self.envelopes:
            for address in envelope.rcpt_tos:
                counts[address] = counts.get(address, 0) + 1
        return counts


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(handler: object) -> Iterator[int]:
    """A real aiosmtpd server on 127.0.0.1 running `handler`; yields its port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
