"""The OpenAPI document of the admin API is served, covers the route table, and is true: schemathesis
generates requests for every operation against a live mockd and finds no 5xx and no response that
the document does not describe (status, content type, headers, body schema)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mockd.admin.openapi import document
from mockd.admin.routes import ROUTES, resolve
from mockd.embedded import EmbeddedServer, serve

SCHEMA = schemathesis.openapi.from_dict(document()).exclude(path="/shutdown")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
UNDOCUMENTABLE = {("GET", "")}  # the prefix itself (a 302 to the prefix + "/"): not an OpenAPI path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    root: Path = tmp_path_factory.mktemp("openapi-root")
    (root / "mappings").mkdir()
    (root / "__files").mkdir()
    (root / "__files" / "hello.txt").write_text("hello")
    with serve(root) as server:
        with httpx.Client(base_url=server.url) as http:  # something for the journal and lists to show
            http.post("/__admin/mappings", json={"request": {"url": "/seen"}, "response": {"status": 200}})
            http.get("/seen")
            http.get("/unseen", headers={"X-A": "1"})
        yield server


@SCHEMA.parametrize()
@settings(
    max_examples=int(os.environ.get("MOCKD_OPENAPI_EXAMPLES", "5")),  # more for an exploratory run
    deadline=None,
    derandomize=os.environ.get("MOCKD_OPENAPI_EXAMPLES") is None,
    suppress_health_check=list(HealthCheck),
)
def test_server_conforms_to_its_document(case: schemathesis.Case, live: EmbeddedServer) -> None:
    case.call_and_validate(base_url=live.url + "/__admin", checks=CHECKS)


def _example_path(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "0f0f0f0f-0000-4000-8000-000000000000", template)


def test_every_documented_operation_has_a_route() -> None:
    doc = document()
    for path, operations in doc["paths"].items():
        for method in operations:
            assert resolve(method.upper(), _example_path(path)) is not None, (method, path)


def test_every_route_is_documented() -> None:
    doc = document()
    documented = [
        (method.upper(), re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))))
        for path, ops in doc["paths"].items()
        for method in ops
    ]
    for method, pattern, _ in ROUTES:
        if (method, pattern) in UNDOCUMENTABLE:
            continue
        sample = re.sub(r"\(\?P<\w+>[^)]*\)", "x", pattern)
        assert any(m == method and p.fullmatch(sample) for m, p in documented), (method, pattern)


def test_document_is_served_at_both_paths(http: httpx.Client) -> None:
    for path in ("/__admin/docs/openapi.json", "/__admin/docs/swagger"):
        r = http.get(path)
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("application/json")
        body = r.json()
        assert body["openapi"].startswith("3.")
        assert body["servers"] == [{"url": "/__admin"}]
        assert "/requests" in body["paths"]
