"""Proxy stubs against a real upstream: what is forwarded, what comes back, and how failures look."""

from __future__ import annotations

import gzip
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockd.embedded import serve

TIMEOUT = 10.0


def add(client: httpx.Client, mapping: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/__admin/mappings", json=mapping)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def proxy_to(client: httpx.Client, base: str, **response: Any) -> dict[str, Any]:
    return add(
        client,
        {
            "request": {"method": "ANY", "urlPathPattern": "/.*"},
            "response": {"proxyBaseUrl": base, **response},
        },
    )


def raw_get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """A response as sent on the wire (no decompression)."""
    with httpx.Client(base_url=url, timeout=TIMEOUT) as c, c.stream("GET", path, headers=headers) as r:
        return r.status_code, {k.lower(): v for k, v in r.headers.items()}, b"".join(r.iter_raw())


def test_forwards_method_path_query_headers_and_body(http: httpx.Client, upstream: Any) -> None:
    proxy_to(http, upstream.url)
    r = http.put(
        "/things/1?a=1&b=two%20words",
        content=b"payload",
        headers={"X-Client": "c1", "Content-Type": "text/plain"},
    )
    doc = r.json()
    assert r.status_code == 200
    assert doc["method"] == "PUT"
    assert doc["path"] == "/things/1?a=1&b=two%20words"
    assert doc["body"] == "payload"
    assert doc["headers"]["x-client"] == "c1"
    assert doc["headers"]["content-type"] == "text/plain"
    assert doc["headers"]["host"] == f"127.0.0.1:{upstream.port}"
    assert r.headers["X-Upstream"] == "echo"
    assert "Matched-Stub-Id" not in r.headers


def test_prefix_removal_additional_and_removed_headers(http: httpx.Client, upstream: Any) -> None:
    add(
        http,
        {
            "request": {"urlPathPattern": "/api/.*"},
            "response": {
                "proxyBaseUrl": upstream.url + "/base",
                "proxyUrlPrefixToRemove": "/api",
                "additionalProxyRequestHeaders": {"X-Added": "yes"},
                "removeProxyRequestHeaders": ["X-SECRET", "x-other"],
                "headers": {"X-From-Stub": "s"},
            },
        },
    )
    r = http.get("/api/x?y=1", headers={"X-Secret": "1", "X-Other": "2", "X-Kept": "3"})
    doc = r.json()
    assert doc["path"] == "/base/x?y=1"
    assert doc["headers"]["x-added"] == "yes"
    assert "x-secret" not in doc["headers"] and "x-other" not in doc["headers"]
    assert doc["headers"]["x-kept"] == "3"
    assert r.headers["X-From-Stub"] == "s" and r.headers["X-Upstream"] == "echo"


def test_hop_by_hop_headers_dropped_both_ways(http: httpx.Client, upstream: Any) -> None:
    proxy_to(http, upstream.url)
    r = http.get(
        "/echo", headers={"Connection": "X-Private-Hop", "X-Private-Hop": "1", "TE": "trailers", "X-End": "e"}
    )
    seen = r.json()["headers"]
    assert "x-private-hop" not in seen and "te" not in seen and seen["x-end"] == "e"
    r = http.get("/hop")
    assert r.text == "hop"
    assert "X-Hop-Private" not in r.headers and "Keep-Alive" not in r.headers
    assert r.headers["X-End"] == "e"


def test_preserve_host_header(root: Path, upstream: Any) -> None:
    with serve(root, preserve_host_header=True) as s, httpx.Client(base_url=s.url, timeout=TIMEOUT) as c:
        proxy_to(c, upstream.url)
        assert (
            c.get("/h", headers={"Host": "client.example:1234"}).json()["headers"]["host"]
            == "client.example:1234"
        )


def test_gzip_passes_through_untouched(http: httpx.Client, server: Any, upstream: Any) -> None:
    proxy_to(http, upstream.url)
    direct = raw_get(upstream.url, "/gzip", {"Accept-Encoding": "gzip"})[2]
    status, headers, body = raw_get(server.url, "/gzip", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and body == direct
    assert gzip.decompress(body) == b'{"zipped":true}'


def test_gzipped_request_body_goes_upstream_gzipped(http: httpx.Client, upstream: Any) -> None:
    proxy_to(http, upstream.url)
    sent = gzip.compress(b'{"n":1}')
    r = http.post(
        "/echo", content=sent, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
    )
    seen = r.json()  # aiohttp decodes a gzipped request body: it must really be gzip to read back
    assert seen["headers"]["content-encoding"] == "gzip" and seen["body"] == '{"n":1}'


def test_delay_and_fault_still_apply(http: httpx.Client, upstream: Any) -> None:
    add(
        http,
        {
            "request": {"url": "/slowly"},
            "response": {"proxyBaseUrl": upstream.url, "fixedDelayMilliseconds": 300},
        },
    )
    add(
        http,
        {
            "request": {"url": "/faulty"},
            "response": {"proxyBaseUrl": upstream.url, "fault": "EMPTY_RESPONSE"},
        },
    )
    started = time.monotonic()
    assert http.get("/slowly").status_code == 200
    assert time.monotonic() - started >= 0.3
    with pytest.raises(httpx.TransportError):
        http.get("/faulty")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_refused_upstream_is_a_500(http: httpx.Client) -> None:
    port = _closed_port()
    add(http, {"request": {"url": "/down?x=1"}, "response": {"proxyBaseUrl": f"http://127.0.0.1:{port}"}})
    r = http.get("/down?x=1")
    assert r.status_code == 500
    assert r.text.startswith(
        f"Network failure trying to make a proxied request from WireMock to http://127.0.0.1:{port}/down?x=1\r\n"
    )


def test_timeout_and_broken_upstream_are_500s_not_hangs(root: Path, upstream: Any) -> None:
    with serve(root, proxy_timeout_ms=300) as s, httpx.Client(base_url=s.url, timeout=TIMEOUT) as c:
        proxy_to(c, upstream.url)
        started = time.monotonic()
        r = c.get("/slow?s=5")
        assert r.status_code == 500 and "Network failure" in r.text
        assert time.monotonic() - started < 3
        r = c.get("/broken")
        assert r.status_code == 500 and r.text.startswith("Network failure")


def test_upstream_status_and_repeated_headers(http: httpx.Client, upstream: Any) -> None:
    proxy_to(http, upstream.url)
    r = http.get("/status/418")
    assert r.status_code == 418 and r.json() == {"status": 418}


def test_proxy_all_is_a_priority_10_catch_all_that_survives_reset(root: Path, upstream: Any) -> None:
    with serve(root, proxy_all=upstream.url) as s, httpx.Client(base_url=s.url, timeout=TIMEOUT) as c:
        [catch_all] = c.get("/__admin/mappings").json()["mappings"]
        assert catch_all["priority"] == 10
        assert catch_all["request"] == {"method": "ANY"}
        assert catch_all["response"]["proxyBaseUrl"] == upstream.url
        add(c, {"request": {"url": "/local"}, "response": {"body": "local"}})
        assert c.get("/local").text == "local"
        assert c.get("/elsewhere").json()["path"] == "/elsewhere"
        assert c.post("/__admin/reset").status_code == 200
        assert c.get("/elsewhere").json()["path"] == "/elsewhere"


def test_one_shared_session_closed_on_stop(root: Path, upstream: Any) -> None:
    s = serve(root).start()
    try:
        with httpx.Client(base_url=s.url, timeout=TIMEOUT) as c:
            proxy_to(c, upstream.url)
            c.get("/one")
            session = s.server.upstream._session
            c.get("/two")
            assert s.server.upstream._session is session and session is not None
    finally:
        s.stop()
    assert session.closed
