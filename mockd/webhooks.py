"""Webhooks: WireMock 3's built-in `webhook` serve-event listener, fired once a stub's answer is complete.

A stub names it in `serveEventListeners` (`[{name, requestPhases?, parameters}]`) or in the older
`postServeActions` (the same list, or a map `{"webhook": parameters}`). After the answer (WireMock's
AFTER_COMPLETE phase; a fault counts as an answer), each webhook of the stub is rendered at once
(Handlebars, always: `originalRequest` is the served request, `parameters` the listener's parameters),
then waits its `delay` and is sent with the proxy's client, at most `--webhook-threadpool-size` at a time.

What happened is kept on the serve event as sub-events, as WireMock 3.13 does: WEBHOOK_REQUEST and
WEBHOOK_RESPONSE, or ERROR with a message (a webhook that cannot be configured, a target that cannot be
reached). WireMock accepts any parameters when the stub is created, so mockd does too; a bad webhook
is reported when it fires, with the JSON pointer of the bad parameter, in the sub-event and the log.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mockd.admin.serialize import logged_request_json, snapshot_json
from mockd.core import Mockd
from mockd.delays import sample
from mockd.dispatch import ProxyPlan
from mockd.errors import InvalidInput, MockdError
from mockd.http import LoggedRequest, split_url
from mockd.stubs.codec import delay_from_json
from mockd.stubs.model import DelaySpec, ResponseSnapshot, ServeEvent, StubMapping, SubEvent
from mockd.templating import Dialect
from mockd.upstream import ProhibitedTarget, Upstream, UpstreamError

log = logging.getLogger("mockd")

NAME = "webhook"
PHASE = "AFTER_COMPLETE"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})  # WireMock sends a body with these methods only
MAX_PENDING = 10_000  # webhooks rendered and waiting (their delay, or a free sender): memory stays bounded
CONFIGURING = "Exception thrown while configuring webhook: "


@dataclass(frozen=True)
class Webhook:
    """One `webhook` listener of a stub: its parameters as written, and where they are."""

    pointer: str
    parameters: Any


def webhooks_of(stub: StubMapping) -> list[Webhook]:
    """The stub's webhooks that fire after the answer, in the order written."""
    out: list[Webhook] = []
    listeners = stub.serve_event_listeners
    if isinstance(listeners, list):
        for i, item in enumerate(listeners):
            if isinstance(item, Mapping) and item.get("name") == NAME and _after_complete(item):
                out.append(Webhook(f"/serveEventListeners/{i}/parameters", item.get("parameters")))
    actions = stub.post_serve_actions
    if isinstance(actions, list):
        for i, item in enumerate(actions):
            if isinstance(item, Mapping) and item.get("name") == NAME:
                out.append(Webhook(f"/postServeActions/{i}/parameters", item.get("parameters")))
    elif isinstance(actions, Mapping) and NAME in actions:
        out.append(Webhook(f"/postServeActions/{NAME}", actions[NAME]))
    return out


def _after_complete(listener: Mapping[str, Any]) -> bool:
    phases = listener.get("requestPhases")
    return phases is None or (isinstance(phases, list) and PHASE in phases)


