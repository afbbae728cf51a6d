"""A scenario: the same request answers differently once the state has moved on (WireMock's to-do list)."""

import json
import urllib.request

TODO = "To do list"


def get_items(base_url):
    with urllib.request.urlopen(base_url + "/todo/items", timeout=5) as response:
        return json.load(response)["items"]


def add_item(base_url, text):
    request = urllib.request.Request(base_url + "/todo/items", data=text.encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def test_todo_list(mockd):
    mockd.stub_for(
        {
            "scenarioName": TODO,
            "requiredScenarioState": "Started",
            "request": {"method": "GET", "url": "/todo/items"},
            "response": {"jsonBody": {"items": ["Buy milk"]}},
        }
    )
    mockd.stub_for(
        {
            "scenarioName": TODO,
            "requiredScenarioState": "Started",
            "newScenarioState": "Cancel newspaper item added",
            "request": {"method": "POST", "url": "/todo/items", "bodyPatterns": [{"contains": "newspaper"}]},
            "response": {"status": 201},
        }
    )
    mockd.stub_for(
        {
            "scenarioName": TODO,
            "requiredScenarioState": "Cancel newspaper item added",
            "request": {"method": "GET", "url": "/todo/items"},
            "response": {"jsonBody": {"items": ["Buy milk", "Cancel newspaper subscription"]}},
        }
    )

    assert get_items(mockd.url) == ["Buy milk"]
    assert add_item(mockd.url, "Cancel newspaper subscription") == 201
    assert get_items(mockd.url) == ["Buy milk", "Cancel newspaper subscription"]

    mockd.reset_scenarios()  # back to "Started" (the fixture also does this before every test)
    assert get_items(mockd.url) == ["Buy milk"]
    mockd.set_scenario_state(TODO, "Cancel newspaper item added")
    assert len(get_items(mockd.url)) == 2
