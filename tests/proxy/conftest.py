"""A real upstream for the proxy tests: an aiohttp server on 127.0.0.1 port 0, in its own thread."""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from collections.abc import Iterator

import pytest
from aiohttp import web
from support import UpstreamServer


async def echo(request: web.Request) -> web.Response:
    body = await request.read()
    doc = {
        "method": request.method,
        "path": request.raw_path,
        "headers": {k.lower(): v for k, v in request.headers.items()},
        "header_list": [[k, v] for k, v in request.headers.items()],
        "body": body.decode("utf-8", "replace"),
        "body_hex": body.hex(),
    }
    return web.json_response(doc, headers={"X-Upstream": "echo"})


GZIPPED = gzip.compress(b'{"zipped":true}')
DEFLATED = zlib.compress(b"deflated text")


async def gzipped(request: web.Request) -> web.Response:
    return web.Response(
        body=GZIPPED, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )


async def deflated(request: web.Request) -> web.Response:
    return web.Response(body=DEFLATED, headers={"Content-Type": "text/plain", "Content-Encoding": "deflate"})


async def hop(request: web.Request) -> web.Response:
    return web.Response(
        text="hop",
        headers={
            "Connection": "X-Hop-Private",
            "X-Hop-Private": "1",
            "Keep-Alive": "timeout=5",
            "X-End": "e",
        },
    )


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(float(request.query.get("s", "3")))
    return web.Response(text="late")


async def broken(request: web.Request) -> web.StreamResponse:
    """Promises 1000 bytes, sends 10, then drops the connection."""
    response = web.StreamResponse(headers={"Content-Length": "1000", "Content-Type": "text/plain"})
    await response.prepare(request)
    await response.write(b"0123456789")
    assert request.transport is not None
    request.transport.close()
    return response


async def statuses(request: web.Request) -> web.Response:
    code = int(request.match_info["code"])
    return web.Response(status=code, text=json.dumps({"status": code}), content_type="application/json")


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/gzip", gzipped)
    app.router.add_get("/deflate", deflated)
    app.router.add_get("/hop", hop)
    app.router.add_get("/slow", slow)
    app.router.add_get("/broken", broken)
    app.router.add_get("/status/{code}", statuses)
    app.router.add_route("*", "/{tail:.*}", echo)
    return app


@pytest.fixture
def upstream() -> Iterator[UpstreamServer]:
    with UpstreamServer(make_app()) as server:
        yield server
