"""The request journal through the admin API: GET/DELETE /requests, find, count, remove, by id."""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
from typing import Any

import httpx
import pytest

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def stub(http: httpx.Client, mapping: dict[str, Any]) -> dict[str, Any]:
    r = http.post("/__admin/mappings", json=mapping)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _catch_all(http: httpx.Client, **extra: object) -> dict[str, object]:
    return stub(
        http, {"request": {"method": "ANY", "urlPathPattern": "/j/.*"}, "response": {"status": 200}, **extra}
    )


def test_serve_event_json_has_wiremock_shape(http: httpx.Client, server: object) -> None:
    created = stub(
        http,
        {
            "request": {"method": "POST", "urlPath": "/j/shape"},
            "response": {"status": 201, "body": "made", "headers": {"X-One": "1", "X-Two": ["a", "b"]}},
        },
    )
    sent = http.post(
        "/j/shape?a=1&a=2&b=x",
        content=b"the body",
        headers=[("X-Custom", "hello"), ("X-Multi", "p"), ("X-Multi", "q"), ("Cookie", "c1=v1")],
    )
    assert sent.status_code == 201
    page = http.get("/__admin/requests").json()
    assert page["meta"] == {"total": 1}
    assert page["requestJournalDisabled"] is False
    event = page["requests"][0]
    assert UUID.fullmatch(event["id"])
    req = event["request"]
    assert req["url"] == "/j/shape?a=1&a=2&b=x"
    assert req["absoluteUrl"].endswith("/j/shape?a=1&a=2&b=x")
    assert req["method"] == "POST"
    assert req["clientIp"] == "127.0.0.1"
    assert req["headers"]["X-Custom"] == "hello"  # one value: a string
    assert req["headers"]["X-Multi"] == ["p", "q"]  # several: an array
    assert req["cookies"] == {"c1": "v1"}
    assert req["browserProxyRequest"] is False
    assert isinstance(req["loggedDate"], int)
    logged = dt.datetime.fromisoformat(req["loggedDateString"])
    assert abs(logged.timestamp() * 1000 - req["loggedDate"]) < 1000
    assert req["body"] == "the body"
    assert base64.b64decode(req["bodyAsBase64"]) == b"the body"
    assert req["queryParams"] == {"a": {"key": "a", "values": ["1", "2"]}, "b": {"key": "b", "values": ["x"]}}
    assert req["formParams"] == {}
    assert req["scheme"] == "http" and req["host"] == "127.0.0.1" and isinstance(req["port"], int)
    assert req["protocol"] == "HTTP/1.1"
    assert event["wasMatched"] is True
    assert event["stubMapping"]["id"] == created["id"]
    assert event["responseDefinition"]["status"] == 201
    response = event["response"]
    assert response["status"] == 201
    assert response["body"] == "made"
    assert base64.b64decode(response["bodyAsBase64"]) == b"made"
    assert response["headers"]["X-One"] == "1"
    assert response["headers"]["X-Two"] == ["a", "b"]
    assert set(event["timing"]) == {"addedDelay", "processTime", "responseSendTime", "serveTime", "totalTime"}
    assert event["subEvents"] == []


def test_unmatched_event_has_synthetic_stub_and_not_configured_definition(http: httpx.Client) -> None:
    assert http.get("/nowhere").status_code == 404
    event = http.get("/__admin/requests").json()["requests"][0]
    assert event["wasMatched"] is False
    assert event["responseDefinition"] == {"status": 404, "fromConfiguredStub": False}
    assert UUID.fullmatch(event["stubMapping"]["id"])
    assert event["response"]["status"] == 404
    assert "No response could be served" in event["response"]["body"]


