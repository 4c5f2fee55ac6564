"""Page-submit load with Debian's `wrk` (a C client far lighter than the server), then a
no-loss check, on SQLite and PostgreSQL with 1 and 2 server workers.

    uv run python bench/web_wrk.py [--seconds 10] [--connections 32] [--respondents 400]
                                   [--stores sqlite,postgresql] [--workers 1,2]

For each store and worker count: a fresh store with an open wave; `barometre serve` pinned
to CPU 0 and `wrk` to CPU 1 (`taskset`, when the machine has two cores or more); each
respondent's session is opened first (personal link, then the first page for its CSRF
token), then `wrk` POSTs the first questionnaire page (`bench/web_wrk.lua`), cycling over
the respondents, for `--seconds`. Reported: page submits/s, p50/p99 latency (wrk), server
CPU (its process tree, from /proc) and client CPU (wrk's rusage) per submit. Afterwards the
store is read: every respondent holds exactly the answers it sent, one response and one
"1.2" disposition (the no-loss check). PostgreSQL is a throw-away cluster of Debian's
server binaries, as in the test suite.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from barometre.store import open_store
from barometre.web.testing import csrf_of, open_wave_with_invitations

HERE = Path(__file__).parent
PAGE = {"website": "vitrine"}  # the first page's answer (bpi2018: "site")
SECRET = "wrk-bench-" + "s" * 32


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn's workers)."""
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == pid:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    total = 0
    for p in pids:
        try:
            fields = _stat(p)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / os.sysconf("SC_CLK_TCK")


def pinned(cpu: int, command: list[str]) -> list[str]:
    """`command` pinned to one CPU when the machine has more than one."""
    return ["taskset", "-c", str(cpu), *command] if (os.cpu_count() or 1) > 1 else command


def free_port() -> int:
    """A TCP port free on loopback now (other benches may share the machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def throwaway_postgres(workdir: Path) -> tuple[str, list[str]]:
    """A private PostgreSQL cluster on a free port: its URL and the command that stops it."""
    bindir = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]).parent
    prefix: list[str] = []
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(workdir, pg.pw_uid, pg.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = workdir / "data", free_port()
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    # The database server runs on the client's CPU, apart from the app server's: what the
    # bench measures is the app, and in use the database has cores (or a machine) of its own.
    subprocess.run(
        pinned(
            1,
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(workdir / "log"),
                "-w",
                "start",
                "-o",
                f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1",
            ],
        ),
        check=True,
        capture_output=True,
    )
    stop = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}", stop


def create_database(server: str, name: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return f"{server}/{name}"


def wait_up(base: str, server: subprocess.Popen[bytes], seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            if httpx.get(base + "/static/style.css", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def open_sessions(base: str, tokens: list[str]) -> list[tuple[str, str]]:
    """(Cookie header, CSRF token) of each respondent, in on its personal link."""
    sessions = []
    for token in tokens:
        with httpx.Client(follow_redirects=True, timeout=60) as client:
            page = client.get(f"{base}/r/{token}")
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            sessions.append((cookie, csrf_of(page.text)))
    return sessions


def lua_script(sessions: list[tuple[str, str]], folder: Path) -> Path:
    """`bench/web_wrk.lua` with the respondents' sessions written in front of it."""
    rows = ",\n".join(f'  {{"{c}", "{t}"}}' for c, t in sessions)
    body = "&".join(f"{k}={v}" for k, v in PAGE.items())
    script = folder / "submit.lua"
    script.write_text(
        f'sessions = {{\n{rows}\n}}\npage_body = "{body}"\n'
        + (HERE / "web_wrk.lua").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return script


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if found is None:
        raise SystemExit(f"wrk printed a latency this bench cannot read: {text!r}")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3.6e6}[unit]


def run_wrk(base: str, script: Path, seconds: int, connections: int) -> dict[str, float]:
    command = pinned(
        1,
        [
            "wrk",
            "-t",
            "1",
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--latency",
            "-s",
            str(script),
            base,
        ],
    )
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read() if process.stdout else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        # Anchored at the start of a line: "+/- Stdev" columns end in "%" too (a "62.50%"
        # followed by the next line's "Latency" read as the 50th percentile).
        "p50": _ms(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1)),  # type: ignore[union-attr]
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": 1 if errors else 0,
        "client_cpu": usage.ru_utime + usage.ru_stime,
    }


