"""The real `wiremock` PyPI client (python-wiremock 2.7.0) drives mockd: every call succeeds and
returns what WireMock would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from wiremock.client import (
    GlobalSetting,
    GlobalSettings,
    HttpMethods,
    Mapping,
    MappingRequest,
    MappingResponse,
    Mappings,
    NearMisses,
    NearMissMatchPatternRequest,
    NearMissMatchRequest,
    Requests,
    Scenarios,
)
from wiremock.constants import Config
from wiremock.exceptions import NotFoundException

from mockd.embedded import EmbeddedServer


@pytest.fixture
def client(server: EmbeddedServer) -> Iterator[EmbeddedServer]:
    previous = Config.base_url
    Config.base_url = server.url + "/__admin"
    try:
        yield server
    finally:
        Config.base_url = previous


def _mapping(url: str, body: str, **extra: object) -> Mapping:
    return Mapping(
        request=MappingRequest(method=HttpMethods.GET, url=url),
        response=MappingResponse(status=200, body=body),
        **extra,
    )


def test_mappings_crud(client: EmbeddedServer, http: httpx.Client) -> None:
    created = Mappings.create_mapping(_mapping("/c/1", "one", priority=3, metadata={"team": "x"}))
    assert created.id
    assert created.request.url == "/c/1"
    assert created.response.body == "one"
    assert created.priority == 3
    assert http.get("/c/1").text == "one"

    everything = Mappings.retrieve_all_mappings()
    assert everything.meta.total == 1
    assert [m.id for m in everything.mappings] == [created.id]

    fetched = Mappings.retrieve_mapping(created.id)
    assert fetched.id == created.id and fetched.metadata == {"team": "x"}

    fetched.response = MappingResponse(status=200, body="changed")
    updated = Mappings.update_mapping(fetched)
    assert updated.id == created.id and updated.response.body == "changed"
    assert http.get("/c/1").text == "changed"

    deleted = Mappings.delete_mapping(created.id)
    assert deleted.status_code == 200
    assert Mappings.retrieve_all_mappings().meta.total == 0
    with pytest.raises(NotFoundException):
        Mappings.retrieve_mapping(created.id)


def test_mappings_paging_parameters(client: EmbeddedServer) -> None:
    for i in range(3):
        Mappings.create_mapping(_mapping(f"/page/{i}", str(i)))
    page = Mappings.retrieve_all_mappings(parameters={"limit": 1, "offset": 1})
    assert page.meta.total == 3
    assert [m.request.url for m in page.mappings] == ["/page/1"]


def test_delete_by_metadata_persist_reset_delete_all(
    client: EmbeddedServer, http: httpx.Client, root: Path
) -> None:
    Mappings.create_mapping(_mapping("/m/tmp", "t", metadata={"temporary": True}))
    kept = Mappings.create_mapping(_mapping("/m/kept", "k", metadata={"temporary": False}))
    r = Mappings.delete_mapping_by_metadata(
        {"matchesJsonPath": {"expression": "$.temporary", "equalTo": "true"}}
    )
    assert r.status_code == 200
    assert [m.id for m in Mappings.retrieve_all_mappings().mappings] == [kept.id]

    assert Mappings.persist_mappings().status_code == 200
    assert len(list((root / "mappings").glob("*.json"))) == 1

    Mappings.create_mapping(_mapping("/m/memory-only", "x"))
    assert Mappings.reset_mappings().status_code == 200  # reload from disk: the saved stub only
    assert [m.id for m in Mappings.retrieve_all_mappings().mappings] == [kept.id]

    assert Mappings.delete_all_mappings().status_code == 200
    assert Mappings.retrieve_all_mappings().meta.total == 0
    assert http.get("/m/kept").status_code == 404


def test_requests_resource(client: EmbeddedServer, http: httpx.Client) -> None:
    Mappings.create_mapping(_mapping("/r/hit", "hit"))
    http.get("/r/hit")
    http.get("/r/hit")
    http.get("/r/miss")

    all_requests = Requests.get_all_received_requests()
    assert all_requests.meta.total == 3
    assert all_requests.request_journal_disabled is False
    newest = all_requests.requests[0]
    assert newest.request.url == "/r/miss"
    assert newest.response_definition.status == 404
    assert newest.response_definition.from_configured_stub is False
    assert all_requests.requests[1].response_definition.status == 200

    limited = Requests.get_all_received_requests(limit=1)
    assert len(limited.requests) == 1 and limited.meta.total == 3

    one = Requests.get_request(all_requests.requests[1].id)
    assert one.request.url == "/r/hit"
    assert one.request.method == "GET"

    count = Requests.get_matching_request_count(NearMissMatchPatternRequest(url="/r/hit", method="GET"))
    assert count.count == 2

    found = Requests.get_matching_requests(NearMissMatchPatternRequest(url="/r/hit", method="GET"))
    assert [r.url for r in found.requests] == ["/r/hit", "/r/hit"]

    unmatched = Requests.get_unmatched_requests()
    assert [r.url for r in unmatched.requests] == ["/r/miss"]

    near = Requests.get_unmatched_requests_near_misses()
    assert len(near.near_misses) == 1
    assert near.near_misses[0].request.url == "/r/miss"
    assert 0 < near.near_misses[0].match_result.distance < 1

    assert Requests.reset_request_journal().status_code == 200  # the 2.x route the client still calls
    assert Requests.get_all_received_requests().meta.total == 0


def test_since_parameter(client: EmbeddedServer, http: httpx.Client) -> None:
    Mappings.create_mapping(_mapping("/s", "s"))
    http.get("/s")
    assert len(Requests.get_all_received_requests(since="2000-01-01T00:00:00Z").requests) == 1
    assert Requests.get_all_received_requests(since="2999-01-01T00:00:00Z").requests == []


def test_near_misses_resource(client: EmbeddedServer, http: httpx.Client) -> None:
    Mappings.create_mapping(_mapping("/nm/customers", "c"))
    by_request = NearMisses.find_nearest_misses_by_request(
        NearMissMatchRequest(url="/nm/customer", method="GET", headers={"Accept": "text/plain"})
    )
    assert len(by_request.near_misses) == 1
    assert by_request.near_misses[0].request.url == "/nm/customer"
    assert by_request.near_misses[0].match_result.distance > 0

    http.get("/nm/customers")
    http.get("/elsewhere")
    by_pattern = NearMisses.find_nearest_misses_by_request_pattern(
        NearMissMatchPatternRequest(url="/nm/customer", method="GET")
    )
    assert [n.request.url for n in by_pattern.near_misses] == ["/nm/customers", "/elsewhere"]
    assert by_pattern.near_misses[0].request_pattern.url == "/nm/customer"


def test_scenarios_and_settings(client: EmbeddedServer, http: httpx.Client) -> None:
    Mappings.create_mapping(
        Mapping(
            scenario_name="flow",
            required_scenario_state="Started",
            new_scenario_state="Done",
            request=MappingRequest(method=HttpMethods.GET, url="/flow"),
            response=MappingResponse(status=200, body="first"),
        )
    )
    assert http.get("/flow").text == "first"
    assert http.get("/flow").status_code == 404
    assert Scenarios.reset_all_scenarios().status_code == 200
    assert http.get("/flow").text == "first"

    answer = GlobalSettings.update_global_settings(GlobalSetting(fixed_delay=3))
    assert answer.fixed_delay == 3
    assert http.get("/__admin/settings").json()["settings"]["fixedDelay"] == 3
