"""MockdClient: the request journal and verify(), whose failures read like WireMock's."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockd.client import MockdClient
from mockd.client.verify import Expectation, failure_message
from mockd.embedded import serve

ORDERS = {"request": {"method": "POST", "url": "/orders"}, "response": {"status": 201}}
POST_ORDERS = {"method": "POST", "url": "/orders"}


def test_requests_find_count_unmatched(client: MockdClient, fetch) -> None:
    client.stub_for(ORDERS)
    fetch(client.url + "/orders", method="POST", body=b'{"n":1}')
    fetch(client.url + "/orders", method="POST", body=b'{"n":2}')
    fetch(client.url + "/nothing")
    events = client.requests()
    assert [e["request"]["url"] for e in events] == ["/nothing", "/orders", "/orders"]  # newest first
    assert [e["wasMatched"] for e in events] == [False, True, True]
    found = client.find_requests(POST_ORDERS)
    assert [r["body"] for r in found] == ['{"n":1}', '{"n":2}']  # oldest first
    assert client.count_requests(POST_ORDERS) == 2
    assert [r["url"] for r in client.unmatched_requests()] == ["/nothing"]
    client.reset_requests()
    assert client.requests() == [] and client.count_requests(POST_ORDERS) == 0


def test_verify_passes_and_returns_the_count(client: MockdClient, fetch) -> None:
    client.stub_for(ORDERS)
    for _ in range(2):
        fetch(client.url + "/orders", method="POST", body=b"{}")
    assert client.verify(POST_ORDERS) == 2  # default: at least one
    assert client.verify(POST_ORDERS, count=2) == 2
    assert client.verify(POST_ORDERS, 2) == 2
    assert client.verify(POST_ORDERS, at_least=1, at_most=3) == 2
    assert client.verify({"method": "DELETE", "url": "/orders"}, count=0) == 0


def test_verify_failure_shows_requests_and_near_miss_diff(client: MockdClient, fetch) -> None:
    client.stub_for(ORDERS)
    fetch(client.url + "/order", method="POST", body=b'{"id": 1}')
    fetch(client.url + "/health")
    with pytest.raises(AssertionError) as info:
        client.verify({"method": "POST", "url": "/orders"}, count=1)
    text = str(info.value)
    assert "Expected exactly 1 request matching the pattern below, but received 0." in text
    assert '"url": "/orders"' in text
    assert "Requests received (2, oldest first):" in text
    assert "1. POST /order" in text and "(unmatched)" in text and "2. GET /health" in text
    assert "Closest requests to the pattern (near misses):" in text
    assert "URL does not match" in text  # WireMock's expected | actual table
    table = text.split("near misses):", 1)[1]
    assert "/orders" in table and "/order " in table


def test_verify_too_many(client: MockdClient, fetch) -> None:
    client.stub_for(ORDERS)
    for _ in range(3):
        fetch(client.url + "/orders", method="POST", body=b"{}")
    with pytest.raises(AssertionError, match=r"Expected at most 2 requests .* but received 3") as info:
        client.verify(POST_ORDERS, at_most=2)
    assert "near misses" not in str(info.value)  # nothing was missing
    assert "(stub " in str(info.value)


def test_verify_rejects_contradictory_counts(client: MockdClient) -> None:
    with pytest.raises(ValueError, match="not both"):
        client.verify(POST_ORDERS, count=1, at_least=1)
    with pytest.raises(ValueError, match="below"):
        client.verify(POST_ORDERS, at_least=3, at_most=2)
    with pytest.raises(ValueError, match=">= 0"):
        client.verify(POST_ORDERS, count=-1)


def test_verify_without_a_journal(tmp_path: Path) -> None:
    with (
        serve(tmp_path, request_journal=False) as server,
        pytest.raises(AssertionError, match="no request journal"),
    ):
        server.client.verify(POST_ORDERS)


@pytest.mark.parametrize(
    ("count", "at_least", "at_most", "text"),
    [
        (None, None, None, "at least 1 request"),
        (0, None, None, "exactly 0 requests"),
        (None, 2, None, "at least 2 requests"),
        (None, None, 1, "at most 1 request"),
        (None, 1, 3, "between 1 and 3 requests"),
    ],
)
def test_expectation_wording(count: int | None, at_least: int | None, at_most: int | None, text: str) -> None:
    assert Expectation.of(count, at_least, at_most).describe() == text


def test_failure_message_when_the_journal_cannot_be_read() -> None:
    text = failure_message(POST_ORDERS, Expectation(1, None), 0, "HTTP 404", "HTTP 404")
    assert "Requests received: unknown (HTTP 404)" in text and "Near misses: unknown (HTTP 404)" in text


def test_failure_message_falls_back_to_json_for_patterns_mockd_cannot_read() -> None:
    pattern = {"method": "GET", "url": "/x", "headers": {"X-A": {"aFutureOperator": "v"}}}
    miss = {"request": {"method": "GET", "url": "/y"}, "matchResult": {"distance": 0.5}}
    text = failure_message(pattern, Expectation(1, None), 0, [], [miss])
    assert "expected: " in text and "actual:   GET /y" in text
