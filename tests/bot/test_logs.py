"""Logs as people and log collectors read them, from the real `naervaer serve` process: short
text lines in a terminal (a pty), JSON in a pipe; no access log or library chatter at INFO,
and nothing at all for each /readyz poll."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import free_port

NAERVAER = Path(sys.executable).with_name("naervaer")
TEXT_LINE = re.compile(r"^\d\d\.\d\d\.\d\d (DEBUG|INFO |WARNING|ERROR) +(?P<logger>[\w.]+)  \S")


@dataclass
class Server:
    url: str
    output: list[str] = field(default_factory=list)  # what standard error showed, line by line

    def get(self, path: str) -> int:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=5) as response:
            return int(response.status)

    def settle(self) -> int:
        """How many lines were written, once the server has stopped writing for a moment."""
        seen = -1
        while seen != len(self.output):
            seen = len(self.output)
            time.sleep(0.3)
        return seen


def _read(source: int, into: list[str]) -> None:
    pending = b""
    while True:
        try:
            chunk = os.read(source, 4096)
        except OSError:  # the terminal's other end closed
            chunk = b""
        if not chunk:
            return
        pending += chunk
        *lines, pending = pending.split(b"\n")
        into.extend(line.decode("utf-8", "replace").rstrip("\r") for line in lines)


@contextlib.contextmanager
def serving(tmp_path: Path, *, terminal: bool, **env: str) -> Iterator[Server]:
    """`naervaer serve` on a fresh SQLite database, its standard error on a terminal or a pipe."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NAERVAER_")},
        "NAERVAER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'naervaer.db'}",
        "NAERVAER_PORT": str(port),
        # No job tick inside the test: its daily lines would count as lines per poll.
        "NAERVAER_TICK_SECONDS": "3600",
        **{f"NAERVAER_{k.upper()}": v for k, v in env.items()},
    }
    reading, writing = pty.openpty() if terminal else os.pipe()
    process = subprocess.Popen(
        [str(NAERVAER), "serve"],
        cwd=tmp_path,  # no .env of the checkout
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=writing,
    )
    os.close(writing)
    server = Server(f"http://127.0.0.1:{port}")
    reader = threading.Thread(target=_read, args=(reading, server.output), daemon=True)
    reader.start()
    try:
        _wait_until_up(server, process)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(5)
        os.close(reading)


def _wait_until_up(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "\n".join(server.output)
        with contextlib.suppress(OSError):
            if server.get("/readyz") == 200:
                return
        time.sleep(0.2)
    raise AssertionError("naervaer did not start:\n" + "\n".join(server.output))


def _polls_log_nothing(server: Server) -> None:
    before = server.settle()
    for _ in range(5):
        assert server.get("/readyz") == 200
        assert server.get("/healthz") == 200
    assert server.settle() == before, server.output[before:]


def test_a_terminal_gets_short_text_lines_and_no_chatter(tmp_path: Path) -> None:
    with serving(tmp_path, terminal=True) as server:
        _polls_log_nothing(server)
    lines = [line for line in server.output if line.strip()]
    assert lines, "nothing logged at all (the local mode warning is expected)"
    assert all(TEXT_LINE.match(line) for line in lines), lines
    assert any("naervaer.app  LOCAL MODE" in line for line in lines), lines
    chatter = ("aiohttp.access", "alembic", "apscheduler", "sqlalchemy", "microsoft_agents")
    assert not [line for line in lines if any(name in line for name in chatter)]


def test_a_pipe_gets_json_and_no_access_log(tmp_path: Path) -> None:
    with serving(tmp_path, terminal=False) as server:
        _polls_log_nothing(server)
    records = [json.loads(line) for line in server.output if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert any(r["logger"] == "naervaer.app" and r["level"] == "WARNING" for r in records)
    assert not [r for r in records if r["logger"].startswith(("aiohttp", "alembic"))]


def test_debug_shows_the_access_log_but_readiness_polls_still_no_alembic(tmp_path: Path) -> None:
    with serving(tmp_path, terminal=False, log_level="DEBUG", log_format="text") as server:
        before = server.settle()
        for _ in range(3):
            assert server.get("/readyz") == 200
        after = server.settle()
    polled = server.output[before:after]
    assert any("aiohttp.access" in line and "/readyz" in line for line in polled), polled
    loggers = [found["logger"] for found in map(TEXT_LINE.match, polled) if found]
    assert "aiohttp.access" in loggers and not [n for n in loggers if n.startswith("alembic")]
    # Text when asked for, though standard error is a pipe (SQL may run over several lines).
    assert TEXT_LINE.match(server.output[0]) and not [x for x in server.output if x[:1] == "{"]
