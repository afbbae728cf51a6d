"""Run a mockd from Python: in-process (a background thread with its own event loop) or as a subprocess.

    with mockd.serve(root_dir="stubs") as server:              # in this process, port 0
        server.url      # http://127.0.0.1:PORT
        server.client   # a MockdClient for the admin API

    with mockd.serve(root_dir="stubs", mode="process") as server:   # `python -m mockd serve --port 0`
        ...

Both bind 127.0.0.1 on a free port, do not watch files unless `watch=True`, wait a bounded time to
start and stop cleanly when the block ends. Other keyword arguments are Settings fields.
"""

from __future__ import annotations

import asyncio
import collections
import queue
import re
import subprocess
import sys
import threading
from dataclasses import fields, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, overload

from mockd.client import MockdClient
from mockd.config import Settings
from mockd.server import MockdServer

START_TIMEOUT = 15.0
PROCESS_START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


class _Running:
    """What both kinds of server share: `url`, `client`, and use as a context manager."""

    settings: Settings
    _client: MockdClient | None = None

    @property
    def url(self) -> str:
        raise NotImplementedError

    @property
    def client(self) -> MockdClient:
        if self._client is None:
            auth = self.settings.admin_api_basic_auth
            user, _, password = (auth or "").partition(":")
            self._client = MockdClient(
                self.url, admin_prefix=self.settings.admin_prefix, auth=(user, password) if auth else None
            )
        return self._client

    def start(self) -> _Running:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class EmbeddedServer(_Running):
    """A MockdServer running on its own thread. Start with `start()`, stop with `stop()`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="mockd-server", daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.server = MockdServer(settings)
        self._stop: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def https_url(self) -> str | None:
        """With `https_port=`: the HTTPS URL."""
        return self.server.https_url

    @property
    def core(self) -> Any:
        return self.server.core

    def start(self) -> EmbeddedServer:
        self._loop = asyncio.new_event_loop()
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            self.stop()
            raise TimeoutError(f"mockd did not start within {START_TIMEOUT} s")
        if self._error is not None:
            self._thread.join(STOP_TIMEOUT)
            raise self._error
        return self

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def _run(self) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._main())
        finally:
            self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        self.server._shutdown_hook = self._stop.set
        try:
            await self.server.start()
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        await self._stop.wait()
        await self.server.stop()

    def call(self, fn: Any, *args: Any) -> Any:
        """Run `fn(*args)` on the server's loop and return its result (for tests that touch the core)."""
        assert self._loop is not None, "the server is not started"
        future = asyncio.run_coroutine_threadsafe(_call(fn, *args), self._loop)
        return future.result(timeout=START_TIMEOUT)

    def stop(self) -> None:
        if self._stop is not None and self._thread.is_alive() and self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT)


async def _call(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    if asyncio.iscoroutine(result):
        result = await result
    return result


class ProcessServer(_Running):
    """`python -m mockd serve --port 0 ...` in a child process; the URL is read from what it prints."""

    LISTENING = re.compile(r"listening on (https?://\S+)")

    def __init__(self, settings: Settings, args: list[str]) -> None:
        self.settings = settings
        self.args = args
        self.process: subprocess.Popen[str] | None = None
        self.output: collections.deque[str] = collections.deque(maxlen=200)  # recent stdout+stderr lines
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader: threading.Thread | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the mockd process is not started")
        return self._url

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self) -> ProcessServer:
        command = [sys.executable, "-m", "mockd", "serve", *self.args]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self._reader = threading.Thread(target=self._read, name="mockd-process-output", daemon=True)
        self._reader.start()
        try:
            self._url = self._wait_for_url(PROCESS_START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        return self

    def __enter__(self) -> ProcessServer:
        return self.start()

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            self._lines.put(line)
        self._lines.put(None)

    def _wait_for_url(self, timeout: float) -> str:
        try:
            while True:
                line = self._lines.get(timeout=timeout)
                if line is None:
                    break
                found = self.LISTENING.search(line)
                if found is not None:
                    return found.group(1)
        except queue.Empty:
            raise TimeoutError(
                f"mockd did not print its URL within {timeout} s:\n" + "\n".join(self.output)
            ) from None
        assert self.process is not None
        code = self.process.wait(STOP_TIMEOUT)
        raise RuntimeError(f"mockd exited with status {code} before listening:\n" + "\n".join(self.output))

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_TIMEOUT)
        if self._reader is not None:
            self._reader.join(STOP_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()


# -- serve() ---------------------------------------------------------------------------------------

_SETTINGS_FIELDS = {f.name for f in fields(Settings)} - {"extra"}
_FLAG_NAMES = {
    "proxy_timeout_ms": "proxy-timeout",
    "webhook_concurrency": "webhook-threadpool-size",
    "preserve_user_agent": "preserve-user-agent-proxy-header",
}
_NEGATED = {"watch": "--no-watch", "request_journal": "--no-request-journal"}


def cli_args(settings: Settings, given: dict[str, Any]) -> list[str]:
    """The `mockd serve` flags for a Settings object: address, port, root, and the fields in `given`."""
    args = ["--bind-address", settings.bind_address, "--port", str(settings.port)]
    args += ["--root-dir", str(settings.root_dir)]
    if not settings.watch:
        args.append("--no-watch")
    for name, value in given.items():
        if name in ("bind_address", "port", "root_dir", "watch"):
            continue
        if name in _NEGATED:
            args += [] if value else [_NEGATED[name]]
            continue
        flag = "--" + _FLAG_NAMES.get(name, name).replace("_", "-")
        if isinstance(value, bool):
            args += [flag] if value else []
        elif isinstance(value, tuple | list):
            args += [flag, ",".join(str(v) for v in value)]
        elif value is not None:
            args += [flag, str(value)]
    return args


@overload
def serve(
    root_dir: str | Path | None = None, *, mode: Literal["thread"] = "thread", **settings: Any
) -> EmbeddedServer: ...
@overload
def serve(
    root_dir: str | Path | None = None, *, mode: Literal["process"], **settings: Any
) -> ProcessServer: ...
def serve(
    root_dir: str | Path | None = None, *, mode: Literal["thread", "process"] = "thread", **settings: Any
) -> EmbeddedServer | ProcessServer:
    """A mockd on 127.0.0.1, port 0 by default, to use as `with serve(...) as server:` (it starts on
    entering the block and stops when the block ends). Keyword arguments are Settings fields."""
    unknown = sorted(set(settings) - _SETTINGS_FIELDS)
    if unknown:
        raise TypeError(
            f"unknown setting(s) {', '.join(unknown)}; expected one of {sorted(_SETTINGS_FIELDS)}"
        )
    base = Settings(bind_address="127.0.0.1", port=0, watch=False)
    if root_dir is not None:
        base = replace(base, root_dir=Path(root_dir))
    resolved = replace(base, **settings)
    if mode == "thread":
        return EmbeddedServer(resolved)
    if mode == "process":
        return ProcessServer(resolved, cli_args(resolved, settings))
    raise ValueError(f"mode must be 'thread' or 'process', got {mode!r}")
