"""The upstream client for proxying: one shared aiohttp session with connection pooling."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from mockd.dispatch import ProxyPlan

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "proxy-connection", "content-length",
}  # fmt: skip


@dataclass(frozen=True)
class UpstreamResponse:
    status: int
    reason: str | None
    headers: tuple[tuple[str, str], ...]
    body: bytes


class UpstreamError(Exception):
    def __init__(self, url: str, message: str) -> None:
        super().__init__(message)
        self.url = url
        self.message = message

    @property
    def body(self) -> str:
        return (
            f"Network failure trying to make a proxied request from WireMock to {self.url}\r\n{self.message}"
        )


class Upstream:
    def __init__(self, timeout_ms: int = 300_000, preserve_host: bool = False) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout_ms / 1000.0)
        self.preserve_host = preserve_host
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self.timeout,
                auto_decompress=False,
                connector=aiohttp.TCPConnector(limit=1000, ssl=False),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def forward(self, plan: ProxyPlan) -> UpstreamResponse:
        target = urlsplit(plan.url)
        headers: list[tuple[str, str]] = []
        for k, v in plan.headers:
            lower = k.lower()
            if lower in HOP_BY_HOP:
                continue
            if lower == "host":
                if self.preserve_host:
                    headers.append((k, v))
                continue
            headers.append((k, v))
        if not self.preserve_host:
            headers.append(("Host", target.netloc))
        try:
            async with self._client().request(
                plan.method,
                plan.url,
                headers=headers,
                data=plan.body if plan.body else None,
                allow_redirects=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Accept", "Content-Type"),
            ) as resp:
                body = await resp.read()
                out = tuple(
                    (k, v)
                    for k, v in resp.headers.items()
                    if k.lower() not in ("transfer-encoding", "connection")
                )
                return UpstreamResponse(resp.status, resp.reason, out, body)
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            raise UpstreamError(plan.url, str(exc) or type(exc).__name__) from exc