@dataclass(frozen=True)
class Outgoing:
    """A rendered webhook, ready to send."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None  # None: no body (not POST, PUT or PATCH, or none given)
    delay: DelaySpec | None


class WebhookError(Exception):
    pass


def _text(value: Any, pointer: str, name: str, default: str | None = None) -> str:
    if value is None:
        if default is not None:
            return default
        raise WebhookError(f"{pointer}/{name}: '{name}' not present")
    if not isinstance(value, str):
        raise WebhookError(f"{pointer}/{name}: expected a string, got {type(value).__name__}")
    return value


def _header_values(value: Any, pointer: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, dict | list) or item is None:
            where = f"{pointer}/{i}" if isinstance(value, list) else pointer
            raise WebhookError(f"{where}: expected a string or a list of strings")
        out.append(("true" if item else "false") if isinstance(item, bool) else str(item))
    return out


def render(core: Mockd, hook: Webhook, request: LoggedRequest) -> Outgoing:
    """Check and render one webhook for the request that was served (WebhookError says what and where)."""
    params, pointer = hook.parameters, hook.pointer
    if not isinstance(params, Mapping):
        raise WebhookError(f"{pointer}: expected an object of parameters")
    url = _text(params.get("url"), pointer, "url")
    method = _text(params.get("method"), pointer, "method", "GET")
    raw_headers = params.get("headers")
    if raw_headers is not None and not isinstance(raw_headers, Mapping):
        raise WebhookError(f"{pointer}/headers: expected an object")
    headers = [
        (name, value)
        for name, values in (raw_headers or {}).items()
        for value in _header_values(values, f"{pointer}/headers/{name}")
    ]
    body: bytes | None = None
    text_body = params.get("body")
    if text_body is not None:
        _text(text_body, pointer, "body")
    elif params.get("base64Body") is not None:
        try:
            body = base64.b64decode(_text(params.get("base64Body"), pointer, "base64Body"), validate=True)
        except (binascii.Error, ValueError):
            raise WebhookError(f"{pointer}/base64Body: not valid base64") from None
    delay = None
    if params.get("delay") is not None:
        try:
            delay = delay_from_json(params.get("delay"), f"{pointer}/delay")
        except InvalidInput as exc:
            raise WebhookError(f"{exc.location.pointer or pointer + '/delay'}: {exc.detail}") from None

    engine = core.engine
    model = engine.model(request, parameters=params)
    model = {"originalRequest": model["request"], "parameters": model["parameters"]}
    try:
        url = engine.render(url, Dialect.HANDLEBARS, model).strip()
        method = engine.render(method, Dialect.HANDLEBARS, model).strip().upper()
        headers = [(k, engine.render(v, Dialect.HANDLEBARS, model)) for k, v in headers]
        if isinstance(text_body, str):
            body = engine.render(text_body, Dialect.HANDLEBARS, model).encode("utf-8")
    except MockdError as exc:  # a template that does not parse, or fails
        raise WebhookError(f"{pointer}: {exc.detail}") from None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(f"{pointer}/url: not an absolute http(s) URL: {url!r}")
    if not method.isascii() or not method.isalpha():
        raise WebhookError(f"{pointer}/method: not an HTTP method: {method!r}")
    if any("\r" in k or "\n" in k or "\r" in v or "\n" in v for k, v in headers):
        raise WebhookError(f"{pointer}/headers: a header name or value holds a line break")
    return Outgoing(method, url, tuple(headers), body if method in BODY_METHODS else None, delay)


def request_event(out: Outgoing) -> SubEvent:
    """WEBHOOK_REQUEST: the request as WireMock logs it (no id, client IP, cookies or protocol)."""
    parts = urlsplit(out.url)
    path, query = split_url(out.url[len(f"{parts.scheme}://{parts.netloc}") :] or "/")
    target = path + (f"?{query}" if query is not None else "")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    logged = LoggedRequest.create(
        out.method, target, out.headers, out.body or b"", scheme=parts.scheme, host=parts.hostname, port=port
    )
    data = logged_request_json(logged)
    for key in ("id", "clientIp", "cookies", "protocol"):
        data.pop(key, None)
    if out.body is None:
        data.pop("body", None)
        data.pop("bodyAsBase64", None)
    return SubEvent("WEBHOOK_REQUEST", 0, data)


def error_event(message: str) -> SubEvent:
    return SubEvent("ERROR", None, {"message": message})


class Webhooks:
    """Fires the webhooks of served stubs; owned by the server (one per process)."""

    def __init__(self, core: Mockd, upstream: Upstream, concurrency: int = 10) -> None:
        self.core = core
        self.upstream = upstream
        self._senders = asyncio.Semaphore(max(1, concurrency))
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def fire(self, event: ServeEvent) -> None:
        """Called once the answer to `event` is complete."""
        stub = event.stub
        if stub is None:
            return
        for hook in webhooks_of(stub):
            self._fire_one(event, stub, hook)

    def _fire_one(self, event: ServeEvent, stub: StubMapping, hook: Webhook) -> None:
        try:
            out = render(self.core, hook, event.request)
        except WebhookError as exc:
            self._error(event, f"{CONFIGURING}{exc}", stub)
            return
        if len(self._tasks) >= MAX_PENDING:
            self._error(
                event, f"Webhook {out.method} {out.url} not sent: {MAX_PENDING} webhooks pending", stub
            )
            return
        task = asyncio.get_running_loop().create_task(self._send(event, stub, out))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, event: ServeEvent, stub: StubMapping, out: Outgoing) -> None:
        if out.delay is not None:
            await asyncio.sleep(sample(out.delay) / 1000.0)
        async with self._senders:
            event.sub_events.append(request_event(out))
            plan = ProxyPlan(out.url, out.method, out.headers, out.body or b"")
            started = time.monotonic()
            try:
                response = await self.upstream.send(plan)
            except ProhibitedTarget:
                message = (
                    f"The target webhook address {out.url} specified by stub {stub.name or stub.id} "
                    "is denied in WireMock's configuration."
                )
                self._error(event, message, stub)
                return
            except UpstreamError as exc:
                self._error(event, f"Failed to fire webhook {out.method} {out.url}: {exc.message}", stub)
                return
        snapshot = ResponseSnapshot(response.status, response.headers, response.body)
        event.sub_events.append(SubEvent("WEBHOOK_RESPONSE", 0, snapshot_json(snapshot)))
        log.info(
            "Webhook %s request to %s returned status %s (%.0f ms)",
            out.method,
            out.url,
            response.status,
            (time.monotonic() - started) * 1000,
        )

    def _error(self, event: ServeEvent, message: str, stub: StubMapping) -> None:
        event.sub_events.append(error_event(message))
        log.warning("stub %s: %s", stub.name or stub.id, message)

    async def close(self) -> None:
        """Cancel what has not been sent yet (the server is stopping)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


__all__ = ["Outgoing", "Webhook", "WebhookError", "Webhooks", "render", "webhooks_of"]
