"""Stub values are validated where they are written: admin 422 with a pointer, file problems with the
file and the pointer; whatever passes validation is served without a 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.errors import MockdError
from mockd.stubs.codec import stub_from_json

INVALID: list[tuple[dict[str, Any], str]] = [
    ({"status": 99}, "/response/status"),
    ({"status": 600}, "/response/status"),
    ({"status": -1}, "/response/status"),
    ({"status": 10**30}, "/response/status"),
    ({"status": "abc"}, "/response/status"),
    ({"status": 200.5}, "/response/status"),
    ({"status": True}, "/response/status"),
    ({"status": [200]}, "/response/status"),
    ({"fixedDelayMilliseconds": -5}, "/response/fixedDelayMilliseconds"),
    ({"fixedDelayMilliseconds": 10**12}, "/response/fixedDelayMilliseconds"),
    ({"fixedDelayMilliseconds": "soon"}, "/response/fixedDelayMilliseconds"),
    (
        {"delayDistribution": {"type": "uniform", "lower": -1, "upper": 5}},
        "/response/delayDistribution/lower",
    ),
    (
        {"delayDistribution": {"type": "uniform", "lower": 50, "upper": 5}},
        "/response/delayDistribution/upper",
    ),
    (
        {"delayDistribution": {"type": "lognormal", "median": 10**12, "sigma": 0.1}},
        "/response/delayDistribution/median",
    ),
    (
        {"delayDistribution": {"type": "lognormal", "median": 10, "sigma": -1}},
        "/response/delayDistribution/sigma",
    ),
    ({"delayDistribution": {"type": "gaussian"}}, "/response/delayDistribution/type"),
    (
        {"chunkedDribbleDelay": {"numberOfChunks": -1, "totalDuration": 10}},
        "/response/chunkedDribbleDelay/numberOfChunks",
    ),
    (
        {"chunkedDribbleDelay": {"numberOfChunks": 10**9, "totalDuration": 10}},
        "/response/chunkedDribbleDelay/numberOfChunks",
    ),
    (
        {"chunkedDribbleDelay": {"numberOfChunks": 5, "totalDuration": -10}},
        "/response/chunkedDribbleDelay/totalDuration",
    ),
    ({"fault": "NOPE"}, "/response/fault"),
    ({"fault": 3}, "/response/fault"),
    ({"headers": {"Bad Name": "x"}}, "/response/headers/Bad Name"),
    ({"headers": {"X:A": "x"}}, "/response/headers/X:A"),
    ({"headers": {"a/b": "x"}}, "/response/headers/a~1b"),
    ({"headers": {"": "x"}}, "/response/headers/"),
    ({"headers": {"X-A": "a\r\nInjected: 1"}}, "/response/headers/X-A"),
    ({"headers": {"X-A": "a\nb"}}, "/response/headers/X-A"),
    ({"headers": {"X-A": "a\x00b"}}, "/response/headers/X-A"),
    ({"headers": {"X-A": ["ok", "b\r\n"]}}, "/response/headers/X-A/1"),
    ({"headers": {"X-A": {"nested": 1}}}, "/response/headers/X-A"),
    ({"statusMessage": "OK\r\nInjected: 1"}, "/response/statusMessage"),
    ({"additionalProxyRequestHeaders": {"X-A": "a\rb"}}, "/response/additionalProxyRequestHeaders/X-A"),
]


@pytest.mark.parametrize(("response", "pointer"), INVALID, ids=[json.dumps(c[0])[:60] for c in INVALID])
def test_invalid_response_values_are_refused_by_the_admin_api(
    http: httpx.Client, response: dict[str, Any], pointer: str
) -> None:
    r = http.post("/__admin/mappings", json={"request": {"url": "/v"}, "response": response})
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    assert error["source"]["pointer"] == pointer
    assert error["detail"]
    assert http.get("/__admin/mappings").json()["meta"]["total"] == 0


def test_invalid_response_values_in_files_are_located_problems(root: Path, start: Any) -> None:
    for i, (response, _) in enumerate(INVALID):
        (root / "mappings" / f"bad-{i:02d}.json").write_text(
            json.dumps({"request": {"url": f"/bad{i}"}, "response": response})
        )
    (root / "mappings" / "good.json").write_text('{"request": {"url": "/good"}, "response": {"status": 0}}')
    with start() as (_, http):
        assert http.get("/good").status_code == 200  # status 0 means 200, as in WireMock
        problems = {p["file"]: p for p in http.get("/__admin/mappings/problems").json()["problems"]}
    for i, (_, pointer) in enumerate(INVALID):
        problem = problems[f"mappings/bad-{i:02d}.json"]
        assert problem["pointer"] == pointer
        assert problem["message"]


# -- hypothesis over the response fields -----------------------------------------------------------

_ANY_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
_HEADER_NAME = st.text(st.characters(codec="ascii"), max_size=8)
_HEADER_VALUE = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
_RESPONSE = st.fixed_dictionaries(
    {},
    optional={
        "status": st.one_of(st.integers(min_value=-5, max_value=700), _ANY_SCALAR),
        "statusMessage": st.one_of(_HEADER_VALUE, _ANY_SCALAR),
        "fixedDelayMilliseconds": st.one_of(st.integers(min_value=-10, max_value=50), _ANY_SCALAR),
        "fault": st.one_of(
            st.sampled_from(["EMPTY_RESPONSE", "CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE", "NOPE"]),
            _ANY_SCALAR,
        ),
        "headers": st.one_of(
            st.dictionaries(
                _HEADER_NAME, st.one_of(_HEADER_VALUE, st.lists(_HEADER_VALUE, max_size=2)), max_size=3
            ),
            _ANY_SCALAR,
        ),
        "body": st.one_of(st.text(max_size=10), _ANY_SCALAR),
        "delayDistribution": st.one_of(
            st.fixed_dictionaries(
                {"type": st.sampled_from(["uniform", "lognormal", "fixed", "x"])},
                optional={
                    "lower": st.integers(-5, 30),
                    "upper": st.integers(-5, 30),
                    "median": st.integers(-5, 30),
                    "sigma": st.floats(-1, 2),
                    "milliseconds": st.integers(-5, 30),
                },
            ),
            _ANY_SCALAR,
        ),
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(response=_RESPONSE)
def test_the_codec_accepts_or_refuses_with_a_located_error(response: dict[str, Any]) -> None:
    try:
        stub = stub_from_json({"request": {"url": "/h"}, "response": response})
    except MockdError as exc:
        assert exc.location.pointer is not None and exc.location.pointer.startswith("/response")
        assert exc.detail
        return
    r = stub.response
    assert 100 <= r.status <= 599
    assert r.fixed_delay_ms is None or r.fixed_delay_ms >= 0
    for name, value in r.headers:
        assert name and all(c not in value for c in "\r\n\x00")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(response=_RESPONSE)
def test_what_the_admin_api_accepts_is_served_without_a_500(
    http: httpx.Client, response: dict[str, Any]
) -> None:
    response.pop("fault", None)  # faults close connections on purpose
    if isinstance(response.get("fixedDelayMilliseconds"), int):
        response["fixedDelayMilliseconds"] = min(response["fixedDelayMilliseconds"], 20)
    response.pop("delayDistribution", None)
    http.post("/__admin/reset")
    r = http.post("/__admin/mappings", json={"request": {"url": "/h"}, "response": response})
    assert r.status_code in (201, 422), r.text
    if r.status_code == 422:
        assert r.json()["errors"][0]["source"]["pointer"].startswith("/response")
        return
    if 100 <= int(r.json()["response"].get("status") or 200) < 200:
        return  # a 1xx answer is not final: an HTTP client would wait for another one
    served = http.get("/h")
    assert (
        served.status_code < 500
        or served.status_code == response.get("status")
        or (
            str(response.get("status")).strip().isdigit()
            and served.status_code == int(str(response["status"]).strip())
        )
    ), (served.status_code, served.text)
