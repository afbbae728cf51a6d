"""Admin security: --admin-api-basic-auth and a configurable admin prefix."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def test_basic_auth_required_on_every_admin_call(start: Any) -> None:
    with start(admin_api_basic_auth="admin:s3cret") as (_, http):
        for method, path in (
            ("GET", "/__admin/mappings"),
            ("POST", "/__admin/mappings"),
            ("GET", "/__admin/requests"),
            ("GET", "/__admin/files"),
            ("PUT", "/__admin/files/x.txt"),
            ("POST", "/__admin/reset"),
            ("GET", "/__admin/docs/openapi.json"),
            ("GET", "/__admin/no-such-route"),
        ):
            r = http.request(method, path, content=b"{}")
            assert (r.status_code, r.content) == (401, b""), (method, path)
        wrong = http.get("/__admin/mappings", auth=("admin", "nope"))
        assert wrong.status_code == 401
        garbage = http.get("/__admin/mappings", headers={"Authorization": "Basic !!!not-base64"})
        assert garbage.status_code == 401
        ok = http.post(
            "/__admin/mappings",
            json={"request": {"url": "/open"}, "response": {"status": 200, "body": "open"}},
            auth=("admin", "s3cret"),
        )
        assert ok.status_code == 201
        assert http.get("/__admin/requests", auth=("admin", "s3cret")).status_code == 200
        # stub traffic needs no credentials
        assert http.get("/open").text == "open"


def test_custom_admin_prefix(start: Any) -> None:
    with start(admin_prefix="/_ops") as (_, http):
        r = http.post("/_ops/mappings", json={"request": {"url": "/x"}, "response": {"status": 200}})
        assert r.status_code == 201
        assert http.get("/_ops/mappings").json()["meta"]["total"] == 1
        assert http.get("/_ops/requests").status_code == 200
        assert http.get("/_ops/docs/openapi.json").json()["servers"] == [{"url": "/_ops"}]
        redirect = http.get("/_ops", follow_redirects=False)
        assert redirect.status_code == 302 and redirect.headers["Location"].endswith("/_ops/")
        # the default prefix is now an ordinary (unmatched) stub request
        assert http.get("/__admin/mappings").status_code == 404
        assert http.get("/_ops/requests").json()["meta"]["total"] == 1


@pytest.mark.parametrize("path", ["/__admin/nope", "/__admin/mappings/x/y", "/__admin/requests/a/b/c"])
def test_unknown_admin_routes_are_404(http: httpx.Client, path: str) -> None:
    assert http.get(path).status_code == 404


def test_admin_root_redirects_and_lists(http: httpx.Client) -> None:
    r = http.get("/__admin", follow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/__admin/")
    assert http.get("/__admin/").json() == {"mappings": [], "meta": {"total": 0}}
