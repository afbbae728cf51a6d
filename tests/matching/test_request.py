"""RequestPattern: every part of a request, through the codec, as a stub would be written."""

from __future__ import annotations

import base64
import gzip
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.http import LoggedRequest
from mockd.stubs.codec import request_from_json


def hit(
    pattern: dict[str, Any],
    method: str = "GET",
    url: str = "/",
    headers: Any = (),
    body: bytes = b"",
    **kw: Any,
) -> bool:
    req = LoggedRequest.create(method, url, tuple(headers), body, **kw)
    return request_from_json(pattern).is_match(req)


def test_methods() -> None:
    assert hit({"method": "ANY"}, "DELETE")
    assert hit({}, "PATCH")  # no method: ANY
    assert hit({"method": "GET_OR_HEAD"}, "HEAD")
    assert hit({"method": "GET_OR_HEAD"}, "GET")
    assert not hit({"method": "GET"}, "HEAD")  # WireMock: HEAD does not match a GET stub
    assert hit({"method": "PURGE"}, "PURGE")
    assert hit({"method": "post"}, "POST")


def test_header_names_are_case_insensitive_and_values_any_of() -> None:
    p = {"headers": {"X-Api-Key": {"equalTo": "two"}}}
    assert hit(p, headers=[("x-api-key", "one"), ("X-API-KEY", "two")])
    assert not hit(p, headers=[("x-api-key", "one")])
    assert not hit(p)


def test_header_absent_and_multi_value_operators() -> None:
    assert hit({"headers": {"X-A": {"absent": True}}})
    assert not hit({"headers": {"X-A": {"absent": True}}}, headers=[("X-A", "")])
    exactly = {"headers": {"X-A": {"hasExactly": [{"equalTo": "1"}, {"equalTo": "2"}]}}}
    assert hit(exactly, headers=[("X-A", "2"), ("X-A", "1")])
    assert not hit(exactly, headers=[("X-A", "1"), ("X-A", "2"), ("X-A", "3")])
    assert not hit(exactly)
    includes = {"headers": {"X-A": {"includes": [{"equalTo": "1"}]}}}
    assert hit(includes, headers=[("X-A", "1"), ("X-A", "9")])
    assert not hit(includes, headers=[("X-A", "9")])


def test_query_values_are_decoded_and_names_case_sensitive() -> None:
    p = {"urlPath": "/q", "queryParameters": {"name": {"equalTo": "a b/c"}}}
    assert hit(p, url="/q?name=a+b%2Fc")
    assert hit(p, url="/q?name=a%20b/c")
    assert not hit(p, url="/q?Name=a+b%2Fc")


def test_query_flag_without_equals_is_empty_string() -> None:
    assert hit({"urlPath": "/q", "queryParameters": {"flag": {"equalTo": ""}}}, url="/q?flag")
    assert not hit({"urlPath": "/q", "queryParameters": {"flag": {"absent": True}}}, url="/q?flag")


def test_form_parameters_need_the_form_content_type() -> None:
    p = {"formParameters": {"a": {"equalTo": "1 2"}}}
    form = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")]
    assert hit(p, "POST", headers=form, body=b"a=1+2&b=3")
    assert not hit(p, "POST", headers=[("Content-Type", "text/plain")], body=b"a=1+2")


def test_cookies() -> None:
    p = {"cookies": {"session": {"matches": "s-[0-9]+"}}}
    assert hit(p, headers=[("Cookie", "a=1; session=s-42")])
    assert not hit(p, headers=[("Cookie", "session=x")])
    assert hit({"cookies": {"session": {"absent": True}}}, headers=[("Cookie", "a=1")])


def test_basic_auth_scheme_is_case_insensitive() -> None:
    token = base64.b64encode(b"user:pw").decode()
    for key in ("basicAuthCredentials", "basicAuth"):
        p = {key: {"username": "user", "password": "pw"}}
        assert hit(p, headers=[("Authorization", f"basic {token}")])
        assert not hit(p, headers=[("Authorization", "Basic " + base64.b64encode(b"user:x").decode())])
        assert not hit(p)


