"""The upstream client for proxying: one shared aiohttp session with connection pooling.

Hop-by-hop headers (RFC 9110 §7.6.1, plus those named by `Connection`) are dropped both ways; the
upstream's `Content-Encoding` and bytes reach the client unchanged (no decompression here). Every
failure (refused, reset, timed out, broken mid-response, bad URL) is an UpstreamError, which the edge
turns into WireMock's 500 "Network failure ..." answer.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import aiohttp

from mockd.config import VERSION
from mockd.dispatch import ProxyPlan
from mockd.recording.basics import PROXY_FAILURE_PREFIX

if TYPE_CHECKING:
    from mockd.netrules import Address, NetworkRules

HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "proxy-connection",
})  # fmt: skip
# Not forwarded either: aiohttp computes the framing, and the whole body is already here.
REQUEST_DROPPED = HOP_BY_HOP | {"content-length", "expect", "host"}
RESPONSE_DROPPED = HOP_BY_HOP
MAX_CONNECTIONS = 1000
USER_AGENT = f"mockd/{VERSION}"  # sent upstream in place of the client's (WireMock sends its client's)

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class UpstreamResponse:
    status: int
    reason: str | None
    headers: Headers
    body: bytes


class UpstreamError(Exception):
    def __init__(self, url: str, message: str) -> None:
        super().__init__(message)
        self.url = url
        self.message = message

    @property
    def body(self) -> str:
        """WireMock's text; the recorders recognise it by its prefix."""
        return f"{PROXY_FAILURE_PREFIX}{self.url}\r\n{self.message}"


class ProhibitedTarget(UpstreamError):
    """The target is outside `--allow-proxy-targets` or inside `--deny-proxy-targets`."""

    @property
    def body(self) -> str:
        return "The target proxy address is denied in WireMock's configuration."


def _connection_tokens(headers: Headers) -> set[str]:
    """Header names listed in `Connection` are hop-by-hop too."""
    out: set[str] = set()
    for k, v in headers:
        if k.lower() == "connection":
            out.update(t.strip().lower() for t in v.split(",") if t.strip())
    return out


def request_headers(plan: ProxyPlan, preserve_host: bool) -> list[tuple[str, str]]:
    """The headers sent upstream: the client's minus hop-by-hop ones, Host rewritten unless preserved."""
    dropped = REQUEST_DROPPED | _connection_tokens(plan.headers)
    out = [(k, v) for k, v in plan.headers if k.lower() not in dropped]
    client_host = next((v for k, v in plan.headers if k.lower() == "host"), None)
    if preserve_host and client_host is not None:
        out.insert(0, ("Host", client_host))
    else:
        out.insert(0, ("Host", urlsplit(plan.url).netloc))
    return out


def accepted_encodings(headers: list[tuple[str, str]], supported: tuple[str, ...]) -> list[tuple[str, str]]:
    """`--supported-proxy-encodings`: the client's Accept-Encoding keeps only those codings (the header
    goes when none is left)."""
    allowed = {c.lower() for c in supported}
    out: list[tuple[str, str]] = []
    for k, v in headers:
        if k.lower() == "accept-encoding":
            kept = [p.strip() for p in v.split(",") if p.split(";", 1)[0].strip().lower() in allowed]
            if kept:
                out.append((k, ", ".join(kept)))
        else:
            out.append((k, v))
    return out


def request_body(plan: ProxyPlan) -> bytes:
    """mockd gunzips request bodies for matching; a body the client sent gzipped goes upstream gzipped."""
    body = plan.body
    encoded = any(k.lower() == "content-encoding" and "gzip" in v.lower() for k, v in plan.headers)
    if body and encoded and body[:2] != b"\x1f\x8b":
        return gzip.compress(body)
    return body


def response_headers(raw: list[tuple[bytes, bytes]] | tuple[tuple[bytes, bytes], ...]) -> Headers:
    headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in raw)
    dropped = RESPONSE_DROPPED | _connection_tokens(headers)
    return tuple((k, v) for k, v in headers if k.lower() not in dropped)


