"""The codec: strict like WireMock, every error located with a JSON pointer; lossless round trips."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd import jsontext
from mockd.errors import InvalidInput, MockdError
from mockd.stubs.codec import settings_from_json, stub_from_json, stub_to_json, stubs_from_document


@pytest.mark.parametrize(
    ("doc", "pointer"),
    [
        ({"request": {"urlx": "/a"}}, "/request/urlx"),
        ({"response": {"bodyy": "x"}}, "/response/bodyy"),
        ({"priorty": 1}, "/priorty"),
        ({"request": {"headers": {"X-A": {"matching": "x"}}}}, "/request/headers/X-A"),
        ({"request": {"bodyPatterns": [{"equalTo": "a"}, {"nope": 1}]}}, "/request/bodyPatterns/1"),
        ({"request": {"url": 5}}, "/request/url"),
        ({"request": {"urlPattern": "(("}}, "/request/urlPattern"),
        ({"request": {"port": "x"}}, "/request/port"),
        ({"request": {"scheme": "ftp"}}, "/request/scheme"),
        ({"response": {"status": 99999}}, "/response/status"),
        ({"response": {"status": 42}}, "/response/status"),
        ({"response": {"status": "abc"}}, "/response/status"),
        ({"response": {"fault": "EXPLODE"}}, "/response/fault"),
        ({"response": {"fixedDelayMilliseconds": -1}}, "/response/fixedDelayMilliseconds"),
        ({"response": {"delayDistribution": {"type": "weird"}}}, "/response/delayDistribution/type"),
        (
            {"response": {"delayDistribution": {"type": "uniform", "lower": 9, "upper": 1}}},
            "/response/delayDistribution/upper",
        ),
        ({"response": {"headers": {"Bad Name": "x"}}}, "/response/headers/Bad Name"),
        ({"response": {"headers": {"X": "a\r\nInjected: 1"}}}, "/response/headers/X"),
        ({"response": {"body": {"a": 1}}}, "/response/body"),
        ({"id": "not-a-uuid"}, "/id"),
        ({"request": "GET /"}, "/request"),
        ({"request": {"headers": {"a~b/c": {"nope": 1}}}}, "/request/headers/a~0b~1c"),
    ],
)
def test_errors_name_the_place(doc: dict[str, Any], pointer: str) -> None:
    with pytest.raises(InvalidInput) as info:
        stub_from_json(doc)
    assert info.value.pointer == pointer, str(info.value)


def test_unknown_field_message_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidInput) as info:
        stub_from_json({"request": {"urlx": "/a"}})
    assert 'Unrecognized field "urlx"' in str(info.value) and "urlPath" in str(info.value)


def test_id_and_uuid_are_aliases_and_empty_means_new() -> None:
    sid = "7c1e0000-0000-4000-8000-0000000000a9"
    assert stub_from_json({"uuid": sid}).id == sid
    assert stub_from_json({"id": sid}).id == sid
    generated = stub_from_json({"id": ""}).id
    assert len(generated) == 36 and generated != stub_from_json({"id": None}).id
    out = stub_to_json(stub_from_json({"id": sid}))
    assert out["id"] == out["uuid"] == sid
    assert stub_from_json({"$schema": "x"}).id


def test_basic_auth_input_forms_emit_basic_auth_credentials() -> None:
    out = stub_to_json(stub_from_json({"request": {"basicAuth": {"username": "u", "password": "p"}}}))
    assert out["request"]["basicAuthCredentials"] == {"username": "u", "password": "p"}


def test_only_the_url_field_in_use_is_emitted() -> None:
    out = stub_to_json(stub_from_json({"request": {"url": "/a", "urlPath": "/b"}}))
    assert out["request"] == {"url": "/a", "method": "ANY"}


def test_decimals_keep_their_text() -> None:
    doc = jsontext.loads(
        '{"response": {"jsonBody": {"price": 1.10, "n": 0.000, "big": 12345678901234567890}}}'
    )
    stub = stub_from_json(doc)
    assert (
        jsontext.dumps_compact(stub.response.json_body)
        == '{"price":1.10,"n":0.000,"big":12345678901234567890}'
    )
    assert stub.response.json_body["price"] == Decimal("1.10")


def test_status_zero_means_200_and_strings_are_coerced() -> None:
    assert stub_from_json({"response": {"status": 0}}).response.status == 200
    assert stub_from_json({"response": {"status": "201"}}).response.status == 201


def test_collections() -> None:
    stubs, multi = stubs_from_document({"mappings": [{"request": {"url": "/a"}}, {}], "meta": {"total": 2}})
    assert multi and len(stubs) == 2
    with pytest.raises(InvalidInput) as info:
        stubs_from_document({"mappings": [{}, {"request": {"nope": 1}}]})
    assert info.value.pointer == "/mappings/1/request/nope"


def test_settings_bare_or_wrapped() -> None:
    assert settings_from_json({"fixedDelay": 5}).fixed_delay_ms == 5
    assert settings_from_json({"settings": {"fixedDelay": 7}}).fixed_delay_ms == 7
    assert settings_from_json({}).fixed_delay_ms is None
    with pytest.raises(InvalidInput):
        settings_from_json({"fixedDelayy": 1})


FULL = {
    "id": "7c1e0000-0000-4000-8000-000000000001",
    "name": "everything",
    "request": {
        "urlPathTemplate": "/c/{id}",
        "method": "POST",
        "pathParameters": {"id": {"matches": "[0-9]+"}},
        "headers": {"X": {"hasExactly": [{"equalTo": "1"}]}},
        "queryParameters": {"q": {"includes": [{"contains": "a"}]}},
        "formParameters": {"f": {"absent": True}},
        "cookies": {"c": {"not": {"equalTo": "x"}}},
        "basicAuthCredentials": {"username": "u", "password": "p"},
        "bodyPatterns": [{"contains": "x"}],
        "multipartPatterns": [{"matchingType": "ALL", "headers": {"Content-Disposition": {"contains": "a"}}}],
        "host": {"equalTo": "h"},
        "port": 8080,
        "scheme": "http",
        "clientIp": {"equalTo": "1.2.3.4"},
    },
    "response": {
        "status": 201,
        "statusMessage": "Made",
        "headers": {"A": ["1", "2"], "B": "3"},
        "body": "b",
        "fixedDelayMilliseconds": 5,
        "delayDistribution": {"type": "lognormal", "median": 80, "sigma": 0.4, "maxValue": 200},
        "chunkedDribbleDelay": {"numberOfChunks": 2, "totalDuration": 10},
        "transformers": ["response-template"],
        "transformerParameters": {"k": "v"},
    },
    "uuid": "7c1e0000-0000-4000-8000-000000000001",
    "persistent": True,
    "priority": 1,
    "scenarioName": "s",
    "requiredScenarioState": "Started",
    "newScenarioState": "Two",
    "metadata": {"tags": ["a"]},
}


def test_full_round_trip() -> None:
    assert stub_to_json(stub_from_json(FULL)) == FULL


KEYS = ["id", "name", "request", "response", "priority", "persistent", "scenarioName", "metadata", "bogus",
        "url", "urlPath", "urlPattern", "method", "headers", "queryParameters", "bodyPatterns", "cookies",
        "status", "body", "jsonBody", "base64Body", "fixedDelayMilliseconds", "fault", "equalTo", "matches",
        "contains", "absent", "and", "or", "not", "hasExactly", "delayDistribution", "type", "port"]  # fmt: skip
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 700), st.text(max_size=8),
              st.sampled_from(["GET", "/a", "(", "uniform", "EMPTY_RESPONSE", "x.*"])),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.sampled_from(KEYS), children, max_size=4)),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=5))
def test_any_document_loads_or_is_refused_with_a_location(doc: dict[str, Any]) -> None:
    try:
        stub = stub_from_json(doc)
    except MockdError as exc:
        assert exc.pointer is not None and exc.pointer.startswith("/"), exc
        assert exc.detail
        return
    again = stub_from_json(stub_to_json(stub))
    assert stub_to_json(again) == stub_to_json(stub)
