"""`mockd serve --workers N`: N processes serving one port through SO_REUSEPORT (Linux).

The parent binds the port first (so `--port 0` resolves to one port, printed once) and keeps that
socket, never listening on it, to hold the port. Each forked worker binds its own SO_REUSEPORT socket
to the same port, loads `mappings/` itself and runs a `MockdServer`; the kernel spreads connections
over the workers' listening sockets. SIGTERM/SIGINT to the parent stops every worker (SIGTERM, then
SIGKILL after STOP_TIMEOUT). A worker that dies is reported on stderr; the others keep serving (the
kernel stops routing to a closed socket). A worker that exits by itself with status 0
(`POST /__admin/shutdown`) shuts the whole server down.

Everything a worker holds in memory is its own: the request journal, scenario states, stubs created
or changed through the admin API, global settings, recordings (README text: bench/NOTES.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from mockd.config import Settings
from mockd.errors import MockdError
from mockd.server import MockdServer, start_failure

START_TIMEOUT = 120.0
STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class WorkersReady:
    url: str
    port: int
    workers: int
    stubs: int  # as loaded by the first worker
    problems: int
    pids: tuple[int, ...]


# -- sockets ---------------------------------------------------------------------------------------


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A TCP socket with SO_REUSEADDR + SO_REUSEPORT, bound to (host, port), not listening."""
    if not hasattr(socket, "SO_REUSEPORT"):
        raise MockdError("--workers needs SO_REUSEPORT, which this platform lacks")
    family, kind, proto, _, addr = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(addr)
    except BaseException:
        sock.close()
        raise
    return sock


# -- one worker ------------------------------------------------------------------------------------


def _worker_main(index: int, settings: Settings, reserved: socket.socket, conn: Connection) -> None:
    """Entry point of a forked worker: serve until SIGTERM/SIGINT or an admin shutdown."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    reserved.close()
    try:
        import uvloop

        code = uvloop.run(_serve(index, settings, conn))
    except ImportError:
        code = asyncio.run(_serve(index, settings, conn))
    conn.close()
    sys.exit(code)


async def _serve(index: int, settings: Settings, conn: Connection) -> int:
    server = MockdServer(settings)
    stop = asyncio.Event()
    server._shutdown_hook = stop.set
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    quiet = logging.getLogger("mockd")
    level = quiet.level
    if index > 0:
        quiet.setLevel(logging.CRITICAL)  # load problems are reported once, by the first worker
    try:
        sock = reuseport_socket(settings.bind_address, settings.port)
        await server.start(sock=sock)
    except (MockdError, OSError) as exc:
        conn.send(("error", str(exc)))
        return 1
    finally:
        quiet.setLevel(level)
    gc.freeze()  # what start-up made (modules, stubs) is never scanned by the GC again
    conn.send(("ready", len(server.core.store), len(server.core.problems)))
    await stop.wait()
    await server.stop()
    return 0


# -- the parent ------------------------------------------------------------------------------------


class _Workers:
    def __init__(self, settings: Settings, reserved: socket.socket) -> None:
        self.settings = settings
        self.reserved = reserved
        self.ctx = multiprocessing.get_context("fork")
        self.procs: dict[int, BaseProcess] = {}
        self.conns: dict[int, Connection] = {}
        self.stopping = False

    def spawn(self, index: int) -> None:
        receive, send = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(
            target=_worker_main,
            args=(index, self.settings, self.reserved, send),
            name=f"mockd-worker-{index}",
            daemon=False,
        )
        proc.start()
        send.close()
        self.procs[index] = proc
        self.conns[index] = receive

    def live(self) -> dict[int, BaseProcess]:
        return {i: p for i, p in self.procs.items() if p.exitcode is None}

    def stop_all(self) -> None:
        self.stopping = True
        for proc in self.live().values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid or 0, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for index, proc in self.procs.items():
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.exitcode is None:
                print(f"mockd: worker {index} (pid {proc.pid}) ignored SIGTERM; killing it", file=sys.stderr)
                proc.kill()
                proc.join(5.0)
        for conn in self.conns.values():
            conn.close()


def _describe(code: int | None) -> str:
    if code is None:
        return "is still running"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with status {code}"


def run_workers(settings: Settings, on_ready: Callable[[WorkersReady], None] | None = None) -> int:
    """Blocking: serve with `settings.workers` processes; returns the exit status for the CLI."""
    try:
        reserved = reuseport_socket(settings.bind_address, settings.port)
    except (MockdError, OSError) as exc:
        print(f"mockd: {start_failure(settings, exc)}", file=sys.stderr)
        return 1
    port = int(reserved.getsockname()[1])
    settings = replace(settings, port=port)
    wake_r, wake_w = socket.socketpair()
    wake_r.setblocking(False)
    wake_w.setblocking(False)
    stop_requested: list[int] = []

    def on_signal(signum: int, frame: Any) -> None:
        stop_requested.append(signum)

    old_handlers = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    old_wakeup = signal.set_wakeup_fd(wake_w.fileno())
    workers = _Workers(settings, reserved)
    try:
        for index in range(settings.workers):
            workers.spawn(index)
        return _supervise(workers, settings, port, wake_r, stop_requested, on_ready)
    finally:
        workers.stop_all()
        signal.set_wakeup_fd(old_wakeup)
        for s, h in old_handlers.items():
            signal.signal(s, h)
        wake_r.close()
        wake_w.close()
        reserved.close()


def _supervise(
    workers: _Workers,
    settings: Settings,
    port: int,
    wake: socket.socket,
    stop_requested: list[int],
    on_ready: Callable[[WorkersReady], None] | None,
) -> int:
    pending = dict(workers.conns)  # workers not ready yet
    first: tuple[int, int] | None = None
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        timeout = max(0.0, deadline - time.monotonic()) if pending else None
        if pending and timeout == 0.0:
            print(f"mockd: {len(pending)} worker(s) not ready after {START_TIMEOUT:.0f} s", file=sys.stderr)
            return 1
        sentinels = {p.sentinel: i for i, p in workers.live().items()}
        ready = wait([wake, *pending.values(), *sentinels], timeout)
        with contextlib.suppress(BlockingIOError):
            wake.recv(512)
        if stop_requested:
            return 0
        for index, conn in list(pending.items()):
            if conn not in ready:
                continue
            try:
                message = conn.recv()
            except EOFError:
                continue  # it died: its sentinel reports that
            del pending[index]
            if message[0] == "error":
                print(f"mockd: {message[1]}", file=sys.stderr)
                return 1
            if index == 0:
                first = (int(message[1]), int(message[2]))
            if not pending and on_ready is not None:
                stubs, problems = first or (0, 0)
                pids = tuple(p.pid or 0 for p in workers.procs.values())
                on_ready(
                    WorkersReady(_url(settings.bind_address, port), port, len(pids), stubs, problems, pids)
                )
        for sentinel, index in sentinels.items():
            if sentinel not in ready:
                continue
            proc = workers.procs[index]
            proc.join(1.0)
            if proc.exitcode == 0 and index not in pending:
                return 0  # an admin shutdown: stop them all
            print(f"mockd: worker {index} (pid {proc.pid}) {_describe(proc.exitcode)}", file=sys.stderr)
            if index in pending:
                return 1
            if not workers.live():
                print("mockd: no worker left", file=sys.stderr)
                return 1


def _url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
