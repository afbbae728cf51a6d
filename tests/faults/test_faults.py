"""Faults (spec §3): each one observed on the socket, through aiohttp and through httpx; after a delay;
journaled; and never leaving a traceback in the server log or stopping it from serving."""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import httpx
import pytest

from mockd.embedded import EmbeddedServer
from mockd.stubs.model import Fault, ServeEvent

FAULTS = [f.value for f in Fault]

AIOHTTP_ERRORS: dict[str, type[Exception]] = {
    "EMPTY_RESPONSE": aiohttp.ServerDisconnectedError,
    "MALFORMED_RESPONSE_CHUNK": aiohttp.ClientPayloadError,  # the 200 arrives; reading the body fails
    "RANDOM_DATA_THEN_CLOSE": aiohttp.ClientResponseError,  # "Bad status line"
    "CONNECTION_RESET_BY_PEER": aiohttp.ClientOSError,  # errno ECONNRESET
}
HTTPX_ERRORS: dict[str, type[Exception]] = {
    "EMPTY_RESPONSE": httpx.RemoteProtocolError,  # "Server disconnected without sending a response."
    "MALFORMED_RESPONSE_CHUNK": httpx.RemoteProtocolError,  # "incomplete chunked read"
    "RANDOM_DATA_THEN_CLOSE": httpx.RemoteProtocolError,
    "CONNECTION_RESET_BY_PEER": httpx.ReadError,  # "[Errno 104] Connection reset by peer"
}


