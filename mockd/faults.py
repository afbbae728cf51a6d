"""Delivery at the transport level: delays, chunked dribble, the four faults, or a normal write.

Delays are `asyncio.sleep`, so a delayed stub never blocks other requests. A fault (or a client that
goes away mid-dribble) ends in `ConnectionClosed`; the server then returns `closed_response()`, which
aiohttp treats like any client that disconnected early: no 500, no traceback in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import os
import socket
import struct
from dataclasses import dataclass
from typing import NoReturn

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter

from mockd.dispatch import Plan
from mockd.stubs.model import ChunkedDribble, Fault, Headers

# Headers mockd computes itself; a stub that sets them is overridden by what is actually sent.
_FRAMING = {"content-length", "transfer-encoding"}
GZIP_MIN_LEVEL = 1


class _NoDefaultContentType:
    """aiohttp adds `Content-Type: application/octet-stream` to any non-empty body; WireMock sends the
    stub's headers only. Drop the default when the stub did not set one."""

    _explicit_type = False

    async def _prepare_headers(self) -> None:
        await super()._prepare_headers()  # type: ignore[misc]
        if not self._explicit_type:
            self._headers.popall("Content-Type", None)  # type: ignore[attr-defined]


class StubResponse(_NoDefaultContentType, web.Response):
    pass


class StubStreamResponse(_NoDefaultContentType, web.StreamResponse):
    pass


def _build(
    cls: type[web.StreamResponse], plan: Plan, headers: list[tuple[str, str]], **kw: object
) -> web.StreamResponse:
    response = cls(status=plan.status, reason=plan.reason, **kw)  # type: ignore[arg-type]
    for k, v in headers:
        response.headers.add(k, v)
    response._explicit_type = any(k.lower() == "content-type" for k, _ in headers)  # type: ignore[attr-defined]
    return response


@dataclass(frozen=True)
class _Prepared:
    """What deliver derives from a plan's headers: once per plan (kept in `plan.memo`), or once per
    templated stub (in `plan.header_memo`, naming the headers object it was made from)."""

    source: Headers  # the plan headers this was derived from
    headers: Headers  # without framing headers and `Content-Encoding: none`
    may_gzip: bool  # a non-empty body may be gzipped for a client that accepts it
    explicit_type: bool  # the stub set Content-Type (else aiohttp's default is dropped)


def _prepare(plan: Plan) -> _Prepared:
    headers = [(k, v) for k, v in plan.headers if k.lower() not in _FRAMING]
    stub_encoding = next((v for k, v in headers if k.lower() == "content-encoding"), None)
    if stub_encoding is not None and stub_encoding.lower() == "none":
        headers = [(k, v) for k, v in headers if k.lower() != "content-encoding"]
    may_gzip = plan.gzip and stub_encoding is None
    explicit = any(k.lower() == "content-type" for k, _ in headers)
    return _Prepared(plan.headers, tuple(headers), may_gzip, explicit)


def _prepared(plan: Plan) -> _Prepared:
    memo = plan.header_memo
    if memo is None:
        memo = plan.memo
    found: _Prepared | None = memo.get("prepared")
    if found is None or found.source is not plan.headers:
        found = memo["prepared"] = _prepare(plan)
    return found


def accepts_gzip(request: web.BaseRequest) -> bool:
    for value in request.headers.getall("Accept-Encoding", []):
        for part in value.split(","):
            coding, _, params = part.strip().partition(";")
            if coding.strip().lower() in ("gzip", "*") and "q=0" not in params.replace(" ", ""):
                return True
    return False


async def deliver(request: web.BaseRequest, plan: Plan) -> web.StreamResponse:
    """Answer `request` as `plan` says. A fault closes the connection and raises ConnectionClosed."""
    if plan.delay_ms > 0:
        await asyncio.sleep(plan.delay_ms / 1000.0)
    if plan.fault is not None:
        await inject(request, plan.fault)
    prepared = _prepared(plan)
    body = plan.body
    headers = prepared.headers
    if prepared.may_gzip and body and request.method != "HEAD" and accepts_gzip(request):
        gzipped: bytes | None = plan.memo.get("gzipped")
        if gzipped is None:
            gzipped = plan.memo["gzipped"] = gzip.compress(body, compresslevel=GZIP_MIN_LEVEL)
        body = gzipped
        headers = (*headers, ("Content-Encoding", "gzip"))
    if plan.dribble is not None and body:
        return await dribble(request, plan, list(headers), body, plan.dribble)
    if prepared.explicit_type:  # aiohttp keeps the stub's Content-Type: nothing to undo
        return web.Response(status=plan.status, reason=plan.reason, body=body, headers=headers)
    return StubResponse(status=plan.status, reason=plan.reason, body=body, headers=headers)


async def dribble(
    request: web.BaseRequest, plan: Plan, headers: list[tuple[str, str]], body: bytes, spec: ChunkedDribble
) -> web.StreamResponse:
    """Send the body in `numberOfChunks` chunks, sleeping totalDuration/n before each."""
    response = _build(StubStreamResponse, plan, headers)
    response.enable_chunked_encoding()
    await response.prepare(request)
    n = max(1, min(spec.number_of_chunks, len(body)))
    pause = spec.total_duration_ms / 1000.0 / n
    size, extra = divmod(len(body), n)
    pos = 0
    try:
        for i in range(n):
            end = pos + size + (1 if i < extra else 0)
            await asyncio.sleep(pause)
            await response.write(body[pos:end])
            pos = end
        await response.write_eof()
    except ConnectionError:  # the client went away mid-body
        raise ConnectionClosed() from None
    return response


async def inject(request: web.BaseRequest, fault: Fault) -> NoReturn:
    """Break the connection as `fault` says, then raise ConnectionClosed (also when it is already gone)."""
    transport = request.transport
    if transport is None or transport.is_closing():
        raise ConnectionClosed()
    if fault is Fault.CONNECTION_RESET_BY_PEER:
        sock = transport.get_extra_info("socket")
        if sock is not None:  # linger 0: close() sends RST instead of FIN
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    elif fault is Fault.EMPTY_RESPONSE:
        transport.close()
    elif fault is Fault.RANDOM_DATA_THEN_CLOSE:
        transport.write(_garbage())
        transport.close()
    elif fault is Fault.MALFORMED_RESPONSE_CHUNK:
        transport.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")  # sent at once
        transport.write(_broken_chunk())
        transport.close()
    raise ConnectionClosed()


def _garbage() -> bytes:
    # Never starts with "HTTP/": a client must see something that is not a status line.
    data = os.urandom(64)
    return b"\x00garbage:" + data


def _broken_chunk() -> bytes:
    """A chunk that promises 1 KiB and delivers a few random bytes before the close. WireMock writes
    `lah-de-dah` where the chunk size belongs; a truncated chunk breaks every client's body read the
    same way (aiohttp: ClientPayloadError) instead of leaving some waiting forever (aiohttp hangs when
    a bad size line arrives in a later packet than the headers)."""
    return b"400\r\n" + _garbage()


class ConnectionClosed(Exception):
    """Raised after a fault closed the connection: the server stops handling this request quietly."""


class _Closed(web.StreamResponse):
    """Returned for a request whose connection is gone. aiohttp's finish_response treats the
    ConnectionError from `prepare` as a premature client disconnection and ends the request quietly."""

    async def prepare(self, request: web.BaseRequest) -> AbstractStreamWriter | None:
        raise ConnectionResetError("the connection was closed by an injected fault")


def closed_response() -> web.StreamResponse:
    """What the server's handler returns after `ConnectionClosed`."""
    return _Closed()
