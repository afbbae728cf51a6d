"""MockdClient: record against a tiny upstream (port 0), then play the recording back without it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support import json_upstream

from mockd.client import MockdClient, MockdClientError


@pytest.fixture
def upstream() -> Iterator[str]:
    with json_upstream(lambda handler: {"path": handler.path}) as url:
        yield url


def test_record_then_play_back(client: MockdClient, upstream: str, fetch) -> None:
    assert client.recording_status() == "NeverStarted"
    client.start_recording(upstream, persist=False, repeats_as_scenarios=False)
    assert client.recording_status() == "Recording"
    assert fetch(client.url + "/users/1") == (200, b'{"path": "/users/1"}')
    recorded = client.stop_recording()
    assert client.recording_status() == "Stopped"
    assert [s["request"]["url"] for s in recorded] == ["/users/1"]
    assert [s["id"] for s in client.stubs()] == [s["id"] for s in recorded]
    assert fetch(client.url + "/users/1") == (200, b'{"path": "/users/1"}')  # from the stub now


def test_ids_output_and_stop_when_not_recording(client: MockdClient, upstream: str, fetch) -> None:
    client.start_recording(upstream, output_format="IDS", persist=False)
    fetch(client.url + "/a")
    [only] = client.stop_recording()
    assert set(only) == {"id"} and client.get_stub(only["id"])["request"]["url"] == "/a"
    with pytest.raises(MockdClientError) as info:
        client.stop_recording()
    assert info.value.status == 400 and info.value.code == 30


def test_snapshot(client: MockdClient, upstream: str, fetch) -> None:
    client.stub_for({"request": {"urlPath": "/snap"}, "response": {"proxyBaseUrl": upstream}})
    fetch(client.url + "/snap")
    recorded = client.snapshot_recording(persist=False)
    assert [s["request"]["url"] for s in recorded] == ["/snap"]
