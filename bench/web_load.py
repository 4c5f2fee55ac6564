"""Load test of the web app: concurrent respondents over loopback, then a zero-loss check.

    uv run python bench/web_load.py [--concurrency 200] [--respondents 600] [--no-views]

Starts `barometre serve` on a throw-away SQLite store (or --url) on 127.0.0.1, plays
`--concurrency` respondents at a time (httpx async, one cookie jar each) who enter by their
personal link and submit page after page, pausing `--think` seconds on average on each page;
some retry a page as after a lost response, some double-submit the last page from two tabs;
then each opens their diagnostic. Afterwards it reads the store and checks that every
acknowledged answer is stored exactly once.
Prints throughput and p50/p99 latencies of page submits, page views and diagnostics, the
server's peak memory, and the ratio to a baseline (static file requests, same concurrency).
Bounded: the whole run stops after --max-seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from barometre.questionnaire import load_builtin
from barometre.store import open_store
from barometre.web.testing import open_wave_with_invitations, random_answers

RAMP_SECONDS = 2.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Timings:
    """Latencies (seconds) of one kind of request."""

    values: list[float] = field(default_factory=list)
    transport_retries: int = 0

    def add(self, seconds: float) -> None:
        self.values.append(seconds)

    def line(self, name: str, wall: float) -> str:
        if not self.values:
            return f"{name:<22} none"
        v = sorted(self.values)
        p50 = statistics.median(v) * 1000
        p99 = v[min(len(v) - 1, int(0.99 * len(v)))] * 1000
        return (
            f"{name:<22} {len(v):6d} requests  {len(v) / wall:7.1f}/s  "
            f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  max {v[-1] * 1000:7.1f} ms"
            f"  ({self.transport_retries} resent after a dropped connection)"
        )


@dataclass
class Run:
    views: bool = True  # GET every page after its redirect, as a browser does

    def merge(self, other: Run) -> None:
        for name in ("submits", "pages", "diagnostics", "entries"):
            mine, theirs = getattr(self, name), getattr(other, name)
            mine.values += theirs.values
            mine.transport_retries += theirs.transport_retries
        self.acknowledged.update(other.acknowledged)
        self.errors += other.errors

    submits: Timings = field(default_factory=Timings)
    pages: Timings = field(default_factory=Timings)
    diagnostics: Timings = field(default_factory=Timings)
    entries: Timings = field(default_factory=Timings)
    acknowledged: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


# What a browser retries by itself: the connection was closed before any answer came back
# (typically a keep-alive connection the server had just timed out).
RETRYABLE = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.ConnectError)


async def timed(timings: Timings, make: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
    start = time.perf_counter()
    for attempt in range(3):
        try:
            response = await make()
            break
        except RETRYABLE:
            if attempt == 2:
                raise
            timings.transport_retries += 1
    timings.add(time.perf_counter() - start)
    return response


@dataclass(frozen=True)
class Respondent:
    """One invited company and the answers it will give (drawn before the clock starts)."""

    case_id: str
    token: str
    answers: dict[str, Any]
    seed: float


async def respondent(
    tls: ssl.SSLContext,
    base: str,
    who: Respondent,
    sections: dict[str, list[str]],
    run: Run,
    think: float,
) -> None:
    rng = random.Random(who.seed)
    answers = who.answers
    # Its own client, cookie jar and connections, like a browser; the TLS context (which httpx
    # would otherwise build for every client, ~30 ms of CPU) is shared.
    transport = httpx.AsyncHTTPTransport(verify=tls)
    client = httpx.AsyncClient(base_url=base, timeout=60, transport=transport)
    r = await timed(run.entries, partial(client.get, f"/r/{who.token}"))
    r = await timed(run.entries, partial(client.get, r.headers["location"]))
    location = r.headers["location"]
    r = await timed(run.pages, partial(client.get, location))
    found = CSRF.search(r.text)
    if not found:
        run.errors.append(f"{who.case_id}: no CSRF token on {location}")
        return
    csrf = found.group(1)
    acknowledged: dict[str, Any] = {}
    while location.startswith("/q/"):
        await asyncio.sleep(rng.uniform(0, 2 * think))  # reading and answering the page
        page = location.removeprefix("/q/")
        data: dict[str, Any] = {"csrf_token": csrf, "nav": "next"}
        data.update({q: answers[q] for q in sections[page] if q in answers})
        tries = 2 if rng.random() < 0.05 else 1  # a retry, as after a lost response
        for _ in range(tries):
            r = await timed(run.submits, partial(client.post, location, data=data))
        if r.status_code != 303:
            run.errors.append(f"{who.case_id}: page {page} answered {r.status_code}")
            return
        acknowledged.update({q: answers[q] for q in sections[page] if q in answers})
        nxt = r.headers["location"]
        if nxt == "/merci" and rng.random() < 0.3:
            # Double submit of the last page from two tabs at once.
            twins = await asyncio.gather(
                timed(run.submits, partial(client.post, location, data=data)),
                timed(run.submits, partial(client.post, location, data=data)),
            )
            if any(t.headers.get("location") != "/merci" for t in twins):
                run.errors.append(f"{who.case_id}: double submit did not end on /merci")
        location = nxt
        if location.startswith("/q/") and run.views:
            await timed(run.pages, partial(client.get, location))
    r = await timed(run.diagnostics, partial(client.get, "/merci"))
    await client.aclose()
    if r.status_code != 200 or "/100" not in r.text:
        run.errors.append(f"{who.case_id}: diagnostic answered {r.status_code}")
        return
    run.acknowledged[who.case_id] = acknowledged


async def play(
    base: str, people: list[Respondent], concurrency: int, think: float, views: bool
) -> Run:
    run = Run(views=views)
    questionnaire = load_builtin("bpi2018")
    sections = {s.id: [q.id for q in s.questions] for s in questionnaire.sections}
    queue: asyncio.Queue[Respondent] = asyncio.Queue()
    for who in people:
        queue.put_nowait(who)
    tls = ssl.create_default_context()

    async def worker(delay: float) -> None:
        await asyncio.sleep(delay)  # respondents arrive over the ramp, not all in one instant
        while not queue.empty():
            who = queue.get_nowait()
            try:
                await respondent(tls, base, who, sections, run, think)
            except httpx.HTTPError as error:
                run.errors.append(f"{who.case_id}: {type(error).__name__}: {error}")

    await asyncio.gather(*(worker(RAMP_SECONDS * k / concurrency) for k in range(concurrency)))
    return run


def play_in_process(
    base: str, people: list[Respondent], concurrency: int, think: float, views: bool, limit: float
) -> tuple[Run, float]:
    """One load-client process: its respondents, and the CPU time it used."""
    cpu = time.process_time()
    run = asyncio.run(asyncio.wait_for(play(base, people, concurrency, think, views), limit))
    return run, time.process_time() - cpu


async def baseline(base: str, concurrency: int, total: int) -> float:
    """Requests per second for a static file at the same concurrency: the server's floor."""
    counter = iter(range(total))

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            for _ in counter:
                await client.get("/static/style.css")

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return total / (time.perf_counter() - start)


