"""Webhooks (`serveEventListeners` / `postServeActions` named `webhook`), against a real target server.

The expected sub-events and wire behaviour were observed on the real WireMock 3.13.2 (anchors): body
only for POST/PUT/PATCH, repeated header values sent as repeated headers, `originalRequest` and
`parameters` in templates (no `request`), WEBHOOK_REQUEST/WEBHOOK_RESPONSE/ERROR sub-events.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from conftest import Start
from support import UpstreamServer

WAIT = 10.0  # seconds: the bound of every wait in this file


class Target:
    """A webhook target that records what it receives."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.arrived = threading.Condition()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._any)
        self.server = UpstreamServer(app)

    async def _any(self, request: web.Request) -> web.Response:
        if request.path == "/slow":
            await asyncio.sleep(0.3)
        body = await request.read()
        with self.arrived:
            self.received.append(
                {
                    "method": request.method,
                    "path": request.path_qs,
                    "headers": [(k, v) for k, v in request.headers.items()],
                    "body": body,
                    "at": time.monotonic(),
                }
            )
            self.arrived.notify_all()
        return web.Response(status=202, text="target ok", headers={"X-Target": "yes"})

    def wait(self, count: int) -> list[dict[str, Any]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, WAIT), self.received
            return list(self.received)

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def target() -> Iterator[Target]:
    t = Target()
    with t.server:
        yield t


def _sub_events(http: httpx.Client, url: str, count: int) -> list[dict[str, Any]]:
    """The sub-events of the journaled request to `url`, once there are `count` of them."""
    deadline = time.monotonic() + WAIT
    while True:
        events = [e for e in http.get("/__admin/requests").json()["requests"] if e["request"]["url"] == url]
        subs = events[0]["subEvents"] if events else []
        if len(subs) >= count or time.monotonic() > deadline:
            assert len(subs) == count, subs
            return list(subs)
        time.sleep(0.02)


def _post_stub(http: httpx.Client, stub: dict[str, Any]) -> None:
    assert http.post("/__admin/mappings", json=stub).status_code == 201


def _webhook(**parameters: Any) -> list[dict[str, Any]]:
    return [{"name": "webhook", "parameters": parameters}]


def test_a_templated_webhook_is_sent_after_the_answer(start: Start, target: Target) -> None:
    with start() as (_, http):
        _post_stub(
            http,
            {
                "request": {"urlPath": "/hook", "method": "POST"},
                "response": {"status": 200, "body": "done"},
                "serveEventListeners": _webhook(
                    method="{{originalRequest.headers.X-M}}",
                    url=target.url + "/cb/{{originalRequest.query.id}}?x={{parameters.extra}}",
                    headers={"Content-Type": "application/json", "X-Multi": ["a", "b"], "X-N": 5},
                    body='{"got":"{{jsonPath originalRequest.body \'$.name\'}}","req":"{{request.url}}"}',
                    extra="E1",
                ),
            },
        )
        answer = http.post("/hook?id=7", headers={"X-M": "put"}, content=b'{"name":"bob"}')
        assert (answer.status_code, answer.text) == (200, "done")

        (got,) = target.wait(1)
        assert (got["method"], got["path"]) == ("PUT", "/cb/7?x=E1")
        assert got["body"] == b'{"got":"bob","req":""}'  # no `request` in a webhook's model
        sent = [(k, v) for k, v in got["headers"] if k.startswith("X-") or k == "Content-Type"]
        assert sent == [
            ("Content-Type", "application/json"),
            ("X-Multi", "a"),
            ("X-Multi", "b"),
            ("X-N", "5"),
        ]

        request, response = _sub_events(http, "/hook?id=7", 2)
    assert request["type"] == "WEBHOOK_REQUEST" and request["timeOffsetNanos"] == 0
    data = request["data"]
    assert set(data) == {
        "url", "absoluteUrl", "method", "headers", "browserProxyRequest", "loggedDate", "bodyAsBase64",
        "body", "scheme", "host", "port", "loggedDateString", "queryParams", "formParams",
    }  # fmt: skip
    assert data["url"] == "/cb/7?x=E1" and data["absoluteUrl"] == target.url + "/cb/7?x=E1"
    assert data["headers"] == {"Content-Type": "application/json", "X-Multi": ["a", "b"], "X-N": "5"}
    assert (data["method"], data["body"], data["port"]) == (
        "PUT",
        '{"got":"bob","req":""}',
        target.server.port,
    )
    assert data["queryParams"] == {"x": {"key": "x", "values": ["E1"]}}
    assert response["type"] == "WEBHOOK_RESPONSE"
    assert response["data"]["status"] == 202 and response["data"]["body"] == "target ok"
    assert response["data"]["headers"]["X-Target"] == "yes"


