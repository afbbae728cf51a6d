"""MockdClient: scenarios and global settings."""

from __future__ import annotations

import pytest

from mockd.client import MockdClient, MockdClientError

TODO = "To do list"


def _scenario(client: MockdClient) -> None:
    client.stub_for({"scenarioName": TODO, "requiredScenarioState": "Started",
                     "request": {"url": "/todo"}, "response": {"body": "empty"}})  # fmt: skip
    client.stub_for({"scenarioName": TODO, "requiredScenarioState": "Added",
                     "request": {"url": "/todo"}, "response": {"body": "one item"}})  # fmt: skip


def test_set_and_reset_scenario_state(client: MockdClient, fetch) -> None:
    _scenario(client)
    client.set_scenario_state(TODO, "Added")
    assert fetch(client.url + "/todo") == (200, b"one item")
    [scenario] = client.scenarios()
    assert scenario["name"] == TODO and scenario["state"] == "Added"
    client.reset_scenarios()
    assert fetch(client.url + "/todo") == (200, b"empty")


def test_an_unknown_state_is_an_error(client: MockdClient) -> None:
    _scenario(client)
    with pytest.raises(MockdClientError) as info:
        client.set_scenario_state(TODO, "Nope")
    assert info.value.status >= 400


def test_settings_get_merge_and_replace(client: MockdClient) -> None:
    assert "fixedDelay" not in client.settings()
    assert client.settings(fixed_delay=5)["fixedDelay"] == 5
    assert client.settings({"extended": {"team": "a"}}) == client.settings()
    current = client.settings()
    assert current["fixedDelay"] == 5 and current["extended"] == {"team": "a"}
    client.settings(fixed_delay=None)  # None removes a key
    assert "fixedDelay" not in client.settings()
    client.replace_settings({})
    assert client.settings().get("extended") in (None, {})
