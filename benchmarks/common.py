"""What every benchmark needs: an empty database, an organisation, the real server in processes
of its own (so the load generator's CPU is not the server's), the connector stub, quantiles."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import text

from storage.db import create_engine

ROOT = Path(__file__).resolve().parents[1]
HEADER = "employee_id,name,email,aad_object_id,leader_id,unit\n"


async def empty_database(url: str | None, name: str) -> str:
    """A fresh SQLite file, or the given PostgreSQL database emptied (it drops every table)."""
    if url is None:
        return f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/{name}.db"
    if url.startswith("postgresql"):
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    return url


def org_file(folder: Path, leaders: int, per_leader: int) -> Path:
    """Leaders l0.. with employees e<leader>-<n>, each with a Teams sign-in aad-<id>."""
    rows = [HEADER]
    for n in range(leaders):
        rows.append(f"l{n},Leder {n},l{n}@x.dk,aad-l{n},,Enhed {n}\n")
        rows += [
            f"e{n}-{m},Medarbejder {n}-{m},e{n}-{m}@x.dk,aad-e{n}-{m},l{n},Enhed {n}\n"
            for m in range(per_leader)
        ]
    path = folder / "org.csv"
    path.write_text("".join(rows), encoding="utf-8")
    return path


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and of its children it has waited for, plus its
    live children's: the server's own cost, whatever else the machine is doing."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for candidate in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{candidate}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:13]) / ticks
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for kid in kids:
            found += [int(kid), *_children(int(kid))]
    return found


@contextmanager
def server(env: dict[str, str], port: int, root: Path = ROOT) -> Iterator[Any]:
    """`naervaer serve` of the checkout at `root` in a process of its own; its output in a
    temporary log file."""
    log = Path(tempfile.mkdtemp()) / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        cwd=root,
        env={**os.environ, "NAERVAER_LOG_LEVEL": "WARNING", **env, "NAERVAER_PORT": str(port)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.returncode not in (0, -15):
            print(log.read_text()[-3000:], file=sys.stderr)


async def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit("the server exited before it was ready")
            try:
                async with http.get(f"{url}/readyz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not become ready")


def _stub_main(port: int, ready: Any, stop: Any, counted: Any) -> None:
    from tests.connector_stub import ConnectorStub

    async def run() -> None:
        stub = ConnectorStub()
        await stub.start()
        ready.put(stub.base_url)
        while not stop.is_set():
            await asyncio.sleep(0.2)
            # The stub keeps every call; only the count is wanted here.
            counted.value += len(stub.sent())
            stub.calls.clear()
        await stub.stop()

    asyncio.run(run())


@contextmanager
def stub_process() -> Iterator[tuple[str, Any]]:
    """The connector stub in a process of its own: (its base URL, a shared count of the
    messages delivered to it, updated every 0.2 s)."""
    spawn = multiprocessing.get_context("spawn")
    ready, stop, counted = spawn.Queue(), spawn.Event(), spawn.Value("l", 0)
    process = spawn.Process(target=_stub_main, args=(0, ready, stop, counted), daemon=True)
    process.start()
    try:
        yield ready.get(timeout=30), counted
    finally:
        stop.set()
        process.join(5)
