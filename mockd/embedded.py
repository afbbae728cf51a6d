"""Run a mockd in-process, in a background thread with its own event loop, on port 0.

with mockd.serve(root_dir="stubs") as server:
    server.url      # http://127.0.0.1:PORT
    server.client   # a MockdClient for the admin API
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from mockd.config import Settings
from mockd.server import MockdServer

START_TIMEOUT = 15.0


class EmbeddedServer:
    """A MockdServer running on its own thread. Start with `start()`, stop with `stop()`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._loop = asyncio.new_event_loop()
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
    def core(self) -> Any:
        return self.server.core

    def start(self) -> EmbeddedServer:
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise TimeoutError(f"mockd did not start within {START_TIMEOUT} s")
        if self._error is not None:
            raise self._error
        return self

    def _run(self) -> None:
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
        future = asyncio.run_coroutine_threadsafe(_call(fn, *args), self._loop)
        return future.result(timeout=START_TIMEOUT)

    def stop(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(START_TIMEOUT)


async def _call(fn: Any, *args: Any) -> Any:
    result = fn(*args)
    if asyncio.iscoroutine(result):
        result = await result
    return result


@contextmanager
def serve(root_dir: str | Path | None = None, **settings: Any) -> Iterator[EmbeddedServer]:
    """Start a mockd on 127.0.0.1, port 0 by default; stop it when the block ends."""
    base = Settings(bind_address="127.0.0.1", port=0, watch=False)
    if root_dir is not None:
        base = replace(base, root_dir=Path(root_dir))
    server = EmbeddedServer(replace(base, **settings)).start()
    try:
        yield server
    finally:
        server.stop()
