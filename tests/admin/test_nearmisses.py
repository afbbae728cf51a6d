"""Near misses: POST /near-misses/request, /near-misses/request-pattern, GET /requests/unmatched/near-misses."""

from __future__ import annotations

from typing import Any

import httpx


def stub(http: httpx.Client, mapping: dict[str, Any]) -> dict[str, Any]:
    r = http.post("/__admin/mappings", json=mapping)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _ids(body: dict[str, Any]) -> list[str]:
    return [n["stubMapping"]["id"] for n in body["nearMisses"]]


def test_for_request_ranks_closest_stubs_top_three(http: httpx.Client) -> None:
    close = stub(http, {"request": {"method": "GET", "url": "/nm/customers"}, "response": {"status": 200}})
    middle = stub(http, {"request": {"method": "POST", "url": "/nm/customers"}, "response": {"status": 200}})
    far = stub(
        http, {"request": {"method": "DELETE", "url": "/other/path/entirely"}, "response": {"status": 200}}
    )
    stub(
        http,
        {"request": {"method": "PUT", "url": "/zzzzzzzzzzzzzzzzzzzzzzzzzzzzz"}, "response": {"status": 200}},
    )
    r = http.post("/__admin/near-misses/request", json={"url": "/nm/customer", "method": "GET"})
    assert r.status_code == 200
    body = r.json()
    assert len(body["nearMisses"]) == 3
    assert _ids(body)[:2] == [close["id"], middle["id"]]
    assert far["id"] not in _ids(body)[:2]
    first = body["nearMisses"][0]
    assert first["request"]["url"] == "/nm/customer"
    assert first["request"]["method"] == "GET"
    assert 0 < first["matchResult"]["distance"] < body["nearMisses"][1]["matchResult"]["distance"]


def test_for_request_ignores_unknown_fields_and_reads_headers_body_cookies(http: httpx.Client) -> None:
    wanted = stub(
        http,
        {
            "request": {
                "method": "POST",
                "url": "/nm/h",
                "headers": {"X-A": {"equalTo": "1"}},
                "cookies": {"c": {"equalTo": "v"}},
                "bodyPatterns": [{"equalTo": "hello"}],
            },
            "response": {"status": 200},
        },
    )
    logged = {
        "url": "/nm/h",
        "absoluteUrl": "http://example.com:8123/nm/h",
        "method": "POST",
        "clientIp": "10.0.0.1",
        "headers": {"X-A": "1", "X-Multi": ["a", "b"]},
        "cookies": {"c": "v"},
        "bodyAsBase64": "aGVsbG8=",
        "loggedDate": 1700000000000,
        "loggedDateString": "2023-11-14T22:13:20Z",
        "queryParameters": {},
        "browserProxyRequest": False,
        "somethingElse": {"ignored": True},
    }
    body = http.post("/__admin/near-misses/request", json=logged).json()
    first = body["nearMisses"][0]
    assert first["stubMapping"]["id"] == wanted["id"]
    assert first["matchResult"]["distance"] == 0
    assert first["request"]["host"] == "example.com" and first["request"]["port"] == 8123
    assert first["request"]["clientIp"] == "10.0.0.1"
    assert first["request"]["body"] == "hello"
    assert first["request"]["headers"]["X-Multi"] == ["a", "b"]


def test_for_request_with_no_stubs_is_empty(http: httpx.Client) -> None:
    assert http.post("/__admin/near-misses/request", json={"url": "/x"}).json() == {"nearMisses": []}


def test_for_request_bad_input_is_422(http: httpx.Client) -> None:
    for bad in (b"[1, 2]", b'{"url": 5}', b'{"headers": "x"}', b"{oops", b""):
        r = http.post("/__admin/near-misses/request", content=bad)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["errors"][0]["code"] == 10


def test_for_pattern_ranks_journal_requests(http: httpx.Client) -> None:
    stub(http, {"request": {"method": "ANY", "urlPathPattern": "/np/.*"}, "response": {"status": 200}})
    for path in ("/np/apple", "/np/zzzzzzzzzzzzzzzz", "/np/banana", "/np/applesauce"):
        http.get(path)
    body = http.post("/__admin/near-misses/request-pattern", json={"method": "GET", "url": "/np/appl"}).json()
    urls = [n["request"]["url"] for n in body["nearMisses"]]
    assert len(urls) == 3
    assert urls[0] == "/np/apple"
    assert "/np/zzzzzzzzzzzzzzzz" not in urls
    assert body["nearMisses"][0]["requestPattern"] == {"url": "/np/appl", "method": "GET"}
    assert "stubMapping" not in body["nearMisses"][0]


def test_unmatched_near_misses_per_unmatched_request(http: httpx.Client) -> None:
    alpha = stub(http, {"request": {"method": "GET", "url": "/nm/alpha"}, "response": {"status": 200}})
    beta = stub(http, {"request": {"method": "GET", "url": "/nm/beta"}, "response": {"status": 200}})
    assert http.get("/nm/alpha").status_code == 200
    http.get("/nm/alphx")
    http.get("/nm/betx")
    body = http.get("/__admin/requests/unmatched/near-misses").json()
    misses = body["nearMisses"]
    assert len(misses) == 4  # two stubs for each of the two unmatched requests, newest request first
    assert [m["request"]["url"] for m in misses] == ["/nm/betx", "/nm/betx", "/nm/alphx", "/nm/alphx"]
    assert misses[0]["stubMapping"]["id"] == beta["id"]
    assert misses[2]["stubMapping"]["id"] == alpha["id"]