def check(url: str, wave_id: int, run: Run) -> list[str]:
    """Every acknowledged answer stored exactly once; one complete response per respondent."""
    problems: list[str] = []
    store = open_store(url, upgrade=False)
    questionnaire = load_builtin("bpi2018")
    numbers = {q.id for q in questionnaire.questions if q.type.value == "number"}
    for case_id, expected in run.acknowledged.items():
        response = store.response(wave_id, case_id)
        if response is None or response.status != "complete":
            problems.append(f"{case_id}: no complete response")
            continue
        want = {q: (float(v) if q in numbers else v) for q, v in expected.items()}
        got = {q: (float(v) if q in numbers else v) for q, v in response.answers.items()}  # type: ignore[arg-type]
        if got != want:
            problems.append(f"{case_id}: stored answers differ from the acknowledged ones")
    acknowledged = set(run.acknowledged)
    with store.engine.connect() as conn:
        answer_rows = dict(
            conn.execute(
                sa.text(
                    "SELECT s.case_id, COUNT(*) FROM answers a "
                    "JOIN responses r ON r.id = a.response_id "
                    "JOIN samples s ON s.id = r.sample_id WHERE r.wave_id = :w GROUP BY s.case_id"
                ),
                {"w": wave_id},
            ).all()
        )
        doubled_responses = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM (SELECT sample_id FROM responses WHERE wave_id = :w "
                "GROUP BY sample_id HAVING COUNT(*) > 1) d"
            ),
            {"w": wave_id},
        ).scalar_one()
        doubled_completes = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM (SELECT sample_id FROM dispositions "
                "WHERE wave_id = :w AND code = '1.1' GROUP BY sample_id HAVING COUNT(*) > 1) d"
            ),
            {"w": wave_id},
        ).scalar_one()
    for case_id, expected in run.acknowledged.items():
        if answer_rows.get(case_id, 0) != len(expected):
            problems.append(
                f"{case_id}: {answer_rows.get(case_id, 0)} answer rows for {len(expected)} answers"
            )
    if doubled_responses:
        problems.append(f"{doubled_responses} companies have two responses")
    if doubled_completes:
        problems.append(f"{doubled_completes} companies were recorded complete twice")
    unacknowledged = len(set(answer_rows) - acknowledged)
    if unacknowledged:
        print(
            f"note: {unacknowledged} respondent(s) stored answers the client never saw acknowledged"
        )
    store.close()
    return problems