@pytest.fixture
def quiet_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails the test if anything (aiohttp "Error handling request", asyncio "Task exception was never
    retrieved", mockd itself) logs a warning or an error while it runs."""
    caplog.set_level(logging.WARNING)
    yield
    gc.collect()  # unretrieved task exceptions are logged when the task is collected
    problems = [
        f"{r.name} {r.levelname}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.WARNING
    ]
    assert problems == []


@pytest.fixture
def faulty(server: EmbeddedServer, http: httpx.Client, quiet_log: None) -> EmbeddedServer:
    """A server with /fault/<NAME> for every fault, /slow/<NAME> (the fault after 300 ms) and /ok."""
    for name in FAULTS:
        stub(http, {"request": {"url": f"/fault/{name}"}, "response": {"fault": name}})
        slow = {"fault": name, "fixedDelayMilliseconds": 300}
        stub(http, {"request": {"urlPath": f"/slow/{name}"}, "response": slow})
    stub(http, {"request": {"url": "/ok"}, "response": {"body": "ok"}})
    return server


def stub(http: httpx.Client, mapping: dict[str, Any]) -> None:
    r = http.post("/__admin/mappings", json=mapping)
    assert r.status_code == 201, r.text


def still_serving(server: EmbeddedServer) -> None:
    r = httpx.get(server.url + "/ok", timeout=10)
    assert (r.status_code, r.text) == (200, "ok")


def events(server: EmbeddedServer) -> list[ServeEvent]:
    """Journaled events, oldest first, read on the server's loop (after any handler step in flight)."""
    result: list[ServeEvent] = server.call(lambda: list(server.core.journal.oldest_first()))
    return result


def assert_observed_on_socket(name: str, result: Any) -> None:
    if name == "EMPTY_RESPONSE":  # a clean close (FIN) before any byte
        assert (result.data, result.error) == (b"", None)
    elif name == "CONNECTION_RESET_BY_PEER":  # an RST: the read fails with ECONNRESET, nothing was sent
        assert isinstance(result.error, ConnectionResetError), result.error
        assert result.data == b""
    elif name == "RANDOM_DATA_THEN_CLOSE":  # bytes that are not a status line, then a clean close
        assert result.data and not result.data.startswith(b"HTTP/")
        assert result.error is None
    else:  # MALFORMED_RESPONSE_CHUNK: a 200 status line and headers, then a chunk that breaks off
        assert result.error is None
        assert result.status == 200
        assert b"transfer-encoding: chunked" in result.head.lower()
        body = result.data.partition(b"\r\n\r\n")[2]
        size_line, _, rest = body.partition(b"\r\n")
        assert 0 < len(rest) < int(size_line, 16)


# -- each fault, three ways ------------------------------------------------------------------------


@pytest.mark.parametrize("name", FAULTS)
def test_fault_on_the_socket(faulty: EmbeddedServer, raw: Any, name: str) -> None:
    result = raw(faulty.url, f"/fault/{name}")
    assert_observed_on_socket(name, result)
    still_serving(faulty)


@pytest.mark.parametrize("name", FAULTS)
def test_fault_through_aiohttp(faulty: EmbeddedServer, name: str) -> None:
    async def fetch() -> None:
        connector = aiohttp.TCPConnector(force_close=True)
        async with (
            aiohttp.ClientSession(
                faulty.url, connector=connector, timeout=aiohttp.ClientTimeout(total=10)
            ) as session,
            session.get(f"/fault/{name}") as r,
        ):
            assert r.status == 200  # only MALFORMED_RESPONSE_CHUNK gets this far
            await r.read()

    with pytest.raises(AIOHTTP_ERRORS[name]) as caught:
        asyncio.run(fetch())
    if name == "CONNECTION_RESET_BY_PEER":
        assert caught.value.errno == 104  # type: ignore[attr-defined]
    if name == "RANDOM_DATA_THEN_CLOSE":
        assert "status line" in str(caught.value)
    still_serving(faulty)


@pytest.mark.parametrize("name", FAULTS)
def test_fault_through_httpx(faulty: EmbeddedServer, name: str) -> None:
    with httpx.Client(base_url=faulty.url, timeout=10) as client, pytest.raises(HTTPX_ERRORS[name]):
        client.get(f"/fault/{name}")
    still_serving(faulty)


# -- after a delay, and in the journal -------------------------------------------------------------


@pytest.mark.parametrize("name", FAULTS)
def test_fault_after_delay_is_journaled(faulty: EmbeddedServer, raw: Any, name: str) -> None:
    result = raw(faulty.url, f"/slow/{name}?n=1")
    assert result.elapsed >= 0.3
    assert_observed_on_socket(name, result)
    started = time.monotonic()
    with httpx.Client(base_url=faulty.url, timeout=10) as client, pytest.raises(HTTPX_ERRORS[name]):
        client.get(f"/slow/{name}?n=2")
    assert time.monotonic() - started >= 0.3
    still_serving(faulty)
    slow = [e for e in events(faulty) if e.request.url.startswith("/slow/")]
    assert [e.request.url for e in slow] == [f"/slow/{name}?n=1", f"/slow/{name}?n=2"]
    for event in slow:
        assert event.response is not None and event.response.fault is Fault(name)
        assert event.timing.added_delay_ms == 300
        assert event.timing.serve_time_ms >= 300
    ok = events(faulty)[-1]
    assert ok.response is not None and (ok.response.status, ok.response.fault) == (200, None)


def test_faults_in_the_journal_over_http(faulty: EmbeddedServer, raw: Any, http: httpx.Client) -> None:
    raw(faulty.url, "/slow/EMPTY_RESPONSE")
    r = http.get("/__admin/requests")
    if r.status_code == 404:
        pytest.skip("GET /__admin/requests is not there yet")
    (event,) = r.json()["requests"]
    assert event["response"]["fault"] == "EMPTY_RESPONSE"
    assert event["timing"]["addedDelay"] == 300


# -- the server shrugs off faults and vanishing clients --------------------------------------------


def test_every_fault_then_normal_service(faulty: EmbeddedServer, raw: Any) -> None:
    for _ in range(3):
        for name in FAULTS:
            assert_observed_on_socket(name, raw(faulty.url, f"/fault/{name}"))
    with httpx.Client(base_url=faulty.url, timeout=10) as client:
        assert [client.get("/ok").text for _ in range(5)] == ["ok"] * 5  # keep-alive too
    assert len(events(faulty)) == 3 * len(FAULTS) + 5


def wait_completed(server: EmbeddedServer, count: int, timeout: float = 10.0) -> list[ServeEvent]:
    """Bounded wait until `count` events have their response filled in (the handler finished)."""
    deadline = time.monotonic() + timeout
    while True:
        done = [e for e in events(server) if e.response is not None]
        if len(done) >= count or time.monotonic() > deadline:
            return done
        time.sleep(0.02)


def test_client_leaving_early_is_quiet(faulty: EmbeddedServer, http: httpx.Client) -> None:
    dribble = {"numberOfChunks": 4, "totalDuration": 400}
    stub(
        http,
        {"request": {"url": "/dribble"}, "response": {"body": "abcdefgh", "chunkedDribbleDelay": dribble}},
    )
    for path in ("/dribble", "/slow/EMPTY_RESPONSE", "/slow/CONNECTION_RESET_BY_PEER"):
        with socket.create_connection(("127.0.0.1", faulty.port), timeout=10) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            if path == "/dribble":
                assert sock.recv(1000).startswith(b"HTTP/1.1 200")  # the first chunk, then leave
    done = wait_completed(faulty, 3)
    assert [e.request.url for e in done] == [
        "/dribble",
        "/slow/EMPTY_RESPONSE",
        "/slow/CONNECTION_RESET_BY_PEER",
    ]
    assert [e.response.fault for e in done if e.response] == [
        None,
        Fault.EMPTY_RESPONSE,
        Fault.CONNECTION_RESET_BY_PEER,
    ]
    still_serving(faulty)
