"""Several processes behind one port: bot workers for Teams' turns, one worker for the tab.

`naervaer serve` with NAERVAER_WORKERS > 1 or NAERVAER_TAB_WORKER=true. This process upgrades
the schema, listens on the port and starts the workers; each connection it accepts is looked
at (the request line, read without taking it off the socket) and handed, socket and all, to a
worker: /tab connections to the tab worker, every other to the bot workers in turn. The worker
serves the connection as if it had accepted it, and this process is out of the way.

Why: one event loop serving both the tab and /api/messages makes every turn that arrives while
a page renders wait for the rest of the page (issue 15). In a process of its own the tab can be
as slow as it likes, and the system favours the bot's processes (the tab worker runs at a lower
priority). Why not SO_REUSEPORT alone: the kernel spreads connections by address, blind to the
path, so the tab would land on the bot workers too.

Every worker is a whole server (any route answers on any worker, e.g. a connection kept alive
for another path): the bot workers are replicas as two servers on one PostgreSQL are (incoming
activities once, the outbox claimed with leases, the app's send rate shared); the tab worker
runs no sender and no jobs (what it enqueues, the bot workers' senders pick up). A worker that
stops brings the whole server down, for the supervisor (Docker, systemd) to restart; workers
stop by themselves when this process is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from aiohttp import web

from bot.app import create_app
from bot.settings import Settings
from storage import db

log = logging.getLogger("naervaer.serving")

PEEK_BYTES = 2048
PEEK_SECONDS = 10.0
# The tab worker yields the processor to the bot's processes when both want it.
TAB_NICENESS = 10


def uses_workers(settings: Settings) -> bool:
    return settings.workers > 1 or settings.tab_worker


def is_tab(head: bytes) -> bool:
    """Whether a request's first bytes ask for a tab page ("GET /tab/... HTTP/1.1")."""
    parts = head.split(b"\r\n", 1)[0].split(b" ")
    if len(parts) < 2:
        return False
    path = parts[1]
    return path == b"/tab" or path.startswith((b"/tab/", b"/tab?"))


@dataclass
class Worker:
    role: str  # "bot" or "tab"
    process: subprocess.Popen[bytes]
    channel: socket.socket  # this end of the socket pair the worker receives connections on

    @classmethod
    def start(cls, role: str) -> Worker:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.serving", role, str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
        )
        theirs.close()
        # A worker that stops reading must not stop the accepting: it is given a second.
        ours.settimeout(1.0)
        return cls(role, process, ours)

    def hand_over(self, connection: socket.socket) -> None:
        socket.send_fds(self.channel, [b"c"], [connection.fileno()])


def serve_workers(settings: Settings) -> int:
    if settings.workers > 1 and not settings.database_url.startswith("postgresql"):
        print(
            "NAERVAER_WORKERS > 1 needs PostgreSQL: SQLite has a single writer, so more bot "
            "processes would only queue on its lock (NAERVAER_TAB_WORKER works on both).",
            file=sys.stderr,
        )
        return 2
    asyncio.run(_upgrade(settings))  # once, before any worker serves
    listener = socket.create_server((settings.host, settings.port), backlog=1024)
    workers = [Worker.start("bot") for _ in range(settings.workers)]
    if settings.tab_worker:
        workers.append(Worker.start("tab"))
    log.info("listening on %s:%s with %d workers", settings.host, settings.port, len(workers))
    try:
        return asyncio.run(_dispatch(listener, workers))
    finally:
        listener.close()
        _stop(workers)


async def _upgrade(settings: Settings) -> None:
    engine = db.create_engine(settings.database_url)
    try:
        await db.upgrade(engine)
    finally:
        await engine.dispose()


