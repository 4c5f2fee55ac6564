"""Running a `barometre` command with stderr on a pseudo-terminal, to see its progress bar."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading

LAUNCH = "import sys; from barometre.cli import main; sys.argv[0] = 'barometre'; main()"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """Run `barometre args` with stderr on a pseudo-terminal of 80 columns, stdout on a pipe.

    Returns (stdout, what the terminal showed, escape sequences removed).
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    shown = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's last writer has gone
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    process = subprocess.run(
        [sys.executable, "-c", LAUNCH, *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
        env={**os.environ, **env, "TERM": "xterm", "COLUMNS": "80"}, check=False,
    )  # fmt: skip
    os.close(slave)
    reader.join(timeout=30)
    os.close(master)
    stdout = process.stdout.decode()
    terminal = ANSI.sub("", shown.decode(errors="replace")).replace("\r", "\n")
    assert process.returncode == 0, (stdout, terminal)
    return stdout, terminal


def counts(terminal: str, label: str) -> list[tuple[int, int]]:
    """Every `label ... done/total` the bar drew, in order."""
    pattern = re.compile(re.escape(label) + r"\s.*?(\d+)/(\d+)")
    return [(int(m[1]), int(m[2])) for m in pattern.finditer(terminal)]


def advances_to_the_end(drawn: list[tuple[int, int]]) -> bool:
    """Counts never go back and the last one is complete (done == total > 0)."""
    done = [d for d, _ in drawn]
    return bool(drawn) and done == sorted(done) and drawn[-1][0] == drawn[-1][1] > 0


def plain(stdout: str) -> None:
    """Machine-readable stdout: no escape sequence, no bar (count and elapsed time)."""
    assert "\x1b" not in stdout, stdout
    assert not re.search(r"\d+/(\d+|\?) \d+:\d\d:\d\d", stdout), stdout
