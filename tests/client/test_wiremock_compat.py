"""The same client calls against the real WireMock 3.13 jar (opt-in: MOCKD_TEST_WIREMOCK=1; needs Java).

WireMock is installed and started with the shared anchor scripts (`../shared/anchors`, or
$MOCKD_ANCHORS_DIR) on a free port, and stopped by its PID at the end of the module.
"""

from __future__ import annotations

import os
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import json_upstream

from mockd.client import MockdClient, MockdClientError

pytestmark = [
    pytest.mark.skipif(os.environ.get("MOCKD_TEST_WIREMOCK") != "1", reason="opt-in: MOCKD_TEST_WIREMOCK=1"),
    pytest.mark.slow,
    pytest.mark.timeout(600),
]

ANCHORS = Path(
    os.environ.get("MOCKD_ANCHORS_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "anchors"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def wiremock_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    subprocess.run(["bash", str(ANCHORS / "install.sh")], check=True, timeout=600, capture_output=True)
    port = _free_port()
    root = tmp_path_factory.mktemp("wiremock-root")
    started = subprocess.run(
        ["bash", str(ANCHORS / "start-wiremock.sh"), str(port), str(root)],
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    pid = started.stdout.strip().splitlines()[-1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run(["bash", str(ANCHORS / "stop.sh"), pid], timeout=60, check=False, capture_output=True)


@pytest.fixture
def wm(wiremock_url: str) -> MockdClient:
    client = MockdClient(wiremock_url)
    client.reset()
    return client


def fetch(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(urllib.request.Request(url, data=body, method=method), timeout=10) as r:
            return int(r.status), bytes(r.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


def test_stub_for_and_verify(wm: MockdClient) -> None:
    created = wm.stub_for({"request": {"method": "GET", "url": "/hello"}, "response": {"body": "hi"}})
    assert created["id"]
    wm.stub_for("request: {method: POST, urlPath: /orders}\nresponse: {status: 201}\n")  # YAML text
    assert fetch(wm.url + "/hello") == (200, b"hi")
    assert fetch(wm.url + "/orders", "POST", b"{}")[0] == 201
    assert wm.verify({"method": "GET", "url": "/hello"}, count=1) == 1
    assert wm.verify({"method": "POST", "urlPath": "/orders"}, at_least=1, at_most=1) == 1
    assert len(wm.find_requests({"method": "GET", "url": "/hello"})) == 1


def test_verify_failure_message(wm: MockdClient) -> None:
    wm.stub_for({"request": {"method": "POST", "url": "/orders"}, "response": {"status": 201}})
    fetch(wm.url + "/order", "POST", b'{"id": 1}')
    with pytest.raises(AssertionError) as info:
        wm.verify({"method": "POST", "url": "/orders"}, count=1)
    text = str(info.value)
    assert "Expected exactly 1 request matching the pattern below, but received 0." in text
    assert "1. POST /order" in text and "(unmatched)" in text
    assert "URL does not match" in text


def test_error_envelope(wm: MockdClient) -> None:
    with pytest.raises(MockdClientError) as info:
        wm.stub_for({"request": {"method": "GET", "urlx": "/x"}, "response": {}})
    assert info.value.status == 422 and info.value.errors and info.value.code == 10


def test_journal_scenarios_settings(wm: MockdClient) -> None:
    wm.stub_for({"scenarioName": "s", "requiredScenarioState": "Started", "request": {"url": "/s"},
                 "response": {"body": "start"}})  # fmt: skip
    wm.stub_for({"scenarioName": "s", "requiredScenarioState": "B", "request": {"url": "/s"},
                 "response": {"body": "b"}})  # fmt: skip
    wm.set_scenario_state("s", "B")
    assert fetch(wm.url + "/s") == (200, b"b")
    wm.reset_scenarios()
    assert fetch(wm.url + "/s") == (200, b"start")
    fetch(wm.url + "/none")
    assert [r["url"] for r in wm.unmatched_requests()] == ["/none"]
    assert [e["request"]["url"] for e in wm.requests()] == ["/none", "/s", "/s"]
    assert wm.settings(fixed_delay=1)["fixedDelay"] == 1
    wm.settings(fixed_delay=None)
    assert "fixedDelay" not in wm.settings()


def test_save_and_load_mappings(wm: MockdClient, tmp_path: Path) -> None:
    wm.stub_for({"request": {"url": "/saved"}, "response": {"body": "s"}})
    files = wm.save_mappings(tmp_path)
    wm.reset()
    assert [s["request"]["url"] for s in wm.load_mappings(tmp_path)] == ["/saved"]
    assert len(files) == 1 and fetch(wm.url + "/saved") == (200, b"s")
    for stub in wm.stubs():
        wm.remove_stub(stub)


def test_recording(wm: MockdClient) -> None:
    with json_upstream(lambda handler: {"up": True}) as upstream:
        wm.start_recording(upstream, persist=False)
        assert wm.recording_status() == "Recording"
        assert fetch(wm.url + "/up") == (200, b'{"up": true}')
        recorded = wm.stop_recording()
    assert [s["request"]["url"] for s in recorded] == ["/up"]
    assert fetch(wm.url + "/up") == (200, b'{"up": true}')
