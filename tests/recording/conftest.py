"""A real upstream to record: an aiohttp server on 127.0.0.1 port 0, in its own thread, serving JSON,
text, binary, compressed and changing answers."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from itertools import count

import pytest
from aiohttp import web
from support import UpstreamServer

BINARY = bytes(range(256)) * 8
BIG_TEXT = "0123456789abcdef" * 400  # 6400 characters


def make_app() -> web.Application:
    calls = count(1)
    app = web.Application()

    async def users(request: web.Request) -> web.Response:
        return web.json_response({"users": [{"id": 1, "name": "Ada"}]}, headers={"X-Trace": "t-1"})

    async def text(request: web.Request) -> web.Response:
        return web.Response(text="hello there", headers={"X-Multi": "a"})

    async def image(request: web.Request) -> web.Response:
        return web.Response(body=BINARY, content_type="image/png")

    async def search(request: web.Request) -> web.Response:
        return web.json_response({"q": request.query.getall("q", []), "page": request.query.get("page")})

    async def orders(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"created": body}, status=201, headers={"Location": "/api/orders/7"})

    async def counter(request: web.Request) -> web.Response:
        return web.Response(text=f"call {next(calls)}", headers={"Cache-Control": "no-store"})

    async def gzipped(request: web.Request) -> web.Response:
        return web.Response(
            body=gzip.compress(json.dumps({"zipped": True}).encode()),
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )

    async def deflated(request: web.Request) -> web.Response:
        return web.Response(
            body=zlib.compress(b"deflated words"),
            headers={"Content-Type": "text/plain", "Content-Encoding": "deflate"},
        )

    async def big(request: web.Request) -> web.Response:
        return web.Response(text=BIG_TEXT)

    async def xml(request: web.Request) -> web.Response:
        return web.Response(text="<doc><a>1</a></doc>", content_type="application/xml")

    async def latin(request: web.Request) -> web.Response:
        return web.Response(
            body="café".encode("latin-1"), headers={"Content-Type": "text/plain; charset=iso-8859-1"}
        )

    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        return web.json_response({"method": request.method, "path": request.raw_path, "body": body.decode()})

    app.router.add_get("/api/users", users)
    app.router.add_get("/api/text", text)
    app.router.add_get("/api/image", image)
    app.router.add_get("/api/search", search)
    app.router.add_post("/api/orders", orders)
    app.router.add_get("/api/counter", counter)
    app.router.add_get("/api/gzip", gzipped)
    app.router.add_get("/api/deflate", deflated)
    app.router.add_get("/api/big", big)
    app.router.add_get("/api/xml", xml)
    app.router.add_get("/api/latin", latin)
    app.router.add_route("*", "/{tail:.*}", echo)
    return app


@pytest.fixture
def upstream() -> Iterator[UpstreamServer]:
    with UpstreamServer(make_app()) as server:
        yield server
