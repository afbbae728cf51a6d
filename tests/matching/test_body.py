"""Content operators: equalToJson, matchesJsonPath, matchesJsonSchema, equalToXml, matchesXPath,
binaryEqualTo. Expectations marked "oracle" were checked against WireMock 3.13.2; the conformance
cases of ../shared/conformance/cases/body are translated at the end of each section."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.errors import InvalidInput
from mockd.matching.jsonpath import JsonPathError, PathNotFound, compile_jsonpath
from mockd.matching.operators import parse_pattern, parse_string_pattern
from mockd.matching.result import MatchResult


def result(pattern: dict[str, Any], body: str | None) -> MatchResult:
    data = body.encode("utf-8") if body is not None else b""
    return parse_pattern(pattern, "/p").match_body(data, body)


def m(pattern: dict[str, Any], body: str | None) -> bool:
    return result(pattern, body).exact


def invalid(pattern: Any, pointer: str = "/p") -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        parse_pattern(pattern, "/p")
    assert info.value.pointer == pointer, info.value
    return info.value


# -- equalToJson -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "body", "outcome"),
    [
        ({"a": 100}, '{"a":1e2}', True),
        ({"a": 100}, '{"a":100.00}', True),
        ({"a": 100}, '{"a":"100"}', False),
        ({"a": True}, '{"a":1}', False),  # true is not 1
        ({"a": 1}, '{"a":true}', False),
        ({"a": None}, '{"a":null}', True),
        ({"a": None}, "{}", False),  # null is not absent
        (5, "5", True),
        (5, " 5.0 ", True),
        (5, '"5"', False),
        (None, "null", True),
        ('"abc"', '"abc"', True),  # a string operand is JSON text
        ({"a": {"b": [1, {"c": "d"}]}}, '{"a":{"b":[1,{"c":"d"}]}}', True),
        ({"a": {"b": [1, {"c": "d"}]}}, '{"a":{"b":[1,{"c":"e"}]}}', False),
        ({}, "{}", True),
        ({}, "[]", False),
        ([], "[]", True),
        ({"a": 1}, "{'a': 1}", True),  # lenient, like Jackson with ALLOW_SINGLE_QUOTES
        ({"a": 1}, '// comment\n{"a": 1}', True),
        ({"big": 123456789012345678901234567890}, '{"big":123456789012345678901234567890.0}', True),
    ],
)
def test_equal_to_json_values(expected: Any, body: str, outcome: bool) -> None:
    assert m({"equalToJson": expected}, body) is outcome


def test_equal_to_json_not_json_and_empty_body_do_not_match() -> None:
    for body in ["not json", "", None, "{", "<a/>"]:
        r = result({"equalToJson": {"a": 1}}, body)
        assert not r.exact and r.distance == 1.0


@pytest.mark.parametrize(
    ("options", "body", "outcome"),
    [
        ({"ignoreArrayOrder": True}, '{"a":[3,1,2]}', False),  # expected [1,3]
        ({"ignoreExtraElements": True}, '{"a":[1,3,2]}', True),  # oracle: extra items after
        ({"ignoreExtraElements": True}, '{"a":[1,2,3]}', False),  # oracle: positions still count
        ({"ignoreExtraElements": True}, '{"a":[3,1]}', False),
        ({"ignoreExtraElements": True, "ignoreArrayOrder": True}, '{"a":[3,2,1]}', True),
        ({"ignoreExtraElements": True, "ignoreArrayOrder": True}, '{"a":[3]}', False),
        ({"ignoreExtraElements": True}, '{"a":[1,3],"b":{"x":1}}', True),
        ({}, '{"a":[1,3],"b":1}', False),
    ],
)
def test_equal_to_json_options(options: dict[str, Any], body: str, outcome: bool) -> None:
    assert m({"equalToJson": {"a": [1, 3]}, **options}, body) is outcome


def test_ignore_array_order_is_a_multiset_comparison_and_recursive() -> None:
    p = {"equalToJson": [1, 1, 2], "ignoreArrayOrder": True}
    assert m(p, "[1,2,1]")
    assert not m(p, "[1,2,2]")
    nested = {"equalToJson": {"a": [{"x": [1, 2]}, {"y": 1}]}, "ignoreArrayOrder": True}
    assert m(nested, '{"a":[{"y":1},{"x":[2,1]}]}')
    assert not m({"equalToJson": {"a": [{"x": [1, 2]}]}}, '{"a":[{"x":[2,1]}]}')


def test_ignore_array_order_with_placeholders_uses_a_real_matching() -> None:
    # greedy pairing would give the any-string to "a" and then fail on the regex
    p = {"equalToJson": ["${json-unit.any-string}", "${json-unit.regex}a"], "ignoreArrayOrder": True}
    assert m(p, '["a","b"]')
    assert not m(p, '["b","c"]')
    objects = {"equalToJson": [{"id": 1}, {"id": "${json-unit.any-number}"}], "ignoreArrayOrder": True}
    assert m(objects, '[{"id": 7}, {"id": 1}]')


def test_large_unordered_arrays_are_fast() -> None:
    values = list(range(3000))
    body = "[" + ",".join(str(v) for v in reversed(values)) + "]"
    assert m({"equalToJson": values, "ignoreArrayOrder": True}, body)
    assert m({"equalToJson": values[:100], "ignoreArrayOrder": True, "ignoreExtraElements": True}, body)


@pytest.mark.parametrize(
    ("placeholder", "body", "outcome"),
    [
        ("${json-unit.ignore}", '{"v":{"any":[1]}}', True),
        ("${json-unit.ignore}", '{"v":null}', True),
        ("${json-unit.ignore}", "{}", False),  # oracle: the field must be there
        ("#{json-unit.ignore}", '{"v":1}', True),
        ("${json-unit.any-string}", '{"v":""}', True),
        ("${json-unit.any-string}", '{"v":1}', False),
        ("${json-unit.any-string}", '{"v":null}', False),
        ("${json-unit.any-number}", '{"v":-1.5e3}', True),
        ("${json-unit.any-number}", '{"v":"12"}', False),
        ("${json-unit.any-number}", '{"v":true}', False),
        ("${json-unit.any-boolean}", '{"v":false}', True),
        ("${json-unit.any-boolean}", '{"v":"no"}', False),
        ("${json-unit.regex}[a-z]+", '{"v":"abc"}', True),
        ("${json-unit.regex}[a-z]+", '{"v":"abc1"}', False),  # whole string
        ("${json-unit.regex}[0-9]+", '{"v":123}', False),  # strings only
        ("${json-unit.regex}[0-9]+", '{"v":"123"}', True),
        ("${json-unit.matches:foo}x", '{"v":"x"}', False),  # WireMock registers no matchers
    ],
)
def test_json_unit_placeholders(placeholder: str, body: str, outcome: bool) -> None:
    assert m({"equalToJson": {"v": placeholder}}, body) is outcome


def test_ignore_element_placeholder_in_arrays() -> None:
    p = {"equalToJson": [1, "${json-unit.ignore-element}", 3]}
    assert m(p, '[1,"x",3]')
    assert m(p, '[1,{"a":1},3]')
    assert not m(p, "[1,3]")


def test_equal_to_json_distance_is_graded() -> None:
    p = {"equalToJson": {"a": 1, "b": 2, "c": 3, "d": 4}}
    one_off = result(p, '{"a":1,"b":2,"c":3,"d":5}').distance
    two_off = result(p, '{"a":1,"b":2,"c":9,"d":5}').distance
    unrelated = result(p, "[1]").distance
    assert 0 < one_off < two_off < unrelated <= 1


def test_equal_to_json_to_json_keeps_the_input_form() -> None:
    as_string = parse_pattern({"equalToJson": '{"a": 1}', "ignoreArrayOrder": False}, "")
    assert as_string.to_json() == {"equalToJson": '{"a": 1}', "ignoreArrayOrder": False}
    as_json = parse_pattern({"equalToJson": {"a": [1]}, "ignoreExtraElements": True}, "")
    assert as_json.to_json() == {"equalToJson": {"a": [1]}, "ignoreExtraElements": True}
    assert as_json.expected == '{\n  "a" : [ 1 ]\n}'


def test_equal_to_json_works_on_headers_too() -> None:
    assert parse_string_pattern({"equalToJson": {"a": 1}}, "").match('{"a": 1}').exact


def test_equal_to_json_invalid_operands() -> None:
    assert "not valid JSON" in invalid({"equalToJson": "{nope"}).detail
    invalid({"equalToJson": {"a": 1}, "ignoreArrayOrder": "yes"}, "/p/ignoreArrayOrder")
    invalid({"equalToJson": {"a": 1}, "ignoreExtraElements": 1}, "/p/ignoreExtraElements")
    invalid({"equalToJson": {"a": "${json-unit.regex}(unclosed"}})


# conformance cases/body/body-equal-to-json-*.yaml
CONFORMANCE_JSON = [
    (
        {"equalToJson": {"name": "Ann", "age": 30, "tags": ["a", "b"]}},
        [
            ('{ "tags": ["a","b"],\n  "age": 30, "name": "Ann" }', True),
            ('{"name":"Ann","age":31,"tags":["a","b"]}', False),
            ('{"name":"Ann","age":30,"tags":["b","a"]}', False),
            ('{"name":"Ann","age":30,"tags":["a","b"],"x":1}', False),
            ("not json", False),
        ],
    ),
    (
        {"equalToJson": {"ids": [1, 2, 3]}, "ignoreArrayOrder": True},
        [('{"ids":[3,1,2]}', True), ('{"ids":[3,1]}', False), ('{"ids":[3,1,2,4]}', False)],
    ),
    (
        {"equalToJson": {"user": {"name": "Bo"}, "roles": ["admin"]}, "ignoreExtraElements": True},
        [
            ('{"user":{"name":"Bo","age":4},"roles":["admin","dev"],"x":true}', True),
            ('{"user":{"name":"Bob"},"roles":["admin"]}', False),
            ('{"user":{"name":"Bo"}}', False),
        ],
    ),
    (
        {
            "equalToJson": {
                "id": "${json-unit.any-number}",
                "name": "${json-unit.any-string}",
                "active": "${json-unit.any-boolean}",
                "meta": "${json-unit.ignore}",
                "code": "${json-unit.regex}[A-Z]{3}-[0-9]+",
            }
        },
        [
            ('{"id":12.5,"name":"zed","active":false,"meta":{"any":[1]},"code":"ABC-9"}', True),
            ('{"id":"12","name":"zed","active":false,"meta":1,"code":"ABC-9"}', False),
            ('{"id":1,"name":"zed","active":false,"meta":1,"code":"abc-9"}', False),
            ('{"id":1,"name":"zed","active":"no","meta":1,"code":"ABC-9"}', False),
        ],
    ),
    (
        {"equalToJson": '{"total": 1, "ok": true, "none": null}'},
        [
            ('{"ok":true,"total":1.0,"none":null}', True),
            ('{"ok":"true","total":1,"none":null}', False),
            ('{"ok":true,"total":1}', False),
        ],
    ),
    ({"equalToJson": {"event": "signup", "user": {"id": 9}}}, [('{"event":"signup","user":{"id":9}}', True)]),
]


@pytest.mark.parametrize(("pattern", "cases"), CONFORMANCE_JSON)
def test_conformance_equal_to_json(pattern: dict[str, Any], cases: list[tuple[str, bool]]) -> None:
    for body, outcome in cases:
        assert m(pattern, body) is outcome, body


# -- JSONPath engine ---------------------------------------------------------------------------------

DOC = {
    "store": {
        "book": [
            {"title": "A", "price": 8.95, "tags": ["x", "y"], "isbn": "1"},
            {"title": "B", "price": 12.99, "tags": []},
            {"title": "C", "price": 22, "isbn": None},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "limit": 10,
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$.store.bicycle.color", "red"),
        ("store.bicycle.color", "red"),  # Jayway prepends $.
        ("$['store']['bicycle']['color']", "red"),
        ("$.store.book[0].title", "A"),
        ("$.store.book[-1].title", "C"),
        ("$.store.book[*].title", ["A", "B", "C"]),
        ("$.store.book[0,2].title", ["A", "C"]),
        ("$.store.book[:2].title", ["A", "B"]),
        ("$.store.book[1:].title", ["B", "C"]),
        ("$..color", ["red"]),
        ("$.store.bicycle.*", ["red", 19.95]),
        ("$.store.book[?(@.price < 10)].title", ["A"]),
        ("$.store.book[?(@.price > $.limit)].title", ["B", "C"]),
        ("$.store.book[?(@.price > 10 && @.price < 20)].title", ["B"]),
        ("$.store.book[?(@.price < 9 || @.price > 20)].title", ["A", "C"]),
        ("$.store.book[?(!(@.price < 9))].title", ["B", "C"]),
        ("$.store.book[?(@.isbn)].title", ["A", "C"]),  # exists, even when null
        ("$.store.book[?(!@.isbn)].title", ["B"]),
        ("$.store.book[?(@.title == 'B')].price", [12.99]),
        ("$.store.book[?(@.title != 'B')].title", ["A", "C"]),
        ("$.store.book[?(@.title =~ /[ab]/i)].title", ["A", "B"]),
        ("$.store.book[?(@.title in ['A','C'])].title", ["A", "C"]),
        ("$.store.book[?(@.title nin ['A','C'])].title", ["B"]),
        ("$.store.book[?(@.tags size 2)].title", ["A"]),
        ("$.store.book[?(@.tags empty true)].title", ["B"]),
        ("$.store.book[?(@.tags subsetof ['x','y','z'])].title", ["A", "B"]),
        ("$.store.book[?(@.tags anyof ['y'])].title", ["A"]),
        ("$.store.book[?(@.tags noneof ['y'])].title", ["B"]),
        ("$.store.book[?(@.tags contains 'x')].title", ["A"]),
        ("$.store.book[?(@.price == '22')].title", ["C"]),  # number equals a string holding it
        ("$.store.book[?(@.price === '22')].title", []),
        ("$.store.book[?(@.tags.length() > 1)].title", ["A"]),
        ("$.store.bicycle[?(@.color == 'red')].price", [19.95]),  # filter on an object tests it
        ("$..book[?(@.price > 20)].title", ["C"]),
        ("$..[?(@.color)].price", [19.95]),
        ("$.store.book.length()", 3),
        ("$.store.book[*].price.min()", 8.95),
        ("$.store.book[*].price.max()", 22.0),
        ("$.store.book[*].title.first()", "A"),
        ("$.store.book[*].title.last()", "C"),
        ("$.store.book[*].title.index(1)", "B"),
        ("$['store']['bicycle']['color','price']", {"color": "red", "price": 19.95}),
        ("$", DOC),
    ],
)
def test_jsonpath_engine(expression: str, expected: Any) -> None:
    assert compile_jsonpath(expression).read(DOC) == expected


@pytest.mark.parametrize(
    "expression", ["$.nope", "$.store.nope.x", "$.store.book.title", "$.store.book[9]", "$.limit.length()"]
)
def test_jsonpath_definite_paths_raise_when_missing(expression: str) -> None:
    with pytest.raises(PathNotFound):
        compile_jsonpath(expression).read(DOC)


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "$.",
        "$..",
        "$.a[",
        "$.a.first().b",
        "$.a[?(@.b",
        "$.a[?(@.b ==)]",
        "$.a.nope()",
        "$$",
        "$.a[?(@.b =~ /(/)]",
        "$[x]",
    ],
)
def test_jsonpath_syntax_errors(expression: str) -> None:
    with pytest.raises(JsonPathError):
        compile_jsonpath(expression)


# -- matchesJsonPath ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ('{"a":0}', True),
        ('{"a":false}', True),
        ('{"a":""}', True),
        ('{"a":null}', False),  # oracle
        ('{"a":[]}', False),
        ('{"a":{}}', False),
        ('{"a":[1]}', True),
        ('{"b":1}', False),
        ("[]", False),
        ("not json", False),
        ("<a>1</a>", False),
        (None, False),
    ],
)
def test_matches_json_path_simple(body: str | None, outcome: bool) -> None:
    assert m({"matchesJsonPath": "$.a"}, body) is outcome


def test_matches_json_path_simple_filters() -> None:
    assert m({"matchesJsonPath": "$[?(@.a == 1)]"}, '{"a":1}')  # the common "body has a == 1" idiom
    assert not m({"matchesJsonPath": "$[?(@.a == 1)]"}, '{"a":2}')
    assert m({"matchesJsonPath": "$.items[?(@.price < 10)]"}, '{"items":{"price":5}}')  # oracle
    assert not m({"matchesJsonPath": "$.a[?(@.b != 'x')]"}, '{"a":[{"b":"x"}]}')
    assert m({"matchesJsonPath": "$.a[?(@.b != 'x')]"}, '{"a":[{"c":1}]}')  # oracle: undefined != x
    assert m({"matchesJsonPath": "$.keys()"}, '{"a":1}')


@pytest.mark.parametrize(
    ("expression", "sub", "body", "outcome"),
    [
        ("$.a", {"equalTo": "1.1"}, '{"a":1.10}', True),  # json-smart doubles
        ("$.a", {"equalTo": "100.0"}, '{"a":1e2}', True),
        ("$.a", {"equalTo": "1.0E10"}, '{"a":1e10}', True),
        ("$.a", {"equalTo": "123456789012345678901234567890"}, '{"a":123456789012345678901234567890}', True),
        ("$.a", {"equalTo": "{x=1, y=[1,2]}"}, '{"a":[{"x":1,"y":[1,2]}]}', True),  # Java map toString
        ("$.a", {"equalTo": '["p","q"]'}, '{"a":[["p","q"]]}', True),  # JSONArray toString
        ("$.a", {"equalTo": '{\n  "x" : 1\n}'}, '{"a":{"x":1}}', True),  # a map: pretty JSON
        (
            "$.a",
            {"equalTo": '{\n  "x" : [ 1, 2 ],\n  "y" : {\n    "z" : 1.5\n  }\n}'},
            '{"a":{"x":[1,2],"y":{"z":1.50}}}',
            True,
        ),
        ("$.a", {"equalToJson": "[1,2]"}, '{"a":[1,2]}', True),  # a list under equalToJson: JSON
        ("$.a", {"equalTo": "2"}, '{"a":[1,2]}', True),  # a list: any item
        ("$.a", {"equalTo": "3"}, '{"a":[1,2]}', False),
        ("$.a", {"absent": True}, '{"a":null}', True),
        ("$.a", {"absent": True}, '{"a":[]}', True),
        ("$.a", {"absent": True}, "not json", True),  # oracle
        ("$.a", {"absent": True}, "<a/>", False),  # XML is never JSON-path matched
        ("$.a", {"absent": True}, '{"a":1}', False),
        ("$.a", {"equalTo": "x"}, '{"a":null}', False),
        ("$.a.length()", {"equalTo": "2"}, '{"a":[5,6]}', True),
        ("$.a.min()", {"equalTo": "1.0"}, '{"a":[3,1,2]}', True),
        ("$.a.sum()", {"equalTo": "6.0"}, '{"a":[3,1,2]}', True),
        ("$.a", {"matches": "[0-9]+"}, '{"a":42}', True),
        ("$.a", {"not": {"equalTo": "x"}}, '{"a":"y"}', True),
        ("$.when", {"after": "2020-02-02T00:00:00Z"}, '{"when":"2021-01-01T00:00:00Z"}', True),
    ],
)
def test_matches_json_path_advanced(expression: str, sub: dict[str, Any], body: str, outcome: bool) -> None:
    assert m({"matchesJsonPath": {"expression": expression, **sub}}, body) is outcome


def test_matches_json_path_distance_is_the_best_candidate() -> None:
    r = result({"matchesJsonPath": {"expression": "$.a[*]", "equalTo": "abcd"}}, '{"a":["zzzz","abcx"]}')
    assert not r.exact and 0 < r.distance < 0.5


def test_matches_json_path_on_headers_and_to_json() -> None:
    simple = parse_string_pattern({"matchesJsonPath": "$.a"}, "")
    assert simple.match('{"a":1}').exact and not simple.match("x").exact
    assert simple.to_json() == {"matchesJsonPath": "$.a"}
    advanced = parse_pattern(
        {"matchesJsonPath": {"expression": "$.a", "equalTo": "1", "caseInsensitive": True}}, ""
    )
    assert advanced.to_json() == {
        "matchesJsonPath": {"expression": "$.a", "equalTo": "1", "caseInsensitive": True}
    }


def test_matches_json_path_invalid_operands() -> None:
    invalid({"matchesJsonPath": "$.a[?(@.x"})
    invalid({"matchesJsonPath": 5})
    invalid({"matchesJsonPath": {"expression": "$.a"}}, "/p/matchesJsonPath")  # no sub-pattern
    invalid({"matchesJsonPath": {"equalTo": "x"}}, "/p/matchesJsonPath/expression")
    invalid({"matchesJsonPath": {"expression": "$.[", "equalTo": "x"}}, "/p/matchesJsonPath/expression")
    invalid({"matchesJsonPath": {"expression": "$.a", "matches": "("}}, "/p/matchesJsonPath")
    invalid({"matchesJsonPath": {"expression": "$.a", "binaryEqualTo": "AA=="}}, "/p/matchesJsonPath")


CONFORMANCE_JSON_PATH = [
    ({"matchesJsonPath": {"expression": "$.error", "absent": True}}, [('{"result":1}', True), ('{"error":"boom"}', False)]),
    (
        {"matchesJsonPath": {"expression": "$.users[*].role", "equalTo": "owner"}},
        [('{"users":[{"role":"viewer"},{"role":"owner"}]}', True), ('{"users":[{"role":"viewer"}]}', False)],
    ),
    (
        {"matchesJsonPath": {"expression": "$.address", "equalToJson": {"city": "Oslo", "zip": "0150"}}},
        [('{"name":"x","address":{"zip":"0150","city":"Oslo"}}', True), ('{"address":{"zip":"0151","city":"Oslo"}}', False)],
    ),
    (
        {"matchesJsonPath": {"expression": "$.order.status", "equalTo": "PAID"}},
        [('{"order":{"status":"PAID"}}', True), ('{"order":{"status":"NEW"}}', False), ('{"order":{}}', False)],
    ),
    ({"matchesJsonPath": {"expression": "$.email", "matches": "[^@]+@corp\\.example"}}, [('{"email":"kim@corp.example"}', True), ('{"email":"kim@home.example"}', False)]),
    ({"matchesJsonPath": {"expression": "$.title", "contains": "Engineer"}}, [('{"title":"Senior Engineer"}', True)]),
    ({"matchesJsonPath": {"expression": "$.team", "doesNotMatch": "sales.*"}}, [('{"team":"infra"}', True), ('{"team":"sales-eu"}', False)]),
    ({"matchesJsonPath": {"expression": "$.count", "equalTo": "3"}}, [('{"count":3,"flag":true}', True), ('{"count":4}', False)]),
    ({"matchesJsonPath": {"expression": "$.flag", "equalTo": "true"}}, [('{"count":3,"flag":true}', True), ('{"flag":false}', False)]),
    ({"matchesJsonPath": "$.items[?(@.price > 10)]"}, [('{"items":[{"price":5},{"price":12}]}', True), ('{"items":[{"price":5},{"price":10}]}', False)]),
    (
        {"matchesJsonPath": "$.user.name"},
        [('{"user":{"name":"x"}}', True), ('{"user":{"nick":"x"}}', False), ("[]", False), ("<user><name>x</name></user>", False)],
    ),
    ({"matchesJsonPath": {"expression": "$.type", "equalTo": "order"}}, [('{"type":"order"}', True)]),
    ({"matchesJsonPath": {"expression": "$.temporary", "equalTo": "true"}}, [('{"temporary":true}', True)]),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "cases"), CONFORMANCE_JSON_PATH)
def test_conformance_matches_json_path(pattern: dict[str, Any], cases: list[tuple[str, bool]]) -> None:
    for body, outcome in cases:
        assert m(pattern, body) is outcome, body


# -- matchesJsonSchema -------------------------------------------------------------------------------

SCHEMA = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string", "minLength": 2}},
}


def test_conformance_matches_json_schema() -> None:
    p = {"matchesJsonSchema": SCHEMA}
    assert m(p, '{"id":5,"name":"Al","extra":true}')
    assert not m(p, '{"id":"5","name":"Al"}')
    assert not m(p, '{"id":5}')
    assert not m(p, '{"id":5,"name":"A"}')
    assert 0 < result(p, '{"id":5,"name":"A"}').distance <= 1


@pytest.mark.parametrize(
    ("schema", "body", "outcome"),
    [
        ({"type": "string"}, "abc", True),  # not JSON: validated as a string
        ({"type": "string"}, '"abc"', True),
        ({"type": "string"}, "123", True),  # oracle: a scalar is retried as a string
        ({"type": "integer"}, "123", True),
        ({"type": "integer"}, '"123"', False),
        ({"type": "integer"}, "12.0", True),
        ({}, "x", True),
        ({}, None, False),
        ('{"type":"object","required":["a"]}', '{"a":1}', True),
        ('{"type":"object","required":["a"]}', "{}", False),
        ({"type": "number", "multipleOf": 0.5}, "1.5", True),
        ({"$ref": "http://example.invalid/schema.json"}, "{}", False),  # never fetched
    ],
)
def test_matches_json_schema(schema: Any, body: str | None, outcome: bool) -> None:
    assert m({"matchesJsonSchema": schema}, body) is outcome


def test_matches_json_schema_versions() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "integer", "minimum": 5, "exclusiveMinimum": True}},
    }
    v4 = {"matchesJsonSchema": schema, "schemaVersion": "V4"}
    assert not m(v4, '{"a":5}') and m(v4, '{"a":6}')
    for version in ("V6", "V7", "V201909", "V202012"):
        assert m({"matchesJsonSchema": {"type": "object"}, "schemaVersion": version}, "{}")
    p = parse_pattern({"matchesJsonSchema": {"type": "object"}}, "")
    assert p.to_json() == {"matchesJsonSchema": '{\n  "type" : "object"\n}', "schemaVersion": "V202012"}
    p = parse_pattern({"matchesJsonSchema": '{"type": "object"}', "schemaVersion": "V7"}, "")
    assert p.to_json() == {"matchesJsonSchema": '{"type": "object"}', "schemaVersion": "V7"}


def test_matches_json_schema_invalid_operands() -> None:
    invalid({"matchesJsonSchema": "{nope"})
    invalid({"matchesJsonSchema": {"type": "nope"}})
    invalid({"matchesJsonSchema": 5})
    invalid({"matchesJsonSchema": {}, "schemaVersion": "V3"}, "/p/schemaVersion")
    invalid({"matchesJsonSchema": {}, "schemaVersion": 4}, "/p/schemaVersion")


# -- equalToXml --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "body", "outcome"),
    [
        ("<a><b>1</b><c>2</c></a>", "<a><c>2</c><b>1</b></a>", True),  # oracle: siblings sorted by name
        ("<a><b>1</b><b>2</b></a>", "<a><b>2</b><b>1</b></a>", False),  # same name: order counts
        ("<a><b>1</b><c>2</c></a>", "<a><b>1</b><d>2</d></a>", False),
        ("<a>1</a>", '<a xmlns="urn:x">1</a>', True),  # oracle: no namespace expected, none compared
        ('<a xmlns="urn:x">1</a>', "<a>1</a>", False),
        ('<p:a xmlns:p="urn:x">1</p:a>', '<q:a xmlns:q="urn:x">1</q:a>', True),  # prefixes ignored
        ('<p:a xmlns:p="urn:x">1</p:a>', '<a xmlns="urn:x">1</a>', True),
        ('<p:a xmlns:p="urn:x">1</p:a>', '<a xmlns="urn:y">1</a>', False),
        ('<a x="1"/>', '<a x="1" y="2"/>', False),
        ('<a x="1"/>', '<a x="2"/>', False),
        ('<a p:x="1" xmlns:p="urn:p"/>', '<a q:x="1" xmlns:q="urn:p"/>', True),
        ("<a>x</a>", "<a>  x  </a>", True),
        ("<a>x</a>", "<a>x<!-- c --></a>", True),
        ("<a>x y</a>", "<a>x  y</a>", False),
        ("<a><b/></a>", "<a><b/><c/></a>", False),
        ("<a/>", "<a></a>", True),
        ("<a/>", "<a>t</a>", False),
        ('<?xml version="1.0"?><a>1</a>', "<a>1</a>", True),
        ("<a>1</a>", "", False),
        ("<a>1</a>", "nope", False),
        ("<a>1</a>", "<a>1</a><b/>", False),
        ("<a>1</a>", "<!DOCTYPE a [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><a>&e;</a>", False),  # never read
    ],
)
def test_equal_to_xml(expected: str, body: str, outcome: bool) -> None:
    assert m({"equalToXml": expected}, body) is outcome


def test_equal_to_xml_options() -> None:
    assert m(
        {"equalToXml": "<a><b>1</b><b>2</b></a>", "ignoreOrderOfSameNode": True}, "<a><b>2</b><b>1</b></a>"
    )
    exempt = {"equalToXml": '<a x="1"/>', "exemptedComparisons": ["ELEMENT_NUM_ATTRIBUTES"]}
    assert m(exempt, '<a x="1" y="2"/>') and not m(exempt, '<a y="2"/>')
    assert m(
        {"equalToXml": "<a><b/></a>", "exemptedComparisons": ["CHILD_NODELIST_LENGTH"]}, "<a><b/><c/></a>"
    )
    assert m({"equalToXml": "<a>1</a>", "exemptedComparisons": ["TEXT_VALUE"]}, "<a>2</a>")
    assert m({"equalToXml": '<a xmlns="urn:x"/>', "exemptedComparisons": ["NAMESPACE_URI"]}, "<a/>")


def test_equal_to_xml_namespace_awareness() -> None:
    none = {"equalToXml": "<p:a><b>1</b></p:a>", "namespaceAwareness": "NONE"}
    assert m(none, "<p:a><b>1</b></p:a>")
    assert not m(none, "<q:a><b>1</b></q:a>")  # the name as written
    assert not m({"equalToXml": '<a xmlns="urn:x"/>', "namespaceAwareness": "NONE"}, '<a xmlns="urn:y"/>')
    legacy = {"equalToXml": "<th:thing>x</th:thing>", "namespaceAwareness": "LEGACY"}
    assert m(legacy, "<st:thing>x</st:thing>")
    assert m(
        {"equalToXml": "<a><b>1</b><c>2</c></a>", "namespaceAwareness": "LEGACY"}, "<a><c>2</c><b>1</b></a>"
    )
    assert not m({"equalToXml": '<a th:x="1"/>', "namespaceAwareness": "LEGACY"}, '<a st:x="1"/>')
    strict = {"equalToXml": '<a xmlns:p="urn:p"><p:b>1</p:b></a>'}
    assert not m(strict, "<a><p:b>1</p:b></a>")  # unbound prefix: not XML for STRICT


@pytest.mark.parametrize(
    ("expected", "body", "outcome"),
    [
        ('<a x="${xmlunit.ignore}">1</a>', '<a x="zzz">1</a>', True),
        ('<a x="${xmlunit.ignore}">1</a>', "<a>1</a>", True),
        ("<a><b>${xmlunit.ignore}</b></a>", "<a><b/></a>", True),
        ("<a>${xmlunit.isNumber}</a>", "<a>12.5</a>", True),
        ("<a>${xmlunit.isNumber}</a>", "<a>x</a>", False),
        ("<a>${xmlunit.matchesRegex(^[a-z]+$)}</a>", "<a>abc</a>", True),
        ("<a>${xmlunit.matchesRegex(^[a-z]+$)}</a>", "<a>ab1</a>", False),
        ("<a>${xmlunit.isDateTime}</a>", "<a>2020-01-02</a>", True),
        ("<a>${xmlunit.isDateTime}</a>", "<a>nope</a>", False),
        ("<a>${xmlunit.isDateTime(dd/MM/yyyy)}</a>", "<a>31/12/1999</a>", True),
        ("<a>pre ${xmlunit.ignore}</a>", "<a>pre x</a>", False),  # must be the whole text
        ("<a>${xmlunit.unknown}</a>", "<a>x</a>", False),
    ],
)
def test_equal_to_xml_placeholders(expected: str, body: str, outcome: bool) -> None:
    assert m({"equalToXml": expected, "enablePlaceholders": True}, body) is outcome


def test_equal_to_xml_placeholder_delimiters_and_switch() -> None:
    assert not m({"equalToXml": "<a>${xmlunit.ignore}</a>"}, "<a>x</a>")
    custom = {
        "equalToXml": "<a>[[xmlunit.ignore]]</a>",
        "enablePlaceholders": True,
        "placeholderOpeningDelimiterRegex": "\\[\\[",
        "placeholderClosingDelimiterRegex": "]]",
    }
    assert m(custom, "<a>x</a>")
    assert parse_pattern(custom, "").to_json() == custom


def test_equal_to_xml_distance_and_to_json() -> None:
    p = {"equalToXml": "<a><b>1</b><c>2</c><d>3</d></a>"}
    assert 0 < result(p, "<a><b>1</b><c>2</c><d>4</d></a>").distance < result(p, "<x/>").distance
    full = {
        "equalToXml": "<a/>",
        "exemptedComparisons": ["ATTR_VALUE"],
        "ignoreOrderOfSameNode": False,
        "namespaceAwareness": "NONE",
    }
    assert parse_pattern(full, "").to_json() == full
    assert parse_pattern({"equalToXml": "<a><b>1</b></a>"}, "").expected == "<a>\n  <b>1</b>\n</a>"


def test_equal_to_xml_invalid_operands() -> None:
    invalid({"equalToXml": "<a>"})
    invalid({"equalToXml": "<p:a>1</p:a>"})  # oracle: unbound prefix in STRICT is a 422
    invalid({"equalToXml": 5})
    invalid({"equalToXml": "<a/>", "exemptedComparisons": ["NOPE"]}, "/p/exemptedComparisons/0")
    invalid({"equalToXml": "<a/>", "exemptedComparisons": "TEXT_VALUE"}, "/p/exemptedComparisons")
    invalid({"equalToXml": "<a/>", "namespaceAwareness": "FOO"}, "/p/namespaceAwareness")
    invalid({"equalToXml": "<a/>", "enablePlaceholders": "true"}, "/p/enablePlaceholders")
    invalid(
        {"equalToXml": "<a/>", "placeholderOpeningDelimiterRegex": "("}, "/p/placeholderOpeningDelimiterRegex"
    )
    parse_pattern({"equalToXml": "<p:a>1</p:a>", "namespaceAwareness": "NONE"}, "")  # fine unaware


def test_conformance_equal_to_xml() -> None:
    p = {"equalToXml": '<order id="7" currency="EUR"><item sku="A">2</item></order>'}
    assert m(p, '<order currency="EUR" id="7">\n  <item sku="A">2</item>\n</order>')
    assert not m(p, '<order id="7" currency="EUR"><item sku="A">3</item></order>')
    assert not m(p, '<order id="7"><item sku="A">2</item></order>')
    ph = {"equalToXml": "<msg><id>${xmlunit.ignore}</id><text>hi</text></msg>", "enablePlaceholders": True}
    assert m(ph, "<msg><id>8f3a</id><text>hi</text></msg>")
    assert not m(ph, "<msg><id>8f3a</id><text>bye</text></msg>")


# -- matchesXPath ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "body", "outcome"),
    [
        ("/order/item[@sku='A']", '<order><item sku="B"/><item sku="A"/></order>', True),
        ("/order/item[@sku='A']", '<order><item sku="B"/></order>', False),
        ("//a", "not xml", False),
        ("//a", "a<a/>", False),
        ("//a", "<a>", False),
        ("//a", "  <r><a/></r>", True),
        ("//n", '<?xml version="1.0" encoding="ISO-8859-1"?><r><n>é</n></r>', True),
        ("count(//a) > 5", "<r><a/></r>", True),  # oracle: any non-node-set result matches
        ("string(//missing)", "<r/>", True),
        ("/a/b", '<a xmlns="urn:x"><b/></a>', True),  # oracle: namespace-unaware by default
        ("/a/b", '<p:a xmlns:p="urn:x"><p:b/></p:a>', True),
        ("/a", "<p:a>1</p:a>", True),
        ("//p:b", '<p:a xmlns:p="urn:x"><p:b/></p:a>', False),  # prefix without xPathNamespaces
        ("//b[@y='2']", '<a xmlns:p="urn:p"><p:b p:y="2"/></a>', False),
        ("//comment()", "<a><!-- c --></a>", True),
    ],
)
def test_matches_xpath_simple(expression: str, body: str, outcome: bool) -> None:
    assert m({"matchesXPath": expression}, body) is outcome


@pytest.mark.parametrize(
    ("expression", "sub", "body", "outcome"),
    [
        ("//todo", {"equalTo": "<todo>cook</todo>\n"}, "<todos><todo>cook</todo></todos>", True),
        ("//a", {"equalTo": "<a>\n  <b>1</b>\n</a>\n"}, "<r><a><b>1</b></a></r>", True),
        (
            "//a",
            {"equalTo": "<a>\n  <b>\n    <c>1</c>\n  </b>\n</a>\n"},
            "<r><a><b><c>1</c></b></a></r>",
            True,
        ),
        ("//e", {"equalTo": "<e/>\n"}, "<r><e></e></r>", True),
        ("//e", {"equalTo": '<e a="1" b="x"/>\n'}, '<r><e a="1" b="x"/></r>', True),
        (
            "//e",
            {"equalTo": "<e>\n  hi \n  <b>x</b>\n   there\n</e>\n"},
            "<r><e>hi <b>x</b> there</e></r>",
            True,
        ),
        ("//a", {"equalToXml": "<a><b>1</b></a>"}, "<r><a>\n  <b>1</b></a></r>", True),
        ("//e/@a", {"equalTo": "1"}, '<r><e a="1"/></r>', True),
        ("//t/text()", {"equalTo": "2"}, "<r><t>1</t><t>2</t></r>", True),  # every node is tried
        ("count(//a)", {"equalTo": "2"}, "<r><a/><a/></r>", True),
        ("sum(//n)", {"equalTo": "1,234.5"}, "<r><n>1234.5</n></r>", True),  # Java NumberFormat
        ("sum(//n) div 3", {"equalTo": "0.333"}, "<r><n>1</n></r>", True),
        ("count(//n) > 0", {"equalTo": "true"}, "<r><n>1</n></r>", True),
        ("//zz", {"absent": True}, "<a/>", False),  # oracle: an empty node set never matches
        ("//n", {"matches": "[0-9]+"}, "<r><n>12</n></r>", False),  # an element renders as XML
        ("//n/text()", {"matches": "[0-9]+"}, "<r><n>12</n></r>", True),
    ],
)
def test_matches_xpath_advanced(expression: str, sub: dict[str, Any], body: str, outcome: bool) -> None:
    assert m({"matchesXPath": {"expression": expression, **sub}}, body) is outcome


def test_matches_xpath_namespaces() -> None:
    p = {
        "matchesXPath": "/s:Envelope/s:Body/m:GetPrice/m:Item[text()='Apple']",
        "xPathNamespaces": {"s": "http://schemas.xmlsoap.org/soap/envelope/", "m": "urn:shop"},
    }
    envelope = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<p:GetPrice xmlns:p="{ns}"><p:Item>Apple</p:Item></p:GetPrice></soap:Body></soap:Envelope>'
    )
    assert m(p, envelope.replace("{ns}", "urn:shop"))
    assert not m(p, envelope.replace("{ns}", "urn:other"))
    rendered = {
        "matchesXPath": {"expression": "//p:b", "equalTo": '<p:b xmlns:p="urn:x">1</p:b>\n'},
        "xPathNamespaces": {"p": "urn:x"},
    }
    assert m(rendered, '<p:a xmlns:p="urn:x"><p:b>1</p:b></p:a>')
    assert parse_pattern(rendered, "").to_json() == rendered


def test_conformance_xpath() -> None:
    adv = {"matchesXPath": {"expression": "//todo/text()", "contains": "wash"}}
    assert m(adv, "<todos><todo>cook</todo><todo>wash dishes</todo></todos>")
    assert not m(adv, "<todos><todo>cook</todo></todos>")


def test_matches_xpath_on_headers_and_invalid_operands() -> None:
    assert parse_string_pattern({"matchesXPath": "//a"}, "").match("<a/>").exact
    invalid({"matchesXPath": "//a["})
    invalid({"matchesXPath": 5})
    invalid({"matchesXPath": "//a", "xPathNamespaces": ["x"]}, "/p/xPathNamespaces")
    invalid({"matchesXPath": "//a", "xPathNamespaces": {"p": 1}}, "/p/xPathNamespaces/p")
    invalid({"matchesXPath": {"expression": "//a"}}, "/p/matchesXPath")
    invalid({"matchesXPath": {"equalTo": "x"}}, "/p/matchesXPath/expression")
    invalid({"matchesXPath": {"expression": "//a[", "equalTo": "x"}}, "/p/matchesXPath/expression")


# -- binaryEqualTo -----------------------------------------------------------------------------------


def test_conformance_binary_equal_to() -> None:
    p = parse_pattern({"binaryEqualTo": "AAECA//+Cg0="}, "/p")
    assert p.match_body(base64.b64decode("AAECA//+Cg0="), None).exact
    assert not p.match_body(base64.b64decode("AAECA//+Cg4="), None).exact
    assert p.to_json() == {"binaryEqualTo": "AAECA//+Cg0="}


def test_binary_equal_to_details() -> None:
    empty = parse_pattern({"binaryEqualTo": ""}, "")
    assert empty.match_body(b"", None).exact and empty.match_body(None, None).exact  # oracle
    assert not empty.match_body(b"a", "a").exact
    unpadded = parse_pattern({"binaryEqualTo": "YWJj"}, "")
    assert unpadded.match("abc").exact  # match(str) compares the UTF-8 bytes
    assert parse_pattern({"binaryEqualTo": "YQ"}, "").match_body(b"a", "a").exact  # padding optional
    invalid({"binaryEqualTo": "!!!"})
    invalid({"binaryEqualTo": "YWJ j"})
    invalid({"binaryEqualTo": "Y"})
    invalid({"binaryEqualTo": 5})
    with pytest.raises(InvalidInput):
        parse_string_pattern({"binaryEqualTo": "YWJj"}, "/h")  # body only


# -- robustness --------------------------------------------------------------------------------------

ROBUST_PATTERNS: list[dict[str, Any]] = [
    {"equalToJson": {"a": [1, {"b": "${json-unit.any-string}"}]}, "ignoreArrayOrder": True},
    {"equalToJson": [1, 2, "${json-unit.regex}a+"], "ignoreExtraElements": True},
    {"matchesJsonPath": "$..a[?(@.b > 1 || @.c =~ /x.*/i)]"},
    {"matchesJsonPath": {"expression": "$..*", "equalTo": "x"}},
    {"matchesJsonPath": {"expression": "$.a.sum()", "absent": True}},
    {"matchesJsonSchema": SCHEMA},
    {"equalToXml": "<a><b>${xmlunit.matchesRegex(x+)}</b></a>", "enablePlaceholders": True},
    {"equalToXml": "<p:a><b/></p:a>", "namespaceAwareness": "NONE"},
    {"matchesXPath": {"expression": "//*", "contains": "x"}},
    {"matchesXPath": "//p:a", "xPathNamespaces": {"p": "urn:p"}},
    {"binaryEqualTo": "AAEC"},
]
COMPILED = [parse_pattern(p, "") for p in ROBUST_PATTERNS]

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_no_body_bytes_make_a_content_matcher_raise(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace") if data else None
    for pattern in COMPILED:
        r = pattern.match_body(data, text)
        assert 0 <= r.distance <= 1


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["{", "[", "<", '{"a":', "<a>", "<?xml", "<!DOCTYPE", "]]>", "&", "1e99999"]),
    st.text(max_size=60),
)
def test_near_json_and_xml_texts_never_raise(prefix: str, rest: str) -> None:
    for pattern in COMPILED:
        r = pattern.match(prefix + rest)
        assert 0 <= r.distance <= 1


@settings(max_examples=100, deadline=None)
@given(JSONISH)
def test_equal_to_json_matches_its_own_document(value: Any) -> None:
    from mockd.jsontext import dumps_compact

    text = dumps_compact(value)
    assert parse_pattern({"equalToJson": text}, "").match(text).exact
    assert parse_pattern({"equalToJson": text, "ignoreArrayOrder": True}, "").match(text).exact


@pytest.mark.parametrize(
    "body",
    [
        "[" * 5000 + "]" * 5000,
        '{"a":' * 3000 + "1" + "}" * 3000,
        "<a>" * 3000 + "</a>" * 3000,
        '{"n": 1' + "0" * 5000 + "}",
        '{"n": 1e999999999}',
        '<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]><a>&y;</a>',
    ],
)
def test_hostile_bodies_are_no_match_not_errors(body: str) -> None:
    for pattern in COMPILED:
        r = pattern.match_body(body.encode(), body)
        assert 0 <= r.distance <= 1
