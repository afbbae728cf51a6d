"""Composition root: aiohttp at the edge, the Mockd core inside.

`MockdServer` owns one Mockd, the upstream client and the listening socket. `run(settings)` is the
blocking entry point used by the CLI (signals, printing the URL); tests use `MockdServer` directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import signal
import socket
import ssl
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.http import HttpVersion10, HttpVersion11, RawRequestMessage
from aiohttp.streams import StreamReader
from aiohttp.web_protocol import RequestHandler

from mockd.admin import handle_admin
from mockd.admin.handle import CORS
from mockd.config import Settings
from mockd.core import Mockd
from mockd.dispatch import Plan
from mockd.errors import MockdError
from mockd.faults import ConnectionClosed, closed_response, deliver
from mockd.http import LoggedRequest
from mockd.limits import GuardedHandler, GuardedServer
from mockd.stubs.model import ResponseSnapshot, ServeEvent, StubMapping, Timing
from mockd.upstream import Upstream, UpstreamError

if TYPE_CHECKING:
    from mockd.netrules import NetworkRules
    from mockd.watch import Watcher
    from mockd.webhooks import Webhooks  # watchdog is imported only when watching

log = logging.getLogger("mockd")


class MockdServer:
    def __init__(self, settings: Settings, core: Mockd | None = None) -> None:
        self.settings = settings
        self.core = core or Mockd(settings)
        self.upstream = Upstream(
            settings.proxy_timeout_ms,
            settings.preserve_host_header,
            rules=_network_rules(settings),
            max_connections=settings.max_http_client_connections,
            preserve_user_agent=settings.preserve_user_agent,
            supported_encodings=settings.supported_proxy_encodings,
            proxy_via=settings.proxy_via,
        )
        self._webhooks: Webhooks | None = None  # made with the first stub that has webhooks
        self._server: asyncio.Server | None = None  # plain HTTP
        self._https: asyncio.Server | None = None
        self.https_port: int | None = None
        self._web: web.Server | None = None
        self.port: int = 0
        self.stopped = asyncio.Event()
        self._shutdown_hook: Callable[[], None] | None = None
        self.watcher: Watcher | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self, sock: socket.socket | None = None) -> int:
        """Load stubs and listen. Returns the bound port (useful with port 0)."""
        for folder in (self.settings.mappings_dir, self.settings.files_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.warning("cannot create %s: %s", folder, exc.strerror)
        if self.settings.extensions:  # before the stubs: their custom matchers are in there
            from mockd.extensions import load

            loaded = load(self.settings.extensions)
            if loaded.java:
                log.warning("Java extensions cannot run in mockd; ignored: %s", ", ".join(loaded.java))
        result = self.core.load()
        if result.problems and self.settings.strict_loading:
            raise MockdError("\n".join(str(p) for p in result.problems))
        loop = asyncio.get_running_loop()
        self._web = GuardedServer(  # header/body deadlines and quiet 4xx for malformed requests
            self.handle,
            settings=self.settings,
            request_factory=self._make_request,
            access_log=None,
            auto_decompress=False,
        )
        settings = self.settings
        context = None
        if settings.https_port is not None:  # made first: a bad certificate starts nothing
            from mockd.tls import server_context  # ssl contexts and cryptography: only with --https-port

            context = server_context(settings)
        if sock is not None:
            self._server = await loop.create_server(self._web, sock=sock, backlog=1024)
        elif not settings.disable_http:
            self._server = await loop.create_server(
                self._web, settings.bind_address, settings.port, backlog=1024, reuse_address=True
            )
        if self._server is not None:
            self.port = int(self._server.sockets[0].getsockname()[1])
        if context is not None:
            await self._start_https(loop, context)
        if self.settings.watch:
            from mockd.watch import Watcher

            self.watcher = Watcher(self.core, loop, self.settings.watch_poll).start()
        return self.port

    async def _start_https(self, loop: asyncio.AbstractEventLoop, context: ssl.SSLContext) -> None:
        settings = self.settings
        assert self._web is not None and settings.https_port is not None
        try:
            self._https = await loop.create_server(
                self._web,
                settings.bind_address,
                settings.https_port,
                ssl=context,
                backlog=1024,
                reuse_address=True,
            )
        except OSError as exc:
            if self._server is not None:
                self._server.close()
                self._server = None
            where = f"{settings.bind_address}:{settings.https_port}"
            raise MockdError(f"cannot listen on {where} (--https-port): {exc.strerror}") from None
        self.https_port = int(self._https.sockets[0].getsockname()[1])
        if self._server is None:
            self.port = self.https_port

    async def stop(self) -> None:
        if self.watcher is not None:
            await self.watcher.stop()
            self.watcher = None
        listeners = [s for s in (self._server, self._https) if s is not None]
        for listener in listeners:
            listener.close()
        if listeners and self._web is not None:
            await self._web.shutdown(1.0)
        for listener in listeners:
            await listener.wait_closed()
        self._server = self._https = None
        if self._webhooks is not None:
            await self._webhooks.close()
        await self.upstream.close()
        self.stopped.set()

    def request_shutdown(self) -> None:
        """Called by POST /__admin/shutdown: stop after the answer is sent."""
        loop = asyncio.get_running_loop()
        hook = self._shutdown_hook
        loop.call_later(0.05, hook if hook is not None else lambda: asyncio.ensure_future(self.stop()))

    def _make_request(
        self,
        message: RawRequestMessage,
        payload: StreamReader,
        protocol: RequestHandler,
        writer: Any,
        task: asyncio.Task[None],
    ) -> web.BaseRequest:
        return web.BaseRequest(
            message, payload, protocol, writer, task, asyncio.get_running_loop(),
            client_max_size=self.settings.max_body_size,
        )  # fmt: skip

    def _url(self, scheme: str, port: int | None) -> str:
        host = self.settings.bind_address
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"{scheme}://{host}:{port}"

    @property
    def url(self) -> str:
        """The plain HTTP URL; the HTTPS one with --disable-http."""
        if self.settings.disable_http and self.https_port is not None:
            return self._url("https", self.https_port)
        return self._url("http", self.port)

    @property
    def https_url(self) -> str | None:
        return self._url("https", self.https_port) if self.https_port is not None else None

    @property
    def urls(self) -> list[str]:
        """Every URL served: HTTP first."""
        out = [] if self.settings.disable_http else [self._url("http", self.port)]
        return out + ([self._url("https", self.https_port)] if self.https_port is not None else [])

    # -- one request -----------------------------------------------------------------------------
    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        raw = request.raw_path
        prefix = self.settings.admin_prefix
        if raw == prefix or raw.startswith(prefix + "/") or raw.startswith(prefix + "?"):
            sub = raw[len(prefix) :].partition("?")[0]
            return await handle_admin(self.core, request, sub, self.request_shutdown)
        cors = self.settings.enable_stub_cors
        if cors and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return web.Response(status=200, headers=CORS)  # a preflight is answered here, not by stubs
        started = asyncio.get_running_loop().time()
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(
                status=413, text=f"Request body larger than {self.settings.max_body_size} bytes"
            )
        req = self._logged(request, body)
        outcome = self.core.serve(req)
        plan = outcome.plan
        logging_requests = self.settings.verbose and not self.settings.disable_request_logging
        if outcome.extra.get("report") and logging_requests:
            log.info("%s", outcome.extra["report"])
        if plan.proxy is not None:
            plan = await self._proxy(plan)
        if cors:
            plan = replace(plan, headers=(*plan.headers, *CORS.items()), header_memo=None)
        processed = asyncio.get_running_loop().time()
        try:
            response = await deliver(request, plan)
        except ConnectionClosed:
            self.core.journal.complete(outcome.event, ResponseSnapshot(0, (), b"", plan.fault))
            self._fire_webhooks(outcome.event)
            return closed_response()  # aiohttp ends it like an early client disconnect: quietly
        finally:
            done = asyncio.get_running_loop().time()
            outcome.event.timing = Timing(
                added_delay_ms=int(plan.delay_ms),
                process_time_ms=int((processed - started) * 1000),
                response_send_time_ms=int((done - processed) * 1000),
                serve_time_ms=int((done - started) * 1000),
                total_time_ms=int((done - started) * 1000),
            )
        sent = ResponseSnapshot(plan.status, plan.headers, plan.body, None)
        self.core.journal.complete(outcome.event, sent)
        self.core.served(outcome.event, sent)
        self._fire_webhooks(outcome.event)
        if logging_requests:
            _log_served(req, outcome.event.stub, plan.status, outcome.event.timing.total_time_ms)
        return response

    def _fire_webhooks(self, event: ServeEvent) -> None:
        stub = event.stub
        if stub is None or (stub.serve_event_listeners is None and stub.post_serve_actions is None):
            return
        if self._webhooks is None:
            from mockd.webhooks import Webhooks  # with the first stub that may have some

            self._webhooks = Webhooks(self.core, self.upstream, self.settings.webhook_concurrency)
        self._webhooks.fire(event)

    async def _proxy(self, plan: Plan) -> Plan:
        assert plan.proxy is not None
        try:
            up = await self.upstream.forward(plan.proxy)
        except UpstreamError as exc:
            return Plan(500, (("Content-Type", "text/plain"),), exc.body.encode(), delay_ms=plan.delay_ms)
        headers = up.headers
        if self.settings.enable_stub_cors:
            headers = tuple((k, v) for k, v in headers if not k.lower().startswith("access-control"))
        return Plan(
            up.status,
            (*headers, *plan.proxy.stub_headers),
            up.body,
            up.reason,
            delay_ms=plan.delay_ms,
            dribble=plan.dribble,
            fault=plan.fault,
            gzip=False,
        )

    def _logged(self, request: web.BaseRequest, body: bytes) -> LoggedRequest:
        host, port = _split_host(request.headers.get("Host", ""))
        handler = request.protocol
        if isinstance(handler, GuardedHandler):
            peer, sockname = handler.addresses
        else:
            transport = request.transport
            peer = transport.get_extra_info("peername") if transport else None
            sockname = transport.get_extra_info("sockname") if transport else None
        if port is None:
            port = int(sockname[1]) if sockname else self.port
        version = request.version
        return LoggedRequest.create(
            request.method,
            request.raw_path,
            _headers(request),
            body,
            scheme=request.scheme,
            host=host or (sockname[0] if sockname else "localhost"),
            port=port,
            socket_ip=str(peer[0]) if peer else "127.0.0.1",
            protocol=_PROTOCOLS.get(version) or f"HTTP/{version.major}.{version.minor}",
            max_decoded=self.settings.max_body_size,  # gzip bombs: decoded no larger than a plain body
        )


_PROTOCOLS = {HttpVersion11: "HTTP/1.1", HttpVersion10: "HTTP/1.0"}


def _network_rules(settings: Settings) -> NetworkRules | None:
    if not settings.allow_proxy_targets and not settings.deny_proxy_targets:
        return None
    from mockd.netrules import NetworkRules

    return NetworkRules.of(settings.allow_proxy_targets, settings.deny_proxy_targets)


def _log_served(req: LoggedRequest, stub: StubMapping | None, status: int, ms: int) -> None:
    """--verbose: one line per request served by a stub (or answered 404)."""
    matched = f"stub {stub.name or stub.id}" if stub is not None else "no stub"
    log.info("%s %s -> %d (%s, %d ms)", req.method, req.url, status, matched, ms)


def _headers(request: web.BaseRequest) -> tuple[tuple[str, str], ...]:
    return tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in request.raw_headers)


@functools.lru_cache(maxsize=256)  # a server sees few distinct Host headers; each is split once
def _split_host(value: str) -> tuple[str, int | None]:
    if not value:
        return "", None
    if value.startswith("["):
        end = value.find("]")
        host = value[1:end] if end > 0 else value
        rest = value[end + 1 :] if end > 0 else ""
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = value.partition(":")
    return host, int(port) if port.isdigit() else None


# -- blocking entry point --------------------------------------------------------------------------


def start_failure(settings: Settings, exc: MockdError | OSError) -> str:
    """What to print when the server cannot start: the stub problem, or the address it cannot bind."""
    if isinstance(exc, OSError):
        return f"cannot listen on {settings.bind_address}:{settings.port}: {exc.strerror}"
    return str(exc)


async def serve_forever(settings: Settings, on_ready: Callable[[MockdServer], None] | None = None) -> int:
    server = MockdServer(settings)
    stop = asyncio.Event()
    server._shutdown_hook = stop.set
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await server.start()
    except (MockdError, OSError) as exc:
        print(f"mockd: {start_failure(settings, exc)}", file=sys.stderr)
        return 1
    gc.freeze()  # a server process: what start-up made (modules, stubs) is never scanned by the GC again
    if on_ready is not None:
        on_ready(server)
    await stop.wait()
    await server.stop()
    return 0


def run(settings: Settings, on_ready: Callable[[MockdServer], None] | None = None) -> int:
    try:
        import uvloop

        return uvloop.run(serve_forever(settings, on_ready))
    except ImportError:
        return asyncio.run(serve_forever(settings, on_ready))
