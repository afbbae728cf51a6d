"""Slow and broken clients: header/body deadlines, size limits, malformed framing answered quietly."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from hardening.rawhttp import RawResponse, closes, exchange, read_response
from support import stub

from mockd.cli import main, settings_from
from mockd.config import Settings, env_overrides


def trickle(port: int, data: bytes, interval: float, stop: threading.Event) -> RawResponse:
    """Send `data` one byte every `interval` seconds until the server answers or closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.setblocking(True)
        started = time.monotonic()
        for i in range(len(data)):
            if stop.is_set():
                break
            try:
                sock.sendall(data[i : i + 1])
            except OSError:
                break  # the server closed the connection
            sock.settimeout(interval)
            try:
                sock.recv(1, socket.MSG_PEEK)
            except TimeoutError:
                continue  # no answer yet: next byte
            except OSError:
                pass
            break  # the server answered or closed
        answer = read_response(sock, time.monotonic() + 5)
        answer.elapsed = time.monotonic() - started
        answer.closed = answer.closed or closes(sock)
        return answer


SLOW_HEADERS = b"GET /slow HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"x" * 200 + b"\r\n\r\n"


@pytest.mark.slow
def test_a_slowloris_client_is_cut_off_after_the_header_timeout(start: Any) -> None:
    with start(request_header_timeout=1.0) as (server, _):
        answer = trickle(server.port, SLOW_HEADERS, 0.1, threading.Event())
    assert answer.status == 408
    assert answer.closed
    assert 0.9 <= answer.elapsed < 3.0, answer.elapsed


def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(start: Any) -> None:
    with start(request_header_timeout=0.5) as (server, _):
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            answer = read_response(sock, time.monotonic() + 5)
    assert (answer.status, answer.closed) == (None, True)
    assert time.monotonic() - started < 3.0


@pytest.mark.slow
def test_thirty_slowloris_clients_do_not_starve_a_normal_request(start: Any) -> None:
    with start(request_header_timeout=2.0) as (server, http):
        stub(http, {"request": {"url": "/ok"}, "response": {"status": 200, "body": "ok"}})
        stop = threading.Event()
        results: list[RawResponse] = []
        threads = [
            threading.Thread(target=lambda: results.append(trickle(server.port, SLOW_HEADERS, 0.2, stop)))
            for _ in range(30)
        ]
        for t in threads:
            t.start()
        try:
            time.sleep(0.3)  # let every slow client open its connection and start trickling
            timings = []
            for _ in range(5):
                started = time.monotonic()
                with httpx.Client(base_url=server.url, timeout=5) as fresh:
                    assert fresh.get("/ok").text == "ok"
                timings.append(time.monotonic() - started)
            assert max(timings) < 0.5, timings
        finally:
            for t in threads:
                t.join(timeout=10)
            stop.set()
    assert len(results) == 30
    assert all(r.status == 408 and r.closed for r in results), [(r.status, r.closed) for r in results]
    assert max(r.elapsed for r in results) < 4.0


@pytest.mark.slow
def test_keep_alive_connections_may_idle_longer_than_the_header_timeout(start: Any) -> None:
    with start(request_header_timeout=0.5) as (server, http):
        stub(http, {"request": {"url": "/ok"}, "response": {"status": 200, "body": "ok"}})
        request = b"GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n"
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(request)
            assert read_response(sock, time.monotonic() + 5).status == 200
            time.sleep(1.0)  # idle, between requests: that is the keep-alive timeout's business
            sock.sendall(request)
            second = read_response(sock, time.monotonic() + 5)
    assert (second.status, second.body) == (200, b"ok")


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/slow-body", "/__admin/mappings"])
def test_a_slow_body_gets_408_after_the_body_timeout(start: Any, path: str) -> None:
    with start(request_body_timeout=1.0) as (server, http):
        stub(http, {"request": {"url": "/slow-body"}, "response": {"status": 200}})
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789".encode())
            answer = read_response(sock, time.monotonic() + 5)
    assert answer.status == 408
    assert 0.9 <= time.monotonic() - started < 3.0


def test_a_body_arriving_in_time_is_served(start: Any) -> None:
    with start(request_body_timeout=2.0) as (server, http):
        stub(http, {"request": {"method": "POST", "url": "/b", "bodyPatterns": [{"equalTo": "x" * 20}]},
                    "response": {"status": 200, "body": "got it"}})  # fmt: skip
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n")
            for _ in range(4):
                time.sleep(0.1)
                sock.sendall(b"xxxxx")
            answer = read_response(sock, time.monotonic() + 5)
    assert (answer.status, answer.body) == (200, b"got it")


# -- size limits -----------------------------------------------------------------------------------