def test_host_port_scheme_client_ip() -> None:
    assert hit(
        {"host": {"equalTo": "api.local"}, "port": 8080, "scheme": "http"}, host="api.local", port=8080
    )
    assert not hit({"port": 8081}, port=8080)
    assert hit({"clientIp": {"equalTo": "10.1.2.3"}}, headers=[("X-Forwarded-For", "10.1.2.3, 10.0.0.1")])
    assert hit({"clientIp": {"equalTo": "127.0.0.9"}}, socket_ip="127.0.0.9")


def test_empty_body_is_absent() -> None:
    assert hit({"bodyPatterns": [{"absent": True}]}, "POST")
    assert not hit({"bodyPatterns": [{"equalTo": ""}]}, "POST")  # WireMock: empty body is null
    assert hit({"bodyPatterns": [{"contains": "x"}, {"contains": "y"}]}, "POST", body=b"xy")
    assert not hit({"bodyPatterns": [{"contains": "x"}, {"contains": "z"}]}, "POST", body=b"xy")


def test_gzipped_bodies_are_decoded_before_matching() -> None:
    body = gzip.compress(b"hello world")
    assert hit(
        {"bodyPatterns": [{"contains": "world"}]}, "POST", headers=[("Content-Encoding", "gzip")], body=body
    )
    assert hit({"bodyPatterns": [{"contains": "world"}]}, "POST", body=body)  # magic bytes alone


def test_path_parameters_only_with_templates() -> None:
    p = {"urlPathTemplate": "/c/{id}", "pathParameters": {"id": {"matches": "[0-9]+"}}}
    assert hit(p, url="/c/12")
    assert not hit(p, url="/c/x")


def test_custom_matcher_never_matches() -> None:
    assert not hit({"url": "/", "customMatcher": {"name": "unknown", "parameters": {}}})


def test_distance_stage1_failure_ignores_stage2() -> None:
    pattern = request_from_json({"method": "POST", "url": "/a", "headers": {"X": {"equalTo": "1"}}})
    wrong_url = pattern.match(LoggedRequest.create("POST", "/zzzzz", (("X", "1"),)))
    wrong_header = pattern.match(LoggedRequest.create("POST", "/a", (("X", "2"),)))
    assert not wrong_url.exact and not wrong_header.exact
    assert wrong_header.distance < wrong_url.distance


REQUEST_PATTERNS = st.sampled_from(
    [
        {"url": "/a"},
        {"urlPath": "/a", "queryParameters": {"q": {"hasExactly": [{"equalTo": "1"}]}}},
        {"urlPathTemplate": "/a/{x}", "pathParameters": {"x": {"doesNotMatch": "b.*"}}},
        {"headers": {"X": {"or": [{"absent": True}, {"contains": "z"}]}}},
        {"cookies": {"c": {"not": {"equalTo": "1"}}}},
        {"formParameters": {"f": {"includes": [{"matches": ".*"}]}}},
        {"bodyPatterns": [{"contains": "x"}], "multipartPatterns": [{"matchingType": "ALL"}]},
        {"basicAuthCredentials": {"username": "u", "password": "p"}, "clientIp": {"matches": "1.*"}},
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pattern=REQUEST_PATTERNS,
    method=st.sampled_from(["GET", "POST", "HEAD", "X"]),
    url=st.text(alphabet="/a?=&%+b2x;", max_size=30).map(lambda s: "/" + s),
    headers=st.lists(
        st.tuples(
            st.sampled_from(["X", "Cookie", "Content-Type", "Authorization", "X-Forwarded-For"]),
            st.text(max_size=20),
        ),
        max_size=5,
    ),
    body=st.binary(max_size=200),
)
def test_no_request_makes_a_matcher_raise(
    pattern: dict[str, Any], method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> None:
    req = LoggedRequest.create(method, url, tuple(headers), body)
    p = request_from_json(pattern)
    exact = p.is_match(req)
    result = p.match(req)
    assert result.exact == exact
    assert 0.0 <= result.distance <= 1.0
