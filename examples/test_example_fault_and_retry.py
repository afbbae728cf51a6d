"""A fault, and the retry that copes with it: the first call gets no response at all (the connection
closes), the second succeeds. A scenario makes the stub answer differently the second time."""

import http.client
import urllib.error
import urllib.request


def get_with_retry(url, attempts=3):
    """The code under test: GET `url`, trying again when the connection breaks."""
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except (http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError):
            if attempt == attempts:
                raise
    raise AssertionError("not reached")


def test_retries_after_an_empty_response(mockd):
    flaky = {"scenarioName": "flaky price service", "request": {"method": "GET", "url": "/price"}}
    mockd.stub_for(
        {
            **flaky,
            "requiredScenarioState": "Started",
            "newScenarioState": "recovered",
            "response": {"fault": "EMPTY_RESPONSE"},
        }
    )
    mockd.stub_for({**flaky, "requiredScenarioState": "recovered", "response": {"body": "42"}})

    assert get_with_retry(mockd.url + "/price") == b"42"
    mockd.verify({"method": "GET", "url": "/price"}, count=2)


def test_gives_up_after_three_attempts(mockd):
    mockd.stub_for({"request": {"url": "/down"}, "response": {"fault": "CONNECTION_RESET_BY_PEER"}})

    try:
        get_with_retry(mockd.url + "/down")
    except (ConnectionError, urllib.error.URLError, http.client.HTTPException):
        pass
    else:
        raise AssertionError("expected the call to fail")
    mockd.verify({"url": "/down"}, count=3)