def test_form_params_are_listed(http: httpx.Client) -> None:
    _catch_all(http)
    http.post(
        "/j/form", content=b"k=1&k=2&z=%20", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    req = http.get("/__admin/requests").json()["requests"][0]["request"]
    assert req["formParams"] == {"k": {"key": "k", "values": ["1", "2"]}, "z": {"key": "z", "values": [" "]}}


def test_list_is_newest_first_with_total_before_limit(http: httpx.Client) -> None:
    _catch_all(http)
    for i in range(4):
        http.get(f"/j/{i}")
    page = http.get("/__admin/requests", params={"limit": 2}).json()
    assert [e["request"]["url"] for e in page["requests"]] == ["/j/3", "/j/2"]
    assert page["meta"]["total"] == 4
    assert http.get("/__admin/requests", params={"limit": 0}).json()["requests"] == []


def test_since_keeps_events_strictly_after(http: httpx.Client) -> None:
    _catch_all(http)
    http.get("/j/old")
    old = http.get("/__admin/requests").json()["requests"][0]["request"]
    http.get("/j/new")
    since = old["loggedDateString"]
    page = http.get("/__admin/requests", params={"since": since}).json()
    urls = [e["request"]["url"] for e in page["requests"]]
    assert urls == ["/j/new"]
    assert page["meta"]["total"] == 2  # total ignores since
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert http.get("/__admin/requests", params={"since": future}).json()["requests"] == []
    past = "2000-01-01T00:00:00Z"
    assert len(http.get("/__admin/requests", params={"since": past}).json()["requests"]) == 2


@pytest.mark.parametrize("bad", ["not-a-date", "2024-13-45", "yesterday"])
def test_bad_since_is_400_code_10_pointer_since(http: httpx.Client, bad: str) -> None:
    r = http.get("/__admin/requests", params={"since": bad})
    assert r.status_code == 400
    error = r.json()["errors"][0]
    assert error == {
        "code": 10,
        "source": {"pointer": "since"},
        "title": f"{bad} is not a valid ISO8601 date",
    }


def test_matching_stub_filter_and_bad_value(http: httpx.Client) -> None:
    a = stub(http, {"request": {"url": "/j/a"}, "response": {"status": 200}})
    stub(http, {"request": {"url": "/j/b"}, "response": {"status": 200}})
    for path in ("/j/a", "/j/b", "/j/a", "/j/none"):
        http.get(path)
    page = http.get("/__admin/requests", params={"matchingStub": a["id"]}).json()
    assert [e["request"]["url"] for e in page["requests"]] == ["/j/a", "/j/a"]
    assert page["meta"]["total"] == 2
    r = http.get("/__admin/requests", params={"matchingStub": "nope"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == 15
    assert r.json()["errors"][0]["title"] == "Query parameter matchingStub value 'nope' is not a valid UUID"


def test_unmatched_filter(http: httpx.Client) -> None:
    stub(http, {"request": {"url": "/j/ok"}, "response": {"status": 200}})
    for path in ("/j/miss1", "/j/ok", "/j/miss2"):
        http.get(path)
    page = http.get("/__admin/requests", params={"unmatched": "true"}).json()
    assert [e["request"]["url"] for e in page["requests"]] == ["/j/miss2", "/j/miss1"]
    assert page["meta"]["total"] == 2
    unmatched = http.get("/__admin/requests/unmatched").json()
    assert [r["url"] for r in unmatched["requests"]] == ["/j/miss2", "/j/miss1"]
    assert unmatched["requestJournalDisabled"] is False


@pytest.mark.parametrize("params", [{"limit": "x"}, {"limit": "-1"}])
def test_bad_limit_is_400(http: httpx.Client, params: dict[str, str]) -> None:
    assert http.get("/__admin/requests", params=params).status_code == 400


def test_get_and_delete_by_id(http: httpx.Client) -> None:
    _catch_all(http)
    http.get("/j/first")
    http.get("/j/second")
    events = http.get("/__admin/requests").json()["requests"]
    one = http.get(f"/__admin/requests/{events[1]['id']}")
    assert one.status_code == 200
    assert one.json()["request"]["url"] == "/j/first"
    assert one.json()["id"] == events[1]["id"]
    deleted = http.delete(f"/__admin/requests/{events[1]['id']}")
    assert (deleted.status_code, deleted.json()) == (200, {})
    assert http.get(f"/__admin/requests/{events[1]['id']}").status_code == 404
    assert [e["request"]["url"] for e in http.get("/__admin/requests").json()["requests"]] == ["/j/second"]
    unknown = http.get(f"/__admin/requests/{uuid.uuid4()}")
    assert unknown.status_code == 404 and unknown.content == b""
    assert http.delete(f"/__admin/requests/{uuid.uuid4()}").status_code == 200
    bad = http.get("/__admin/requests/xyz")
    assert bad.status_code == 400
    assert bad.json()["errors"][0] == {"code": 10, "title": "xyz is not a valid UUID"}
    assert http.delete("/__admin/requests/xyz").status_code == 400


def test_find_is_oldest_first_and_count(http: httpx.Client) -> None:
    _catch_all(http)
    http.get("/j/1")
    http.post("/j/skip", content=b"x")
    http.get("/j/2")
    found = http.post("/__admin/requests/find", json={"method": "GET", "urlPathPattern": "/j/.*"}).json()
    assert [r["url"] for r in found["requests"]] == ["/j/1", "/j/2"]
    assert found["requestJournalDisabled"] is False
    assert "headers" in found["requests"][0]  # LoggedRequests, not ServeEvents
    counted = http.post("/__admin/requests/count", json={"method": "GET", "urlPathPattern": "/j/.*"})
    assert counted.json() == {"count": 2, "requestJournalDisabled": False}
    assert http.post("/__admin/requests/count", json={"method": "DELETE"}).json()["count"] == 0
    assert http.post("/__admin/requests/count", json={}).json()["count"] == 3


def test_pattern_errors_are_422_with_pointer(http: httpx.Client) -> None:
    r = http.post("/__admin/requests/count", json={"urlx": "/a"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["source"] == {"pointer": "/urlx"}
    r = http.post("/__admin/requests/find", content=b"{nope")
    assert r.status_code == 422
    assert r.json()["errors"][0]["title"] == "Error parsing JSON"
    r = http.post("/__admin/requests/count", json={"loggedDate": 5})  # python-wiremock's extra fields
    assert r.status_code == 422


def test_remove_by_pattern_returns_removed_events(http: httpx.Client) -> None:
    _catch_all(http)
    http.get("/j/drop")
    http.get("/j/keep")
    removed = http.post("/__admin/requests/remove", json={"url": "/j/drop"}).json()
    assert [e["request"]["url"] for e in removed["serveEvents"]] == ["/j/drop"]
    assert [e["request"]["url"] for e in http.get("/__admin/requests").json()["requests"]] == ["/j/keep"]


def test_remove_by_metadata_uses_the_matched_stubs_metadata(http: httpx.Client) -> None:
    stub(http, {"request": {"url": "/j/tagged"}, "response": {"status": 200}, "metadata": {"team": "a"}})
    stub(http, {"request": {"url": "/j/other"}, "response": {"status": 200}, "metadata": {"team": "b"}})
    http.get("/j/tagged")
    http.get("/j/other")
    http.get("/j/unmatched")
    removed = http.post("/__admin/requests/remove-by-metadata", json={"contains": '"a"'}).json()
    assert [e["request"]["url"] for e in removed["serveEvents"]] == ["/j/tagged"]
    assert http.get("/__admin/requests").json()["meta"]["total"] == 2


def test_delete_all_and_legacy_reset(http: httpx.Client) -> None:
    _catch_all(http)
    http.get("/j/1")
    r = http.delete("/__admin/requests")
    assert (r.status_code, r.json()) == (200, {})
    assert http.get("/__admin/requests").json()["meta"]["total"] == 0
    http.get("/j/2")
    assert http.post("/__admin/requests/reset").status_code == 200
    assert http.get("/__admin/requests").json()["requests"] == []


def test_admin_calls_are_not_journaled(http: httpx.Client) -> None:
    http.get("/__admin/mappings")
    http.get("/__admin/health")
    http.post("/__admin/requests/count", json={})
    assert http.get("/__admin/requests").json()["meta"]["total"] == 0


def test_disabled_journal(start: Any) -> None:
    with start(request_journal=False) as (_, http):
        _catch_all(http)
        http.get("/j/1")
        assert http.post("/__admin/requests/count", json={}).json() == {
            "count": -1,
            "requestJournalDisabled": True,
        }
        found = http.post("/__admin/requests/find", json={}).json()
        assert found == {"requests": [], "requestJournalDisabled": True}
        page = http.get("/__admin/requests").json()
        assert page["requests"] == [] and page["requestJournalDisabled"] is True
        assert http.get("/__admin/requests/unmatched").json()["requestJournalDisabled"] is True


def test_logged_response_body_is_truncated(start: Any) -> None:
    with start(logged_response_body_size_limit=5) as (_, http):
        stub(http, {"request": {"url": "/big"}, "response": {"status": 200, "body": "0123456789"}})
        assert http.get("/big").text == "0123456789"  # the client gets everything
        event = http.get("/__admin/requests").json()["requests"][0]
        assert event["response"]["body"] == "01234"
        assert base64.b64decode(event["response"]["bodyAsBase64"]) == b"01234"
