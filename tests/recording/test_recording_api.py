"""The /__admin/recordings endpoints: status, start/stop, snapshot and the RecordSpec options."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockd.embedded import serve

TIMEOUT = 10.0


@pytest.fixture
def c(http: httpx.Client) -> httpx.Client:
    return http


def proxy_stub(c: httpx.Client, upstream: Any) -> None:
    r = c.post(
        "/__admin/mappings",
        json={
            "request": {"method": "ANY", "urlPathPattern": "/.*"},
            "response": {"proxyBaseUrl": upstream.url},
        },
    )
    assert r.status_code == 201


def snapshot(c: httpx.Client, **spec: Any) -> Any:
    r = c.post("/__admin/recordings/snapshot", json={"persist": False, **spec})
    assert r.status_code == 200, r.text
    return r.json()


def test_status_lifecycle_and_start_is_idempotent(c: httpx.Client, upstream: Any) -> None:
    assert c.get("/__admin/recordings/status").json() == {"status": "NeverStarted"}
    for _ in range(2):
        r = c.post("/__admin/recordings/start", json={"targetBaseUrl": upstream.url, "persist": False})
        assert r.status_code == 200 and r.json() == {}
    assert c.get("/__admin/recordings/status").json() == {"status": "Recording"}
    [proxy] = c.get("/__admin/mappings").json()["mappings"]
    assert proxy["response"]["proxyBaseUrl"] == upstream.url and "priority" not in proxy
    c.get("/api/text")
    assert len(c.post("/__admin/recordings/stop").json()["mappings"]) == 1
    assert c.get("/__admin/recordings/status").json() == {"status": "Stopped"}
    assert [m["request"]["url"] for m in c.get("/__admin/mappings").json()["mappings"]] == ["/api/text"]


def test_stop_when_not_recording(c: httpx.Client) -> None:
    r = c.post("/__admin/recordings/stop")
    assert r.status_code == 400
    assert r.json() == {"errors": [{"code": 30, "title": "Not currently recording."}]}


@pytest.mark.parametrize(
    ("spec", "pointer"),
    [
        ({"targetBaseUrl": "http://x", "outputFormat": "yaml"}, "/outputFormat"),
        ({"targetBaseUrl": "http://x", "persistt": True}, "/persistt"),
        ({"targetBaseUrl": "not a url"}, "/targetBaseUrl"),
        (
            {"targetBaseUrl": "http://x", "requestBodyPattern": {"matcher": "regex"}},
            "/requestBodyPattern/matcher",
        ),
        (
            {"targetBaseUrl": "http://x", "extractBodyCriteria": {"textSizeThreshold": "3 parsecs"}},
            "/extractBodyCriteria/textSizeThreshold",
        ),
        ({"targetBaseUrl": "http://x", "filters": {"urlPattern": "("}}, "/filters/urlPattern"),
        ({"targetBaseUrl": "http://x", "filters": {"ids": ["nope"]}}, "/filters/ids/0"),
        ({"targetBaseUrl": "http://x", "persist": "yes"}, "/persist"),
    ],
)
def test_invalid_start_is_422(c: httpx.Client, spec: dict[str, Any], pointer: str) -> None:
    r = c.post("/__admin/recordings/start", json=spec)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["source"]["pointer"] == pointer
    assert c.get("/__admin/recordings/status").json() == {"status": "NeverStarted"}
    assert c.get("/__admin/mappings").json()["meta"]["total"] == 0


def test_snapshot_filters_ids_and_non_proxied(c: httpx.Client, upstream: Any) -> None:
    proxy_stub(c, upstream)
    c.post("/__admin/mappings", json={"request": {"url": "/local"}, "response": {"body": "local"}})
    c.get("/api/text")
    c.post("/api/orders", json={"a": 1})
    c.get("/local")
    assert [m["request"]["url"] for m in snapshot(c, filters={"method": "POST"})["mappings"]] == [
        "/api/orders"
    ]
    assert [m["request"]["url"] for m in snapshot(c, filters={"urlPattern": "/api/t.*"})["mappings"]] == [
        "/api/text"
    ]
    events = c.get("/__admin/requests").json()["requests"]
    text_id = next(e["id"] for e in events if e["request"]["url"] == "/api/text")
    assert [m["request"]["url"] for m in snapshot(c, filters={"ids": [text_id]})["mappings"]] == ["/api/text"]
    everything = snapshot(c, filters={"allowNonProxied": True}, repeatsAsScenarios=False)["mappings"]
    local = next(m for m in everything if m["request"]["url"] == "/local")
    assert base64.b64decode(local["response"]["base64Body"]) == b"local"  # no Content-Type: bytes
    assert "Matched-Stub-Id" not in local["response"].get("headers", {})


def test_output_format_ids_case_insensitive(c: httpx.Client, upstream: Any) -> None:
    proxy_stub(c, upstream)
    c.get("/api/users")
    ids = snapshot(c, outputFormat="ids")["ids"]
    assert len(ids) == 1
    assert c.get(f"/__admin/mappings/{ids[0]}").json()["request"]["url"] == "/api/users"


def test_capture_headers_and_body_patterns(c: httpx.Client, upstream: Any) -> None:
    proxy_stub(c, upstream)
    c.post("/echo/json", json={"b": [1, 2]}, headers={"Accept": "x/y", "X-Tenant": "T1"})
    c.post("/echo/xml", content=b"<a>1</a>", headers={"Content-Type": "text/xml"})
    c.post("/echo/text", content=b"Plain Words", headers={"Content-Type": "text/plain"})
    c.post("/echo/bin", content=b"\x00\x01\x02", headers={"Content-Type": "application/octet-stream"})
    spec = {"captureHeaders": {"Accept": {}, "X-Tenant": {"caseInsensitive": True}, "X-Absent": {}}}
    by_url = {m["request"]["url"]: m["request"] for m in snapshot(c, **spec)["mappings"]}
    assert by_url["/echo/json"]["headers"] == {
        "Accept": {"equalTo": "x/y"},
        "X-Tenant": {"equalTo": "T1", "caseInsensitive": True},
    }
    assert by_url["/echo/json"]["bodyPatterns"] == [
        {"equalToJson": '{"b":[1,2]}', "ignoreArrayOrder": True, "ignoreExtraElements": True}
    ]
    assert by_url["/echo/xml"]["bodyPatterns"] == [{"equalToXml": "<a>1</a>"}]
    assert by_url["/echo/text"]["bodyPatterns"] == [{"equalTo": "Plain Words"}]
    assert by_url["/echo/bin"]["bodyPatterns"] == [
        {"binaryEqualTo": base64.b64encode(b"\x00\x01\x02").decode()}
    ]

    explicit = snapshot(
        c, requestBodyPattern={"matcher": "equalTo", "caseInsensitive": True}, filters={"url": "/echo/text"}
    )
    assert explicit["mappings"][0]["request"]["bodyPatterns"] == [
        {"equalTo": "Plain Words", "caseInsensitive": True}
    ]
    strict = snapshot(
        c,
        requestBodyPattern={"matcher": "equalToJson", "ignoreArrayOrder": False},
        filters={"url": "/echo/json"},
    )
    assert strict["mappings"][0]["request"]["bodyPatterns"] == [
        {"equalToJson": '{"b":[1,2]}', "ignoreArrayOrder": False}
    ]


def test_repeats_dropped_keep_the_newest(c: httpx.Client, upstream: Any) -> None:
    proxy_stub(c, upstream)
    for _ in range(3):
        c.get("/api/counter")
    [only] = snapshot(c, repeatsAsScenarios=False)["mappings"]
    assert only["response"]["body"] == "call 3" and "scenarioName" not in only


def test_scenario_numbering_and_replay(c: httpx.Client, upstream: Any) -> None:
    proxy_stub(c, upstream)
    for path in ("/api/counter", "/x/y", "/api/counter", "/x/y", "/api/text"):
        c.get(path)
    mappings = snapshot(c)["mappings"]
    names = {m["request"]["url"]: m.get("scenarioName") for m in mappings}
    assert names == {"/api/text": None, "/x/y": "scenario-1-x-y", "/api/counter": "scenario-2-api-counter"}
    c.delete("/__admin/mappings/" + c.get("/__admin/mappings").json()["mappings"][-1]["id"])  # the proxy
    assert [c.get("/api/counter").text for _ in range(3)] == ["call 1", "call 2", "call 2"]


def test_extract_body_criteria(c: httpx.Client, server: Any, upstream: Any) -> None:
    proxy_stub(c, upstream)
    c.get("/api/big")
    c.get("/api/text")
    c.get("/api/image")
    mappings = snapshot(c, extractBodyCriteria={"textSizeThreshold": "1 kb", "binarySizeThreshold": 2047})[
        "mappings"
    ]
    by_url = {m["request"]["url"]: m["response"] for m in mappings}
    big = by_url["/api/big"]
    assert "body" not in big and big["bodyFileName"].endswith(".txt")
    files = Path(server.settings.files_dir)
    assert (files / big["bodyFileName"]).read_text() == "0123456789abcdef" * 400
    assert by_url["/api/text"]["body"] == "hello there"
    image = by_url["/api/image"]
    assert image["bodyFileName"].endswith(".png")
    assert (files / image["bodyFileName"]).read_bytes() == bytes(range(256)) * 8
    assert c.get("/api/image").content == bytes(range(256)) * 8


def test_persist_writes_files_atomically(root: Path, upstream: Any) -> None:
    with serve(root) as s, httpx.Client(base_url=s.url, timeout=TIMEOUT) as c:
        proxy_stub(c, upstream)
        c.get("/api/users")
        [stub] = c.post("/__admin/recordings/snapshot", json={}).json()["mappings"]
        assert stub["persistent"] is True
    written = list((root / "mappings").iterdir())
    assert [p.name for p in written] == [f"api_users-{stub['id']}.json"]


@pytest.fixture
def journal_off(root: Path) -> Iterator[httpx.Client]:
    with serve(root, request_journal=False) as s, httpx.Client(base_url=s.url, timeout=TIMEOUT) as c:
        yield c


def test_recording_works_without_the_journal(journal_off: httpx.Client, upstream: Any) -> None:
    c = journal_off
    c.post("/__admin/recordings/start", json={"targetBaseUrl": upstream.url, "persist": False})
    c.get("/api/users")
    assert [m["request"]["url"] for m in c.post("/__admin/recordings/stop").json()["mappings"]] == [
        "/api/users"
    ]


def test_stop_records_whole_bodies_even_when_the_journal_trims_them(root: Path, upstream: Any) -> None:
    with (
        serve(root, logged_response_body_size_limit=5) as s,
        httpx.Client(base_url=s.url, timeout=TIMEOUT) as c,
    ):
        c.post("/__admin/recordings/start", json={"targetBaseUrl": upstream.url, "persist": False})
        c.get("/api/text")
        [stub] = c.post("/__admin/recordings/stop").json()["mappings"]
    assert stub["response"]["body"] == "hello there"


def test_failed_upstream_is_recorded_as_its_500(c: httpx.Client) -> None:
    c.post(
        "/__admin/mappings",
        json={"request": {"url": "/gone"}, "response": {"proxyBaseUrl": "http://127.0.0.1:1"}},
    )
    c.get("/gone")
    [stub] = snapshot(c)["mappings"]
    assert stub["response"]["status"] == 500 and stub["response"]["body"].startswith("Network failure")
