"""The mappings and system endpoints against spec §6.2: paging, errors, import, remove, metadata,
unmatched, edit position, legacy routes, health, version, shutdown."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest


def stub(http: httpx.Client, mapping: dict[str, Any]) -> dict[str, Any]:
    r = http.post("/__admin/mappings", json=mapping)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _ids(http: httpx.Client, **params: Any) -> list[str]:
    return [m["id"] for m in http.get("/__admin/mappings", params=params).json()["mappings"]]


def _simple(url: str, **extra: Any) -> dict[str, Any]:
    return {"request": {"url": url}, "response": {"status": 200, "body": url}, **extra}


def test_paging_and_total(http: httpx.Client) -> None:
    made = [stub(http, _simple(f"/p/{i}"))["id"] for i in range(5)]
    newest_first = list(reversed(made))
    assert _ids(http) == newest_first
    assert _ids(http, limit=2, offset=1) == newest_first[1:3]
    assert _ids(http, offset=4) == newest_first[4:]
    assert _ids(http, offset=50) == []
    assert _ids(http, limit=0) == []
    assert http.get("/__admin/mappings", params={"limit": 2}).json()["meta"]["total"] == 5


@pytest.mark.parametrize("params", [{"limit": "-1"}, {"offset": "-3"}, {"limit": "x"}, {"offset": "1.5"}])
def test_bad_paging_is_400(http: httpx.Client, params: dict[str, str]) -> None:
    r = http.get("/__admin/mappings", params=params)
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == 10


def test_create_errors(http: httpx.Client) -> None:
    bad_json = http.post("/__admin/mappings", content=b"{not json")
    assert bad_json.status_code == 422
    assert bad_json.json()["errors"][0]["title"] == "Error parsing JSON"
    unknown = http.post("/__admin/mappings", json={"request": {"url": "/x"}, "responze": {}})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["source"] == {"pointer": "/responze"}
    first = stub(http, _simple("/dup"))
    dup = http.post("/__admin/mappings", json={"id": first["id"], **_simple("/dup2")})
    assert dup.status_code == 422
    error = dup.json()["errors"][0]
    assert error["code"] == 109
    assert error["title"] == "Duplicate stub mapping ID"
    assert first["id"] in error["detail"]


def test_ids_in_paths(http: httpx.Client) -> None:
    missing = str(uuid.uuid4())
    for method in ("GET", "DELETE"):
        r = http.request(method, f"/__admin/mappings/{missing}")
        assert (r.status_code, r.content) == (404, b"")
    assert http.put(f"/__admin/mappings/{missing}", json=_simple("/x")).status_code == 404
    for method in ("GET", "PUT", "DELETE"):
        r = http.request(method, "/__admin/mappings/not-a-uuid", json=_simple("/x"))
        assert r.status_code == 400
        assert r.json()["errors"][0] == {"code": 10, "title": "not-a-uuid is not a valid UUID"}


def test_edit_keeps_position_and_id(http: httpx.Client) -> None:
    a = stub(http, _simple("/e/a"))
    b = stub(http, _simple("/e/b"))
    c = stub(http, _simple("/e/c"))
    r = http.put(f"/__admin/mappings/{b['id']}", json={"id": str(uuid.uuid4()), **_simple("/e/b2")})
    assert r.status_code == 200
    assert r.json()["id"] == b["id"] and r.json()["uuid"] == b["id"]
    assert _ids(http) == [c["id"], b["id"], a["id"]]
    assert http.get("/e/b2").text == "/e/b2"
    assert http.get("/e/b").status_code == 404


def test_legacy_edit_and_new(http: httpx.Client) -> None:
    created = http.post("/__admin/mappings/new", json=_simple("/legacy"))
    assert created.status_code == 201
    sid = created.json()["id"]
    r = http.post("/__admin/mappings/edit", json={"id": sid, **_simple("/legacy2")})
    assert (r.status_code, r.content) == (204, b"")
    assert http.get("/legacy2").status_code == 200
    assert (
        http.post("/__admin/mappings/edit", json={"id": str(uuid.uuid4()), **_simple("/z")}).status_code
        == 404
    )


def test_remove_by_id_or_by_equal_request(http: httpx.Client) -> None:
    by_id = stub(http, _simple("/r/1"))
    stub(http, {"request": {"method": "GET", "url": "/r/2"}, "response": {"status": 200}})
    twin = stub(http, {"request": {"method": "GET", "url": "/r/2"}, "response": {"status": 201}})
    keep = stub(http, {"request": {"method": "POST", "url": "/r/2"}, "response": {"status": 200}})
    assert (
        http.post("/__admin/mappings/remove", json={"id": by_id["id"], **_simple("/other")}).status_code
        == 200
    )
    assert by_id["id"] not in _ids(http)
    r = http.post("/__admin/mappings/remove", json={"request": {"method": "GET", "url": "/r/2"}})
    assert r.status_code == 200
    assert _ids(http) == [keep["id"]]
    assert twin["id"] not in _ids(http)


def test_metadata_find_and_remove(http: httpx.Client) -> None:
    a = stub(http, _simple("/md/a", metadata={"team": "payments", "tags": ["fast"]}))
    b = stub(http, _simple("/md/b", metadata={"team": "search"}))
    stub(http, _simple("/md/none"))
    found = http.post("/__admin/mappings/find-by-metadata", json={"contains": "payments"}).json()
    assert [m["id"] for m in found["mappings"]] == [a["id"]]
    assert found["meta"]["total"] == 1
    assert http.post("/__admin/mappings/find-by-metadata", json={"nope": 1}).status_code == 422
    r = http.post("/__admin/mappings/remove-by-metadata", json={"matches": '.*"team":"search".*'})
    assert (r.status_code, r.json()) == (200, {})
    assert b["id"] not in _ids(http)
    assert len(_ids(http)) == 2


def test_unmatched_mappings(http: httpx.Client) -> None:
    hit = stub(http, _simple("/u/hit"))
    never = stub(http, _simple("/u/never"))
    http.get("/u/hit")
    assert [m["id"] for m in http.get("/__admin/mappings/unmatched").json()["mappings"]] == [never["id"]]
    assert http.delete("/__admin/mappings/unmatched").json() == {}
    assert _ids(http) == [hit["id"]]


def test_import(http: httpx.Client) -> None:
    old = stub(http, _simple("/i/old"))
    keep_id, new_id = str(uuid.uuid4()), str(uuid.uuid4())
    stub(http, {"id": keep_id, **_simple("/i/keep")})
    doc = {
        "mappings": [
            {"id": keep_id, **_simple("/i/replaced")},
            {"id": new_id, **_simple("/i/new")},
        ],
        "meta": {"total": 2},
    }
    ignore = {**doc, "importOptions": {"duplicatePolicy": "IGNORE"}}  # no deleteAllNotInImport: no 500
    r = http.post("/__admin/mappings/import", json=ignore)
    assert (r.status_code, r.content) == (200, b"")
    assert http.get("/i/keep").status_code == 200
    assert http.get("/i/new").status_code == 200
    overwrite = {**doc, "importOptions": {"duplicatePolicy": "OVERWRITE", "deleteAllNotInImport": True}}
    assert http.post("/__admin/mappings/import", json=overwrite).status_code == 200
    assert http.get("/i/replaced").status_code == 200
    assert old["id"] not in _ids(http)
    assert _ids(http) == [new_id, keep_id]  # an overwritten stub keeps its position
    fresh = [str(uuid.uuid4()), str(uuid.uuid4())]
    doc = {"mappings": [{"id": fresh[0], **_simple("/i/tie")}, {"id": fresh[1], **_simple("/i/tie")}]}
    assert http.post("/__admin/mappings/import", json=doc).status_code == 200
    assert _ids(http)[:2] == fresh  # imported in reverse, so the first in the list wins ties
    bad = http.post(
        "/__admin/mappings/import", json={"mappings": [], "importOptions": {"duplicatePolicy": "X"}}
    )
    assert bad.status_code == 422


def test_reset_endpoints(http: httpx.Client) -> None:
    stub(http, _simple("/rs"))
    http.get("/rs")
    for path in ("/__admin/reset", "/__admin/mappings/reset"):
        r = http.post(path)
        assert (r.status_code, r.content) == (200, b"")
    assert http.get("/__admin/mappings").json()["meta"]["total"] == 0
    assert http.get("/__admin/requests").json()["meta"]["total"] == 0
    assert http.get("/rs").status_code == 404


def test_health_has_wiremock_reason_phrase(http: httpx.Client) -> None:
    r = http.get("/__admin/health")
    assert r.status_code == 200
    assert r.reason_phrase == "Wiremock is ok"
    body = r.json()
    assert body["status"] == "healthy" and body["message"] == "Wiremock is ok"
    assert isinstance(body["uptimeInSeconds"], int)
    assert body["version"] == "3.13.2"


def test_version_json_or_text(http: httpx.Client) -> None:
    assert http.get("/__admin/version").json() == {"version": "3.13.2"}
    text = http.get("/__admin/version", headers={"Accept": "text/plain"})
    assert text.headers["Content-Type"].startswith("text/plain")
    assert text.text == "3.13.2"


def test_shutdown_answers_then_stops(start: Any) -> None:
    with start() as (server, http):
        r = http.post("/__admin/shutdown")
        assert (r.status_code, r.content) == (200, b"")
        server._thread.join(10)  # the server thread ends once mockd has stopped
        assert not server._thread.is_alive()
        with pytest.raises(httpx.TransportError):
            httpx.get(server.url + "/__admin/health", timeout=2)