def test_legacy_forms_phases_and_bodies(start: Start, target: Target) -> None:
    with start() as (_, http):
        _post_stub(
            http,
            {
                "request": {"urlPath": "/map"},
                "response": {"status": 204},
                "postServeActions": {"webhook": {"url": target.url + "/map", "body": "not sent with GET"}},
            },
        )
        _post_stub(
            http,
            {
                "request": {"urlPath": "/list"},
                "response": {"status": 204},
                "postServeActions": _webhook(method="POST", url=target.url + "/list", base64Body="AAEC/w=="),
                "serveEventListeners": [
                    {"name": "nosuch", "parameters": {}},
                    {"name": "webhook", "requestPhases": ["BEFORE_MATCH"], "parameters": {"url": target.url}},
                    {
                        "name": "webhook",
                        "requestPhases": ["AFTER_COMPLETE"],
                        "parameters": {"url": target.url},
                    },
                ],
            },
        )
        assert http.get("/map").status_code == 204
        assert target.wait(1)[0]["method"] == "GET"
        assert http.get("/list").status_code == 204
        received = target.wait(3)
        subs = _sub_events(http, "/list", 4)
        map_request = _sub_events(http, "/map", 2)[0]["data"]
    by_path = {r["path"]: r for r in received}
    assert set(by_path) == {"/map", "/list", "/"}  # not the BEFORE_MATCH one, not the unknown listener
    assert by_path["/map"]["body"] == b""
    assert (by_path["/list"]["method"], by_path["/list"]["body"]) == ("POST", b"\x00\x01\x02\xff")
    assert [s["type"] for s in subs].count("WEBHOOK_RESPONSE") == 2
    assert "body" not in map_request and "bodyAsBase64" not in map_request


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"method": "DELETE"}, "/serveEventListeners/0/parameters/url: 'url' not present"),
        ({"url": "not a url {{originalRequest.path}}"}, "not an absolute http(s) URL: 'not a url /bad'"),
        ({"url": "http://x", "base64Body": "%%%"}, "/serveEventListeners/0/parameters/base64Body: not valid"),
        (
            {"url": "http://x", "delay": {"type": "soon"}},
            "/serveEventListeners/0/parameters/delay/type: unknown",
        ),
        ({"url": "http://x", "headers": {"A": {"b": 1}}}, "/serveEventListeners/0/parameters/headers/A: "),
        ({"url": "http://x/{{#if}}"}, "/serveEventListeners/0/parameters: "),
        ({"url": 7}, "/serveEventListeners/0/parameters/url: expected a string, got int"),
    ],
)
def test_a_webhook_that_cannot_be_configured_is_an_error_sub_event(
    start: Start, parameters: dict[str, Any], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    with start() as (_, http):
        _post_stub(
            http,
            {
                "request": {"urlPath": "/bad"},
                "response": {"status": 200},
                "serveEventListeners": _webhook(**parameters),
            },
        )
        assert http.get("/bad").status_code == 200
        (error,) = _sub_events(http, "/bad", 1)
        assert http.get("/__admin/health").status_code == 200  # still serving
    assert error["type"] == "ERROR" and "timeOffsetNanos" not in error
    assert error["data"]["message"].startswith("Exception thrown while configuring webhook: ")
    assert message in error["data"]["message"]
    assert any(message in r.getMessage() for r in caplog.records)


def test_an_unreachable_target_is_an_error_sub_event(start: Start) -> None:
    with UpstreamServer(web.Application()) as gone:
        url = gone.url + "/nothing"  # a port that was just free: nothing listens there afterwards
    with start() as (_, http):
        _post_stub(
            http,
            {
                "request": {"urlPath": "/down"},
                "response": {"status": 200},
                "serveEventListeners": _webhook(method="POST", url=url, body="x"),
            },
        )
        assert http.get("/down").status_code == 200
        request, error = _sub_events(http, "/down", 2)
    assert request["type"] == "WEBHOOK_REQUEST" and request["data"]["body"] == "x"
    assert error == {
        "type": "ERROR",
        "data": {"message": f"Failed to fire webhook POST {url}: Connection refused"},
    }


def test_a_delayed_webhook_does_not_delay_the_answer(start: Start, target: Target) -> None:
    with start() as (_, http):
        _post_stub(
            http,
            {
                "request": {"urlPath": "/later"},
                "response": {"status": 200},
                "serveEventListeners": _webhook(
                    url=target.url + "/later", delay={"type": "fixed", "milliseconds": 400}
                ),
            },
        )
        asked = time.monotonic()
        assert http.get("/later").status_code == 200
        answered = time.monotonic()
        (got,) = target.wait(1)
    assert answered - asked < 0.4 <= got["at"] - asked


def test_a_fault_still_fires_the_webhook_and_files_fire_too(root: Path, start: Start, target: Target) -> None:
    (root / "mappings" / "hook.yaml").write_text(
        "request: {urlPath: /fault}\n"
        "response: {fault: CONNECTION_RESET_BY_PEER}\n"
        "serveEventListeners:\n"
        "  - name: webhook\n"
        "    parameters: {method: PATCH, url: '" + target.url + "/f', body: ''}\n"
    )
    with start() as (_, http):
        with pytest.raises(httpx.TransportError):
            http.get("/fault")
        (got,) = target.wait(1)
    assert (got["method"], got["path"], got["body"]) == ("PATCH", "/f", b"")


def test_webhooks_are_sent_at_most_n_at_a_time(start: Start, target: Target) -> None:
    with start(webhook_concurrency=1) as (_, http):
        _post_stub(
            http,
            {
                "request": {"urlPath": "/two"},
                "response": {"status": 200},
                "serveEventListeners": _webhook(url=target.url + "/slow"),
            },
        )
        assert http.get("/two").status_code == 200
        assert http.get("/two").status_code == 200
        first, second = target.wait(2)
    assert second["at"] - first["at"] >= 0.25  # the second waited for the first (0.3 s) to be answered


def test_stopping_the_server_cancels_pending_webhooks(start: Start, target: Target) -> None:
    with start() as (server, http):
        _post_stub(
            http,
            {
                "request": {"urlPath": "/never"},
                "response": {"status": 200},
                "serveEventListeners": _webhook(
                    url=target.url, delay={"type": "fixed", "milliseconds": 60_000}
                ),
            },
        )
        assert http.get("/never").status_code == 200
        stopping = time.monotonic()
        server.stop()
        assert time.monotonic() - stopping < 5.0
    assert target.received == []


def test_the_cli_flag(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mockd.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "--webhook-threadpool-size" in result.output
    bad = CliRunner().invoke(main, ["serve", "--root-dir", str(tmp_path), "--webhook-threadpool-size", "0"])
    assert bad.exit_code == 2 and "--webhook-threadpool-size" in bad.output


def test_the_readme_example(start: Start, target: Target) -> None:
    from test_readme import _blocks

    from mockd.loader import parse_yaml_documents

    (text,) = [b for b in _blocks("yaml") if "name: webhook" in b]
    doc = parse_yaml_documents(text.replace("http://localhost:9000", target.url))[0]
    with start() as (_, http):
        _post_stub(http, doc)
        asked = time.monotonic()
        assert http.post("/orders", json={"id": "A-1"}).status_code == 202
        (got,) = target.wait(1)
    assert (got["method"], got["path"]) == ("POST", "/callbacks/A-1")
    assert json.loads(got["body"]) == {"order": "A-1", "status": "shipped"}
    assert got["at"] - asked >= 0.5


def test_the_wiremock_client_sets_up_a_webhook(start: Start, target: Target) -> None:
    from wiremock.client import HttpMethods, Mapping, MappingRequest, MappingResponse, Mappings
    from wiremock.constants import Config

    with start() as (server, http):
        previous = Config.base_url
        Config.base_url = server.url + "/__admin"
        try:
            created = Mappings.create_mapping(
                Mapping(
                    request=MappingRequest(method=HttpMethods.GET, url="/client"),
                    response=MappingResponse(status=200),
                    post_serve_actions={
                        "webhook": {"url": target.url + "/from-client", "headers": {"X": "1"}}
                    },
                )
            )
            assert Mappings.retrieve_mapping(created.id).post_serve_actions["webhook"]["headers"] == {
                "X": "1"
            }
        finally:
            Config.base_url = previous
        assert http.get("/client").status_code == 200
        (got,) = target.wait(1)
    assert (got["method"], got["path"]) == ("GET", "/from-client") and ("X", "1") in got["headers"]
