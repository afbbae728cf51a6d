"""Text for people: a journal entry on one line, and WireMock's expected | actual table for a near miss.

The table is drawn by the same renderer as mockd's 404 report (`mockd.notmatched.render_diff`), fed with
the JSON the admin API returned, so it works whichever server (mockd or WireMock) answered. A pattern
mockd cannot read (a WireMock extension matcher) falls back to plain JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from typing import Any

from mockd.errors import MockdError

BODY_PREVIEW = 120
MAX_LISTED = 20


def request_line(request: Mapping[str, Any]) -> str:
    """`POST /orders  {"id":1}` (body shortened)."""
    line = f"{request.get('method', '?')} {request.get('url', '?')}"
    body = _body_text(request)
    if body:
        flat = " ".join(body.split())
        line += "  " + (flat if len(flat) <= BODY_PREVIEW else flat[: BODY_PREVIEW - 3] + "...")
    return line


def served_line(event: Mapping[str, Any]) -> str:
    """One ServeEvent: the request, then what answered it."""
    request = event.get("request") or {}
    response = event.get("response") or event.get("responseDefinition") or {}
    status = response.get("status", "?")
    if not event.get("wasMatched", True):
        return f"{request_line(request)}  -> {status} (unmatched)"
    stub = event.get("stubMapping") or {}
    name = stub.get("name") or stub.get("id") or "?"
    return f"{request_line(request)}  -> {status} (stub {name})"


def listing(lines: Sequence[str], limit: int = MAX_LISTED) -> str:
    shown = [f"  {i}. {line}" for i, line in enumerate(lines[:limit], 1)]
    if len(lines) > limit:
        shown.append(f"  ... and {len(lines) - limit} more")
    return "\n".join(shown) if shown else "  (none)"


def near_miss_diff(
    pattern: Mapping[str, Any], request: Mapping[str, Any], name: str | None = None, *, of_stub: bool = False
) -> str:
    """WireMock's expected | actual table for `request` against a RequestPattern (JSON); its left column
    is headed "Closest stub" when the pattern is a stub's, else "Expected"."""
    try:
        from mockd.notmatched import render_diff
        from mockd.scenarios import Scenarios
        from mockd.stubs.codec import stub_from_json

        stub_doc: dict[str, Any] = {"request": dict(pattern), "response": {}}
        if name:
            stub_doc["name"] = name
        table = render_diff(logged_request(request), stub_from_json(stub_doc), Scenarios())
        return table if of_stub else table.replace("| Closest stub ", "| Expected     ", 1)
    except (MockdError, ValueError, TypeError, KeyError, AttributeError):
        return (
            f"  expected: {json.dumps(pattern, sort_keys=True, default=str)}\n"
            f"  actual:   {request_line(request)}"
        )


def logged_request(doc: Mapping[str, Any]) -> Any:
    """A LoggedRequest (mockd's model) from WireMock's LoggedRequest JSON."""
    from mockd.http import LoggedRequest

    headers: list[tuple[str, str]] = []
    for key, value in (doc.get("headers") or {}).items():
        for item in value if isinstance(value, list) else [value]:
            headers.append((str(key), str(item)))
    port = doc.get("port")
    return LoggedRequest.create(
        str(doc.get("method") or "GET"),
        str(doc.get("url") or "/"),
        headers,
        _body_bytes(doc),
        scheme=str(doc.get("scheme") or "http"),
        host=str(doc.get("host") or "localhost"),
        port=int(port) if isinstance(port, int) else 80,
        socket_ip=str(doc.get("clientIp") or "127.0.0.1"),
    )


def _body_bytes(doc: Mapping[str, Any]) -> bytes:
    encoded = doc.get("bodyAsBase64")
    if isinstance(encoded, str) and encoded:
        try:
            return base64.b64decode(encoded)
        except (binascii.Error, ValueError):
            pass
    body = doc.get("body")
    return body.encode("utf-8") if isinstance(body, str) else b""


def _body_text(doc: Mapping[str, Any]) -> str:
    body = doc.get("body")
    if isinstance(body, str):
        return body
    return _body_bytes(doc).decode("utf-8", errors="replace")
