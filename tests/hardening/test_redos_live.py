"""Regexes cannot hang a live server: catastrophic patterns against 50 KB inputs answer at once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from support import stub

EVIL_TEXT = "a" * 50_000 + "!"


def timed(http: httpx.Client, method: str, url: str, **kw: Any) -> tuple[int, float]:
    started = time.monotonic()
    r = http.request(method, url, **kw)
    return r.status_code, time.monotonic() - started


@pytest.mark.parametrize(
    ("request_pattern", "send"),
    [
        ({"bodyPatterns": [{"matches": "(a+)+$"}]}, {"content": EVIL_TEXT}),
        ({"bodyPatterns": [{"matches": "((a+)+)+$"}]}, {"content": EVIL_TEXT + "\n"}),
        ({"bodyPatterns": [{"doesNotMatch": "(a|aa)+$"}]}, {"content": "a" * 50_000}),
        ({"headers": {"X-Evil": {"matches": "(a+)+$"}}}, {"headers": {"X-Evil": "a" * 15_000 + "!"}}),
        (
            {"bodyPatterns": [{"matchesJsonPath": {"expression": "$.name", "matches": "(a+)+$"}}]},
            {"json": {"name": EVIL_TEXT}},
        ),
        ({"queryParameters": {"q": {"matches": "(\\w+\\s?)+$"}}}, {"params": {"q": "word " * 1000 + "!"}}),
        # a pattern RE2 cannot run (backreference): the budgeted fallback gives up instead of hanging
        ({"bodyPatterns": [{"matches": "(a|aa)+\\1$"}]}, {"content": EVIL_TEXT}),
        ({"bodyPatterns": [{"matches": "(?=(a+)+$)x"}]}, {"content": EVIL_TEXT}),
    ],
)
def test_a_catastrophic_regex_answers_quickly_and_others_are_served(
    http: httpx.Client, request_pattern: dict[str, Any], send: dict[str, Any]
) -> None:
    stub(
        http,
        {"request": {"method": "POST", "urlPath": "/evil", **request_pattern}, "response": {"status": 200}},
    )
    stub(http, {"request": {"method": "GET", "url": "/fine"}, "response": {"status": 200, "body": "fine"}})
    with ThreadPoolExecutor(2) as pool:
        evil = pool.submit(timed, http, "POST", "/evil", **send)
        fine = pool.submit(timed, http, "GET", "/fine")
        status, evil_elapsed = evil.result(timeout=10)
        fine_status, fine_elapsed = fine.result(timeout=10)
    assert status in (200, 404)
    assert evil_elapsed < 1.0, f"the evil request took {evil_elapsed:.2f} s"
    assert (fine_status, fine_elapsed < 1.0) == (200, True)


def test_catastrophic_url_patterns_and_path_parameters(http: httpx.Client) -> None:
    stub(http, {"request": {"urlPattern": "/u/(a+)+$"}, "response": {"status": 200}})
    stub(http, {"request": {"urlPathPattern": "/v/((a+)+)+$"}, "response": {"status": 200}})
    stub(
        http,
        {
            "request": {"urlPathTemplate": "/w/{id}", "pathParameters": {"id": {"matches": "(a|a)+$"}}},
            "response": {"status": 200},
        },
    )
    for prefix in ("/u/", "/v/", "/w/"):
        status, elapsed = timed(http, "GET", prefix + "a" * 6000 + "!")
        assert (status, elapsed < 1.0) == (404, True), prefix
        assert http.get(prefix + "aaaa").status_code == 200


def test_an_invalid_regex_is_refused_with_a_pointer(http: httpx.Client) -> None:
    r = http.post(
        "/__admin/mappings",
        json={"request": {"url": "/x", "headers": {"A": {"matches": "(unclosed"}}}, "response": {}},
    )
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["source"]["pointer"].startswith("/request/headers/A")
    assert "(unclosed" in error["detail"]