async def _dispatch(listener: socket.socket, workers: list[Worker]) -> int:
    loop = asyncio.get_running_loop()
    listener.setblocking(False)
    bots = itertools.cycle([w for w in workers if w.role == "bot"])
    tab = next((w for w in workers if w.role == "tab"), None)
    stopping = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    routing: set[asyncio.Task[None]] = set()

    async def accept() -> None:
        while True:
            connection, _address = await loop.sock_accept(listener)
            task = loop.create_task(_route(connection, tab, bots))
            routing.add(task)
            task.add_done_callback(routing.discard)

    accepting = loop.create_task(accept())
    watching = loop.create_task(_watch(workers))
    done, _pending = await asyncio.wait(
        [accepting, watching, loop.create_task(stopping.wait())],
        return_when=asyncio.FIRST_COMPLETED,
    )
    accepting.cancel()
    for task in routing:
        task.cancel()
    return 1 if watching in done else 0


async def _route(connection: socket.socket, tab: Worker | None, bots: Iterator[Worker]) -> None:
    with connection:
        head = await _peek(connection)
        if head == b"":
            return  # closed before it asked anything
        worker = tab if tab is not None and head and is_tab(head) else next(bots)
        try:
            worker.hand_over(connection)
        except OSError as error:
            log.warning("connection not handed to the %s worker: %s", worker.role, error)


async def _peek(connection: socket.socket) -> bytes | None:
    """The first bytes the client sent, left on the socket for the worker; None if it has not
    sent a whole request line in time (a worker's own timeouts deal with it)."""
    loop = asyncio.get_running_loop()
    connection.setblocking(False)
    try:
        async with asyncio.timeout(PEEK_SECONDS):
            while True:
                readable = loop.create_future()
                loop.add_reader(connection.fileno(), readable.set_result, None)
                try:
                    await readable
                finally:
                    loop.remove_reader(connection.fileno())
                head = connection.recv(PEEK_BYTES, socket.MSG_PEEK)
                if head == b"" or b"\r\n" in head or len(head) >= PEEK_BYTES:
                    return head
                await asyncio.sleep(0.01)  # a request line in pieces: the rest is on its way
    except (TimeoutError, OSError):
        return None


async def _watch(workers: list[Worker]) -> None:
    while True:
        for worker in workers:
            if worker.process.poll() is not None:
                log.error(
                    "%s worker pid=%s stopped (exit %s): stopping the server",
                    worker.role,
                    worker.process.pid,
                    worker.process.returncode,
                )
                return
        await asyncio.sleep(0.5)


def _stop(workers: list[Worker]) -> None:
    for worker in workers:
        worker.channel.close()  # a worker reads the end of its channel as "stop"
        with contextlib.suppress(ProcessLookupError):
            worker.process.terminate()
    for worker in workers:
        try:
            worker.process.wait(30)
        except subprocess.TimeoutExpired:
            worker.process.kill()


# --- in a worker ------------------------------------------------------------------------------


async def work(settings: Settings, role: str, channel_fd: int) -> None:
    """Serve the connections that arrive on the channel until it closes or we are stopped."""
    if role == "tab":
        os.nice(TAB_NICENESS)
    app = create_app(settings, migrate=False, background=role == "bot")
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    server = runner.server
    assert server is not None  # set up just now
    loop = asyncio.get_running_loop()
    channel = socket.socket(fileno=channel_fd)
    channel.setblocking(False)
    stopping = asyncio.Event()
    serving: set[asyncio.Task[object]] = set()

    def arrived() -> None:
        try:
            message, fds, _flags, _address = socket.recv_fds(channel, 1, 1)
        except BlockingIOError:
            return
        if not message:  # the accepting process is gone
            stopping.set()
            return
        for fd in fds:
            connection = socket.socket(fileno=fd)
            connection.setblocking(False)
            task = loop.create_task(loop.connect_accepted_socket(server, connection))
            serving.add(task)
            task.add_done_callback(serving.discard)

    loop.add_reader(channel.fileno(), arrived)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    try:
        await stopping.wait()
    finally:
        loop.remove_reader(channel.fileno())
        channel.close()
        await runner.cleanup()


def main(argv: list[str]) -> int:
    from bot.logs import setup_logging

    role, channel_fd = argv[0], int(argv[1])
    settings = Settings()
    setup_logging(settings)
    asyncio.run(work(settings, role, channel_fd))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