def test_size_limits(start: Any) -> None:
    with start(max_url_length=1024, max_header_size=512, max_header_count=20, max_body_size=1000) as (
        server,
        http,
    ):
        stub(http, {"request": {"urlPathPattern": "/.*"}, "response": {"status": 200}})
        assert http.get("/" + "u" * 900).status_code == 200
        assert exchange(server.port, b"GET /" + b"u" * 1100 + b" HTTP/1.1\r\nHost: x\r\n\r\n").status == 414
        assert http.get("/h", headers={"X-Big": "v" * 400}).status_code == 200
        assert exchange(server.port, b"GET /h HTTP/1.1\r\nX-Big: " + b"v" * 600 + b"\r\n\r\n").status == 431
        many = b"".join(b"X-H%d: v\r\n" % i for i in range(30))
        assert exchange(server.port, b"GET /h HTTP/1.1\r\n" + many + b"\r\n").status == 431
        assert http.post("/b", content=b"x" * 1000).status_code == 200
        assert http.post("/b", content=b"x" * 1001).status_code == 413
        assert http.post("/__admin/mappings", content=b"{" + b" " * 2000 + b"}").status_code == 413
        assert http.get("/still-fine").status_code == 200


# -- broken framing --------------------------------------------------------------------------------

BROKEN = [
    ("bad content-length", b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", {400}),
    ("negative content-length", b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", {400}),
    (
        "two content-lengths",
        b"POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        {400},
    ),
    (
        "content-length and chunked",
        b"POST /x HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        {400},
    ),
    (
        "bad chunk size",
        b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        {400},
    ),
    (
        "chunk overflow",
        b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
        {400},
    ),
    ("bad transfer-encoding", b"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, zz\r\n\r\n", {400, 501}),
    ("bad percent-encoding", b"GET /a%zz%%/b%e9%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {404}),
    ("invalid utf-8 in the path", b"GET /a\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    (
        "invalid utf-8 in a header",
        b"GET /a HTTP/1.1\r\nHost: x\r\nX-A: \xff\xfe\xc3\r\nConnection: close\r\n\r\n",
        {404},
    ),
    (
        "invalid utf-8 in the host",
        b"GET /a HTTP/1.1\r\nHost: \xff\xfe:99999\r\nConnection: close\r\n\r\n",
        {404},
    ),
    ("NUL in a header", b"GET /a HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", {400}),
    ("header without a colon", b"GET /a HTTP/1.1\r\nHost x\r\n\r\n", {400}),
    ("space before the colon", b"GET /a HTTP/1.1\r\nHost : x\r\n\r\n", {400}),
    ("bad version", b"GET /a HTTP/9.x\r\nHost: x\r\n\r\n", {400}),
    ("bad method", b"G(E)T /a HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ("not http", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage\r\n\r\n", {400}),
    ("bare LF line ends", b"GET /a HTTP/1.1\nHost: x\nConnection: close\n\n", {400, 404}),
]


@pytest.fixture
def quiet_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):
        yield caplog
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert not loud, [(r.name, r.levelname, r.getMessage()) for r in loud]


@pytest.mark.parametrize(("name", "data", "statuses"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_framing_gets_a_4xx_and_no_traceback(
    start: Any, quiet_log: pytest.LogCaptureFixture, name: str, data: bytes, statuses: set[int]
) -> None:
    with start() as (server, http):
        answer = exchange(server.port, data)
        assert answer.status in statuses, (name, answer.head[:200])
        assert http.get("/__admin/health").status_code == 200  # and the server is fine
    mockd_lines = [r for r in quiet_log.records if r.name == "mockd" and "bad request" in r.getMessage()]
    assert len(mockd_lines) <= 1
    assert all(r.levelno == logging.DEBUG and "\n" not in r.getMessage() for r in mockd_lines)


def test_a_truncated_body_and_a_vanishing_client_are_quiet(
    start: Any, quiet_log: pytest.LogCaptureFixture
) -> None:
    with start() as (server, http):
        for data in (
            b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort",
            b"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
            b"GET /x HTTP/1.1\r\nHost: x\r\n",
        ):
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.sendall(data)
        assert http.get("/__admin/health").status_code == 200


# -- flags -----------------------------------------------------------------------------------------


def test_the_limits_are_serve_flags_and_environment_variables() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    for flag in (
        "--max-url-length", "--max-header-size", "--max-header-count",
        "--request-header-timeout", "--request-body-timeout", "--max-body-size",
    ):  # fmt: skip
        assert flag in result.output
    defaults = Settings()
    assert (defaults.request_header_timeout, defaults.request_body_timeout) == (10.0, 30.0)
    assert (defaults.max_url_length, defaults.max_header_size, defaults.max_header_count) == (
        8192,
        16384,
        256,
    )
    env = env_overrides({"MOCKD_REQUEST_HEADER_TIMEOUT": "2.5", "MOCKD_MAX_HEADER_COUNT": "50"})
    assert env == {"request_header_timeout": 2.5, "max_header_count": 50}
    serve = main.commands["serve"]  # type: ignore[attr-defined]
    kw = serve.make_context("serve", ["--request-body-timeout", "4", "--max-url-length", "4096"]).params
    settings = settings_from(kw)
    assert (settings.request_body_timeout, settings.max_url_length) == (4.0, 4096)
