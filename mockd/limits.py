"""Connection-level limits: slow clients are cut off, broken requests get a quiet 4xx.

aiohttp bounds the request line, each header and the header count (`aiohttp_options`), and closes
idle keep-alive connections, but it has no deadline for *receiving* a request: a client sending one
header byte per second (slowloris) or one body byte per second keeps its connection forever. The
`GuardedHandler` adds two per-connection timers:

- **header timer**: armed when a connection opens and when the first bytes of a request arrive;
  disarmed once its headers are complete. When it fires, the client gets `408` and the connection
  is closed (a connection that sent nothing is just closed).
- **body timer**: armed when a request's headers are complete and its body is still to come;
  disarmed when the body is complete. When it fires while mockd waits for the body, the request
  answers `408` (the handler's read raises `HTTPRequestTimeout`), then the connection is closed.

aiohttp logs every malformed request (bad Content-Length, bad chunking, bytes that are not HTTP)
at ERROR with a traceback; `handle_error` answers them with a 4xx and one DEBUG line instead:
414 for a request line over `max_url_length`, 431 for a header over `max_header_size` or more than
`max_header_count` headers, 400 otherwise. Server errors (5xx) keep aiohttp's logging.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import LineTooLong
from aiohttp.streams import StreamReader
from aiohttp.web_protocol import RequestHandler

from mockd.config import Settings

__all__ = ["GuardedServer", "aiohttp_options"]

log = logging.getLogger("mockd")

KEEPALIVE_TIMEOUT = 75.0
_TIMEOUT_BODY = b"Request Timeout: the request was not received in time\n"
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\n"
    b"Content-Length: " + str(len(_TIMEOUT_BODY)).encode() + b"\r\n\r\n" + _TIMEOUT_BODY
)


def aiohttp_options(settings: Settings) -> dict[str, Any]:
    """The `RequestHandler` keyword arguments that carry mockd's limits."""
    return {
        "max_line_size": settings.max_url_length,
        "max_field_size": settings.max_header_size,
        "max_headers": settings.max_header_count,
        "keepalive_timeout": KEEPALIVE_TIMEOUT,
    }


class GuardedServer(web.Server):
    """`web.Server` whose connections are `GuardedHandler`s."""

    def __init__(self, handler: Any, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs, **aiohttp_options(settings))
        self._settings = settings

    def __call__(self) -> RequestHandler:
        return GuardedHandler(self, loop=self._loop, settings=self._settings, **self._kwargs)


class GuardedHandler(RequestHandler):
    """One connection, with header and body deadlines (see the module docstring)."""

    def __init__(self, manager: web.Server, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._header_timeout = settings.request_header_timeout
        self._body_timeout = settings.request_body_timeout
        self._limits = (settings.max_url_length, settings.max_header_size)
        self._header_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._body: StreamReader | None = None
        self._got_bytes = False
        # (peer address, local address) of the connection, read once (every request of it needs them)
        self.addresses: tuple[Any, Any] = (None, None)

    # -- timers ----------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.addresses = (transport.get_extra_info("peername"), transport.get_extra_info("sockname"))
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        receiving_body = self._body is not None and not self._body.is_eof()
        if not receiving_body and data:
            self._got_bytes = True
            if self._header_timer is None:
                self._arm_header_timer()
        before = self._request_count
        super().data_received(data)
        if self._request_count != before:
            self._cancel_header_timer()
            self._got_bytes = False
            payload = self._messages[-1][1] if self._messages else None
            if isinstance(payload, StreamReader) and not payload.is_eof():
                self._body = payload
                if self._body_timer is None and self._body_timeout > 0:
                    self._body_timer = self._loop.call_later(self._body_timeout, self._body_too_slow)
        if self._body is not None and self._body.is_eof():
            self._body = None
            self._cancel_body_timer()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._cancel_header_timer()
        self._cancel_body_timer()
        self._body = None
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        if self._header_timeout > 0:
            self._cancel_header_timer()
            self._header_timer = self._loop.call_later(self._header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _cancel_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport is None:
            return
        if self._request_in_progress or self._messages:
            self.close()  # a pipelined request still trickling in: no keep-alive after this answer
            return
        log.debug("closing a connection whose request headers took more than %s s", self._header_timeout)
        if self._got_bytes:
            self.transport.write(_TIMEOUT_RESPONSE)
        self.force_close()

    def _body_too_slow(self) -> None:
        self._body_timer = None
        body, self._body = self._body, None
        if self.transport is None or body is None or body.is_eof():
            return
        log.debug("a request body took more than %s s: answering 408", self._body_timeout)
        if self._request_in_progress:
            self._lingering_time = 0.0  # do not wait for the rest of the body after the 408
            self.close()
            body.set_exception(web.HTTPRequestTimeout(text=_TIMEOUT_BODY.decode()))
        else:
            self.force_close()

    # -- malformed requests ----------------------------------------------------------------------
    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if status >= 500:
            return super().handle_error(request, status, exc, message)
        status = self._client_error_status(status, exc)
        log.debug("bad request from %s: %s", request.remote, _first_line(exc, message))
        if request.writer.output_size > 0:
            raise ConnectionError("response already started; cannot answer the bad request")
        response = web.Response(status=status, text=message or "Bad Request", content_type="text/plain")
        response.force_close()
        return response

    def _client_error_status(self, status: int, exc: BaseException | None) -> int:
        if isinstance(exc, LineTooLong):
            url_limit, header_limit = self._limits
            limit = exc.args[1] if len(exc.args) > 1 else None
            return 414 if limit == url_limit and url_limit != header_limit else 431
        if exc is not None and "Too many headers" in str(exc):
            return 431
        return status


def _first_line(exc: BaseException | None, message: str | None) -> str:
    text = message or (str(exc) if exc is not None else "")
    return text.strip().splitlines()[0] if text.strip() else "malformed request"
