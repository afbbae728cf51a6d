"""Record a mixed session against a real upstream, then replay it from a fresh mockd with the upstream
gone: same statuses, headers and bodies, including a repeated request's sequence of answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from mockd.embedded import serve
from mockd.loader import load_mappings

TIMEOUT = 10.0
KEPT_HEADERS = ("content-type", "x-trace", "location", "x-multi", "cache-control")

SESSION: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/users", {}),
    ("GET", "/api/text", {}),
    ("GET", "/api/image", {}),
    ("GET", "/api/search?q=a&q=b&page=2", {}),
    ("POST", "/api/orders", {"json": {"item": "x", "qty": 2}}),
    ("GET", "/api/counter", {}),
    ("GET", "/api/counter", {}),
    ("GET", "/api/counter", {}),
    ("GET", "/api/gzip", {}),
    ("GET", "/api/deflate", {}),
    ("GET", "/api/big", {}),
    ("GET", "/api/xml", {}),
    ("GET", "/api/latin", {}),
]


def observe(r: httpx.Response) -> tuple[int, dict[str, str], bytes]:
    headers = {k: r.headers[k] for k in KEPT_HEADERS if k in r.headers}
    return r.status_code, headers, r.content


def play(url: str) -> list[tuple[int, dict[str, str], bytes]]:
    with httpx.Client(base_url=url, timeout=TIMEOUT) as c:
        return [observe(c.request(method, path, **kw)) for method, path, kw in SESSION]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_record_stop_then_replay_without_upstream(root: Path, upstream: Any, fmt: str) -> None:
    spec = {
        "targetBaseUrl": upstream.url,
        "extractBodyCriteria": {"textSizeThreshold": "2 kb", "binarySizeThreshold": "1 kb"},
    }
    with serve(root, record_format=fmt) as s, httpx.Client(base_url=s.url, timeout=TIMEOUT) as admin:
        assert admin.post("/__admin/recordings/start", json=spec).json() == {}
        recorded = play(s.url)
        result = admin.post("/__admin/recordings/stop").json()
    upstream.stop()

    mappings = result["mappings"]
    assert len(mappings) == len(SESSION)
    assert [r[2] for r in recorded[5:8]] == [b"call 1", b"call 2", b"call 3"]
    files = sorted(p.name for p in (root / "mappings").iterdir())
    assert len(files) == len(SESSION) and all(f.endswith("." + fmt) for f in files)
    assert len(list((root / "__files").iterdir())) == 2  # the big text and the image
    loaded = load_mappings(root / "mappings", root)
    assert not loaded.problems and len(loaded.stubs) == len(SESSION)

    with serve(root) as fresh:
        replayed = play(fresh.url)
        with httpx.Client(base_url=fresh.url, timeout=TIMEOUT) as c:
            assert c.get("/api/counter").text == "call 3"  # the last answer keeps serving
            loaded_back = {m["id"]: m for m in c.get("/__admin/mappings").json()["mappings"]}
    assert replayed == recorded
    assert loaded_back == {m["id"]: m for m in mappings}  # the files load back unchanged


def test_recorded_stub_shapes(root: Path, upstream: Any) -> None:
    with serve(root) as s, httpx.Client(base_url=s.url, timeout=TIMEOUT) as c:
        c.post("/__admin/recordings/start", json={"targetBaseUrl": upstream.url, "persist": False})
        play(s.url)
        mappings = c.post("/__admin/recordings/stop").json()["mappings"]
        assert list((root / "mappings").iterdir()) == []
        live = {m["id"] for m in c.get("/__admin/mappings").json()["mappings"]}
    by_path: dict[str, list[dict[str, Any]]] = {}
    for m in reversed(mappings):  # newest first in the answer
        req = m["request"]
        by_path.setdefault(req.get("url") or req["urlPath"], []).append(m)
    assert live == {m["id"] for m in mappings}

    users = by_path["/api/users"][0]
    assert users["name"] == "api_users"
    assert users["request"] == {"url": "/api/users", "method": "GET"}
    headers = {k.lower(): v for k, v in users["response"]["headers"].items()}
    assert headers["x-trace"] == "t-1" and "content-length" not in headers
    assert users["response"]["body"] == '{"users": [{"id": 1, "name": "Ada"}]}'

    search = by_path["/api/search"][0]["request"]
    assert search["queryParameters"] == {
        "q": {"hasExactly": [{"equalTo": "a"}, {"equalTo": "b"}]},
        "page": {"hasExactly": [{"equalTo": "2"}]},
    }

    order = by_path["/api/orders"][0]
    assert order["request"]["bodyPatterns"] == [
        {"equalToJson": '{"item":"x","qty":2}', "ignoreArrayOrder": True, "ignoreExtraElements": True}
    ]
    assert order["response"]["status"] == 201

    image = by_path["/api/image"][0]["response"]
    assert "base64Body" in image and "body" not in image

    for path in ("/api/gzip", "/api/deflate"):
        rd = by_path[path][0]["response"]
        assert "content-encoding" not in {k.lower() for k in rd["headers"]}
    assert by_path["/api/gzip"][0]["response"]["body"] == '{"zipped": true}'
    assert by_path["/api/deflate"][0]["response"]["body"] == "deflated words"

    latin = by_path["/api/latin"][0]["response"]
    assert "base64Body" in latin  # not UTF-8: kept as bytes so the replay is byte-for-byte

    counters = by_path["/api/counter"]
    name = "scenario-1-api-counter"
    assert [m["scenarioName"] for m in counters] == [name] * 3
    assert [m["requiredScenarioState"] for m in counters] == ["Started", f"{name}-2", f"{name}-3"]
    assert [m.get("newScenarioState") for m in counters] == [f"{name}-2", f"{name}-3", None]
    assert [m["response"]["body"] for m in counters] == ["call 1", "call 2", "call 3"]
