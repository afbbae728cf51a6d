"""WireMock's error envelope: {"errors": [{"code", "source": {"pointer"}, "title", "detail"}]}."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from mockd.admin.call import json_response
from mockd.errors import JsonSyntaxError, MockdError, NotFound

log = logging.getLogger("mockd.admin")


def envelope(exc: MockdError) -> dict[str, Any]:
    error: dict[str, Any] = {"code": exc.code}
    if isinstance(exc, JsonSyntaxError):
        error["source"] = {}
    elif exc.pointer is not None:
        error["source"] = {"pointer": exc.pointer}
    error["title"] = exc.title
    detail = exc.detail
    if exc.location.line is not None:
        detail = f"{detail} (line {exc.location.line}, column {exc.location.column})"
    if detail and detail != exc.title:
        error["detail"] = detail
    return {"errors": [error]}


def error_response(exc: MockdError) -> web.Response:
    if isinstance(exc, NotFound) and exc.title == NotFound.title:
        return web.Response(status=404)  # WireMock: an unknown id is 404 with an empty body
    return json_response(envelope(exc), status=exc.status)


def internal_error(exc: BaseException) -> web.Response:
    """A bug: logged with its traceback; the client still gets the envelope, never a bare crash."""
    log.exception("admin handler failed", exc_info=exc)
    body = {"errors": [{"code": 500, "title": "Internal error", "detail": f"{type(exc).__name__}: {exc}"}]}
    return json_response(body, status=500)
