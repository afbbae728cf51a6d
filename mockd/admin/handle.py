"""Entry point for one admin request: auth, route, parse -> call core -> serialize, errors as envelopes."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable
from urllib.parse import unquote

from aiohttp import web

from mockd.admin.call import AdminCall
from mockd.admin.errors import error_response, internal_error
from mockd.core import Mockd
from mockd.errors import HttpsRequired, MockdError

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "OPTIONS,GET,POST,PUT,PATCH,DELETE",
    "Access-Control-Allow-Headers": "*",
}


def _authorised(request: web.BaseRequest, credentials: str | None) -> bool:
    if credentials is None:
        return True
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return hmac.compare_digest(given.encode(), credentials.encode())


async def handle_admin(
    core: Mockd, request: web.BaseRequest, sub_path: str, shutdown: Callable[[], None]
) -> web.StreamResponse:
    if request.method == "OPTIONS":
        return web.Response(status=200, headers=CORS)
    if core.settings.admin_api_require_https and request.scheme != "https":
        return error_response(HttpsRequired(HttpsRequired.title))
    if not _authorised(request, core.settings.admin_api_basic_auth):
        return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="mockd admin"'})
    from mockd.admin.routes import resolve  # every admin module: loaded with the first admin call

    found = resolve(request.method, unquote(sub_path))
    if found is None:
        return web.Response(status=404, headers=CORS)
    handler, params = found
    try:
        body = await request.read()
        response = await handler(AdminCall(core, request, params, body, shutdown))
    except web.HTTPException as exc:  # returning the exception itself is deprecated in aiohttp
        response = web.Response(status=exc.status, reason=exc.reason, headers=exc.headers, body=exc.body)
    except MockdError as exc:
        response = error_response(exc)
    except Exception as exc:
        response = internal_error(exc)
    for k, v in CORS.items():
        response.headers.setdefault(k, v)
    return response
