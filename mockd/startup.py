"""`mockd serve` start-up: aiohttp's import-time CA loading, deferred until the server is up.

Importing aiohttp builds its two default client SSL contexts and loads the system's CA certificates
into both (`set_default_verify_paths`): about 40 ms and 3 MB, a seventh of mockd's start. mockd's
upstream client proxies with `ssl=False` (aiohttp's unverified context), so nothing mockd does needs
those certificates at start. The serve command imports the server inside `DeferredCertificates`: the
loading is recorded instead of done, then done on the event loop shortly after the server answers
(`load_soon`), so the contexts end up exactly as aiohttp makes them.

Only the CLI's single-process serve uses it: a process that runs other aiohttp code (embedded use,
the pytest plugin) or forks workers imports aiohttp as usual, and nothing is deferred once aiohttp is
already imported.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
from types import TracebackType

LOAD_DELAY_S = 0.5  # after the server is ready: the first requests are answered before the ~40 ms load
_NAME = "set_default_verify_paths"


class DeferredCertificates:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and "aiohttp" not in sys.modules
        self.pending: list[ssl.SSLContext] = []
        self._patched = False

    def __enter__(self) -> DeferredCertificates:
        if self.enabled and _NAME not in vars(ssl.SSLContext):
            pending = self.pending

            def record(context: ssl.SSLContext) -> None:
                pending.append(context)

            setattr(ssl.SSLContext, _NAME, record)  # load_default_certs() ends in this call too
            self._patched = True
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._patched:
            delattr(ssl.SSLContext, _NAME)  # the C method of ssl's base class is visible again
            self._patched = False

    def load(self) -> None:
        """Load the deferred CA certificates now."""
        while self.pending:
            self.pending.pop().set_default_verify_paths()

    def load_soon(self) -> None:
        """Load them on the running event loop, LOAD_DELAY_S from now."""
        if self.pending:
            asyncio.get_running_loop().call_later(LOAD_DELAY_S, self.load)