def peak_rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _tree(pid: int) -> list[int]:
    """The process and its children (uvicorn's workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == pid:
                    children.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return [pid, *children]


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by a process and its children."""
    total = 0
    for p in _tree(pid):
        try:
            fields = _stat(p)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def tree_peak_rss_mb(pid: int) -> float:
    """The largest peak resident memory among a process and its children."""
    return max(peak_rss_mb(p) for p in _tree(pid))


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/static/style.css", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--respondents", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--url", help="store URL (default: a fresh SQLite file)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--no-views",
        action="store_true",
        help="do not GET each page after submitting the previous one (submits only)",
    )
    parser.add_argument(
        "--think", type=float, default=0.4, help="mean pause (s) before each page submit"
    )
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument(
        "--client-processes", type=int, default=2, help="load-client processes sharing the work"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="barometre-load-"))
    url = args.url or f"sqlite:///{tmp / 'load.sqlite'}"
    store = open_store(url)
    wave, codes = open_wave_with_invitations(
        store, f"load-{args.seed}", args.respondents, seed=args.seed
    )
    store.close()
    rng = random.Random(args.seed)
    questionnaire = load_builtin("bpi2018")
    people = [
        Respondent(c.case_id, c.token, random_answers(questionnaire, rng), rng.random())
        for c in codes
    ]
    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "BAROMETRE_SECRET_KEY": "load-test-" + "s" * 32}
    command = [str(Path(sys.executable).parent / "barometre"), "serve", "--url", url]
    command += ["--port", str(args.port), "--workers", str(args.workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    n = args.client_processes
    try:
        wait_until_up(base, time.monotonic() + 120)
        floor = asyncio.run(
            asyncio.wait_for(baseline(base, args.concurrency, 4000), args.max_seconds)
        )
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
            start = time.perf_counter()
            server_cpu = tree_cpu_seconds(server.pid)
            parts = pool.map(
                play_in_process,
                [base] * n,
                [people[k::n] for k in range(n)],
                [args.concurrency // n] * n,
                [args.think] * n,
                [not args.no_views] * n,
                [args.max_seconds] * n,
            )
            run, client_cpu = Run(), 0.0
            for part, cpu in parts:
                run.merge(part)
                client_cpu += cpu
            wall = time.perf_counter() - start
            server_cpu = tree_cpu_seconds(server.pid) - server_cpu
        rss = tree_peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    problems = check(url, wave.id, run) + run.errors

    # Not reformatted (fmt: skip below): the message reads as printed, one line of output.
    print(f"store {url.split(':')[0]}, {args.workers} server worker(s), {n} client process(es), "
          f"{args.concurrency} concurrent respondents, {len(codes)} in all, think time "
          f"{args.think} s mean, {'submits only' if args.no_views else 'page views too'}, "
          f"{wall:.1f} s")  # fmt: skip
    print(run.submits.line("page submits (POST)", wall))
    print(run.pages.line("page views (GET)", wall))
    print(run.diagnostics.line("diagnostics (GET)", wall))
    total = len(run.submits.values) + len(run.pages.values) + len(run.diagnostics.values)
    # Not reformatted (fmt: skip below): the message reads as printed, one line of output.
    print(f"all requests           {total / wall:7.1f}/s; baseline static file {floor:7.1f}/s "
          f"(ratio {total / wall / floor:.2f})")  # fmt: skip
    print(f"server peak memory     {rss:.0f} MB (largest server process)")
    per_request = 1000 * server_cpu / total
    # Not reformatted (fmt: skip below): the message reads as printed, one line of output.
    print(f"CPU used               server {server_cpu:.1f} s ({per_request:.2f} ms per request), "
          f"load client {client_cpu:.1f} s, over {wall:.1f} s of wall time")  # fmt: skip
    print(f"respondents completed  {len(run.acknowledged)} / {len(codes)}")
    if problems:
        print(f"ZERO-LOSS CHECK FAILED: {len(problems)} problem(s)")
        for p in problems[:20]:
            print("  ", p)
        return 1
    print("zero-loss check: every acknowledged answer stored exactly once, no response doubled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
