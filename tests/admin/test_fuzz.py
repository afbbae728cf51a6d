"""No input of any kind makes the admin API answer 5xx: random JSON, near-valid documents and garbage
bytes are posted to every route of the route table, with random path and query parameters."""

from __future__ import annotations

import json
import os
import re
import uuid
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.admin.routes import ROUTES

SKIPPED = {("POST", "/shutdown")}  # answers 200, then stops the server under test
FUZZED = [(m, p) for m, p, _ in ROUTES if (m, p) not in SKIPPED]

# Field and operator names mockd knows, so random documents get past the first check and go deep.
KEYS = [
    "id", "uuid", "name", "request", "response", "priority", "persistent", "scenarioName",
    "requiredScenarioState", "newScenarioState", "metadata", "mappings", "importOptions", "duplicatePolicy",
    "deleteAllNotInImport", "url", "urlPath", "urlPattern", "urlPathPattern", "urlPathTemplate", "method",
    "headers", "queryParameters", "formParameters", "cookies", "bodyPatterns", "basicAuthCredentials",
    "multipartPatterns", "pathParameters", "host", "port", "scheme", "clientIp", "status", "statusMessage",
    "body", "jsonBody", "base64Body", "bodyFileName", "fixedDelayMilliseconds", "delayDistribution",
    "chunkedDribbleDelay", "fault", "proxyBaseUrl", "transformers", "transformerParameters", "equalTo",
    "contains", "matches", "doesNotMatch", "absent", "and", "or", "not", "equalToJson", "matchesJsonPath",
    "expression", "caseInsensitive", "hasExactly", "includes", "before", "after", "state", "settings",
    "fixedDelay", "extended", "proxyPassThrough", "type", "median", "sigma", "lower", "upper",
    "numberOfChunks", "totalDuration", "absoluteUrl", "bodyAsBase64", "loggedDate", "targetBaseUrl",
    "filters", "captureHeaders", "outputFormat", "persist", "repeatsAsScenarios", "username", "password",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["GET", "ANY", "/a", ".*", "[", "OVERWRITE", "fixed", "Started", "2024-01-01T00:00:00Z"]),
    st.uuids().map(str),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=25,
)
BODIES = st.one_of(
    JSON.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.text(max_size=100).map(str.encode),
    st.sampled_from([b"", b"{", b"[", b'{"a":', b"null", b"'x'", b"// c\n{}", b"[" * 2000, b"\xff\xfe"]),
)
PARAM_TEXT = st.one_of(
    st.uuids().map(str),
    st.text(min_size=1, max_size=20),
    st.sampled_from(["..", "%2e%2e", "a/b", "", " ", "\x00"]),
)
QUERY = st.dictionaries(
    st.sampled_from(["limit", "offset", "since", "unmatched", "matchingStub"]),
    st.text(max_size=12),
    max_size=3,
)
GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def _concrete(path: str, values: list[str]) -> str:
    it = iter(values)
    return GROUP.sub(lambda _: quote(next(it, "x") or "x", safe=""), path)


@settings(
    max_examples=int(os.environ.get("MOCKD_FUZZ_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=st.sampled_from(FUZZED),
    values=st.lists(PARAM_TEXT, min_size=2, max_size=2),
    query=QUERY,
    body=BODIES,
)
def test_no_input_gives_a_server_error(
    http: httpx.Client, route: tuple[str, str], values: list[str], query: dict[str, str], body: bytes
) -> None:
    method, pattern = route
    path = "/__admin" + _concrete(pattern, values)
    r = http.request(method, path, params=query, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code < 500, (method, path, query, body[:200], r.text[:500])


def test_every_route_is_fuzzed() -> None:
    assert len(FUZZED) == len(ROUTES) - len(SKIPPED)
    assert {p for _, p in FUZZED} >= {"/mappings", "/requests", "/near-misses/request", "/files/(?P<path>.+)"}


def test_known_tricky_inputs(http: httpx.Client) -> None:
    cases: list[tuple[str, str, Any]] = [
        ("POST", "/__admin/mappings", b"[" * 5000),
        ("POST", "/__admin/mappings", b'{"request": {"url": "/a"}, "priority": 99999999999999999999}'),
        ("POST", "/__admin/mappings", b'{"response": {"status": 1e400}}'),
        ("POST", "/__admin/mappings", b'{"request": {"urlPattern": "("}}'),
        ("POST", "/__admin/mappings/import", b'{"mappings": [{"id": "x"}]}'),
        (
            "POST",
            "/__admin/mappings/import",
            b'{"mappings": [], "importOptions": {"duplicatePolicy": "IGNORE"}}',
        ),
        ("POST", "/__admin/requests/count", b'{"bodyPatterns": {"equalTo": "x"}}'),
        ("POST", "/__admin/near-misses/request", b'{"absoluteUrl": "http://h:99999999/x"}'),
        ("POST", "/__admin/near-misses/request", b'{"bodyAsBase64": "%%%"}'),
        ("PUT", f"/__admin/mappings/{uuid.uuid4()}", b"{}"),
        ("PUT", "/__admin/scenarios/%00/state", b'{"state": 5}'),
        ("GET", "/__admin/mappings?limit=-1", b""),
        ("GET", "/__admin/mappings?offset=99999999999999999999999", b""),
        ("GET", "/__admin/mappings?limit=abc", b""),
        ("GET", "/__admin/requests?since=%00", b""),
        ("POST", "/__admin/settings", b'{"fixedDelay": -1}'),
        ("PATCH", "/__admin/settings/extended", b"[1]"),
    ]
    for method, path, body in cases:
        r = http.request(method, path, content=body)
        assert r.status_code < 500, (method, path, r.text)