def _message(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "Read timed out"
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(exc.os_error, ConnectionRefusedError):
        return "Connection refused"
    return str(exc) or type(exc).__name__


class Upstream:
    def __init__(
        self,
        timeout_ms: int = 300_000,
        preserve_host: bool = False,
        *,
        rules: NetworkRules | None = None,  # None: every target is allowed
        max_connections: int = MAX_CONNECTIONS,
        preserve_user_agent: bool = False,
        supported_encodings: tuple[str, ...] | None = None,
        proxy_via: str | None = None,
    ) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout_ms / 1000.0)
        self.preserve_host = preserve_host
        self.rules = rules
        self.max_connections = max_connections
        self.preserve_user_agent = preserve_user_agent
        self.supported_encodings = supported_encodings
        self.via: str | None = None
        self.via_headers: dict[str, str] | None = None
        if proxy_via:
            self.via, self.via_headers = parse_proxy_via(proxy_via)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self.timeout,
                auto_decompress=False,
                connector=aiohttp.TCPConnector(limit=self.max_connections, ssl=False),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def forward(self, plan: ProxyPlan) -> UpstreamResponse:
        """Proxy a client's request: its headers minus hop-by-hop ones (see `request_headers`)."""
        headers = request_headers(plan, self.preserve_host)
        if not self.preserve_user_agent:
            headers = [(k, v) for k, v in headers if k.lower() != "user-agent"]
        if self.supported_encodings is not None:
            headers = accepted_encodings(headers, self.supported_encodings)
        headers += [(k, v) for k, v in plan.added if k.lower() not in REQUEST_DROPPED]
        return await self._exchange(plan, headers, request_body(plan))

    async def send(self, plan: ProxyPlan) -> UpstreamResponse:
        """Send a request mockd makes itself (a webhook): exactly its headers, plus Host."""
        return await self._exchange(plan, request_headers(plan, False), plan.body)

    async def _exchange(
        self, plan: ProxyPlan, headers: list[tuple[str, str]], body: bytes
    ) -> UpstreamResponse:
        await self.check(plan.url)
        if not any(k.lower() == "user-agent" for k, _ in headers):
            headers.append(("User-Agent", USER_AGENT))
        tunnel_headers = None
        if self.via_headers is not None:  # http: the proxy reads the request itself; https: the CONNECT
            if plan.url.startswith("http:"):
                headers += self.via_headers.items()
            else:
                tunnel_headers = self.via_headers
        try:
            async with self._client().request(
                plan.method,
                plan.url,
                headers=headers,
                data=body if body else None,
                allow_redirects=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Accept", "Content-Type"),
                proxy=self.via,
                proxy_headers=tunnel_headers,
            ) as resp:
                data = await resp.read()
                return UpstreamResponse(resp.status, resp.reason, response_headers(resp.raw_headers), data)
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            raise UpstreamError(plan.url, _message(exc)) from exc

    async def check(self, url: str) -> None:
        """ProhibitedTarget unless the network rules allow the URL's host."""
        if self.rules is None or self.rules.allow_all:
            return
        host = urlsplit(url).hostname or ""
        if not self.rules.allows(host, await _resolve(host)):
            raise ProhibitedTarget(url, "denied by --allow-proxy-targets / --deny-proxy-targets")


def parse_proxy_via(value: str) -> tuple[str, dict[str, str] | None]:
    """`--proxy-via host:port` or `http://user:password@host:port` -> (proxy URL, the Proxy-Authorization
    header for the credentials). ValueError says what is wrong."""
    text = value.strip()
    parts = urlsplit(text if "://" in text else f"http://{text}")
    if parts.scheme != "http":
        raise ValueError(f"{value!r}: the proxy is reached over plain HTTP (http://host:port)")
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None:
        raise ValueError(f"{value!r}: expected host:port or http://[user:password@]host:port")
    auth = None
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        auth = {"Proxy-Authorization": "Basic " + base64.b64encode(credentials).decode("ascii")}
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"http://{host}:{port}", auth


async def _resolve(host: str) -> list[Address]:
    from mockd.netrules import parse_address  # only with --allow/--deny-proxy-targets

    literal = parse_address(host)
    if literal is not None:
        return [literal]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    found = (parse_address(str(info[4][0])) for info in infos)
    return list(dict.fromkeys(a for a in found if a is not None))