def surely_sent(case_ids: list[str], requests: int, connections: int) -> set[str]:
    """The cases whose submit wrk certainly had answered: the Lua script sends to session
    `i % n` for i = 1, 2, ...; of the sends, only each connection's last may be unanswered."""
    n = len(case_ids)
    return {case_ids[i % n] for i in range(1, max(requests - connections, 0) + 1)}


def no_loss(url: str, wave_id: int, case_ids: list[str], sent: set[str]) -> tuple[list[str], int]:
    """Every respondent holds exactly the page it sent, one response, one 1.2 disposition.

    A respondent whose submit was certainly answered must hold it; one that wrk never
    reached in a short run (fewer submits than respondents) may hold nothing, or else
    exactly the page. Returns the problems and how many respondents were not reached.
    """
    problems = []
    unreached = 0
    with open_store(url) as store:
        counts = store.response_counts(wave_id)
        present = 0
        for case in case_ids:
            response = store.response(wave_id, case)
            codes = [d.code for d in store.disposition_history(wave_id, case)]
            if response is None and case not in sent:
                unreached += 1
                if codes:
                    problems.append(f"case {case}: dispositions {codes} without a response")
                continue
            present += response is not None
            if response is None or response.answers != PAGE:
                problems.append(f"case {case}: {response.answers if response else None}")
            if codes != ["1.2"]:
                problems.append(f"case {case}: dispositions {codes}")
        if counts["partial"] + counts["complete"] != present:
            problems.append(f"{counts} responses for {present} respondents holding one")
    return problems, unreached


def one_run(url: str, workers: int, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    store = open_store(url)
    wave, codes = open_wave_with_invitations(store, "wrk", args.respondents, seed=2026)
    store.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(Path(sys.executable).parent / "barometre"),
        "serve",
        "--url",
        url,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    env = {**os.environ, "BAROMETRE_SECRET_KEY": SECRET}
    server = subprocess.Popen(pinned(0, command), env=env, stdout=subprocess.DEVNULL)
    try:
        wait_up(base, server)
        sessions = open_sessions(base, [c.token for c in codes])
        script = lua_script(sessions, folder)
        before = tree_cpu_seconds(server.pid)
        result = run_wrk(base, script, args.seconds, args.connections)
        result["server_cpu"] = tree_cpu_seconds(server.pid) - before
    finally:
        server.terminate()
        server.wait(timeout=60)
    case_ids = [c.case_id for c in codes]
    sent = surely_sent(case_ids, int(result["requests"]), args.connections)
    problems, unreached = no_loss(url, wave.id, case_ids, sent)
    result["problems"] = len(problems)
    result["unreached"] = unreached
    for p in problems[:10]:
        print("   ", p)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--respondents", type=int, default=400)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="barometre-wrk-"))
    pg_server, stop = (None, None)
    rows = []
    try:
        for kind in args.stores.split(","):
            for workers in (int(w) for w in args.workers.split(",")):
                if kind == "sqlite":
                    url = f"sqlite:///{tmp / f'wrk-{workers}.sqlite'}"
                else:
                    if pg_server is None:
                        # Its own top-level folder: the postgres user cannot enter `tmp`.
                        pg_dir = Path(tempfile.mkdtemp(prefix="barometre-wrk-pg-"))
                        pg_server, stop = throwaway_postgres(pg_dir)
                    url = create_database(pg_server, f"wrk_{workers}")
                r = one_run(url, workers, args, tmp)
                rows.append((kind, workers, r))
                print(
                    f"{kind:<10} {workers} worker(s): {r['rps']:.0f} submits/s, p50 "
                    f"{r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, server CPU "
                    f"{1000 * r['server_cpu'] / r['requests']:.2f} ms/submit, client CPU "
                    f"{1000 * r['client_cpu'] / r['requests']:.3f} ms/submit, non-3xx "
                    f"{r['bad']:.0f}, no-loss problems {r['problems']:.0f} "
                    f"({r['unreached']:.0f} respondents not reached)",
                    flush=True,
                )
    finally:
        if stop is not None:
            subprocess.run(stop, check=False, capture_output=True)
    print()
    print(
        "| store | workers | submits/s | p50 ms | p99 ms | server CPU ms/submit "
        "| client CPU ms/submit | non-3xx | no-loss problems | not reached |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for kind, workers, r in rows:
        print(
            f"| {kind} | {workers} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{1000 * r['server_cpu'] / r['requests']:.2f} | "
            f"{1000 * r['client_cpu'] / r['requests']:.3f} | {r['bad']:.0f} | "
            f"{r['problems']:.0f} | {r['unreached']:.0f} |"
        )
    return 1 if any(r["problems"] or r["bad"] for _, _, r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
