"""Every simple string operator, with the tricky cases (null vs absent, whole-string regex, DOTALL)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockd.errors import InvalidInput
from mockd.matching.operators import parse_pattern, parse_string_pattern


def m(pattern: dict[str, Any], value: str | None) -> bool:
    return parse_pattern(pattern, "/p").match(value).exact


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ({"equalTo": "abc"}, "abc", True),
        ({"equalTo": "abc"}, "ABC", False),
        ({"equalTo": "abc", "caseInsensitive": True}, "ABC", True),
        ({"equalTo": "abc"}, None, False),
        ({"equalTo": ""}, "", True),
        ({"contains": "b"}, "abc", True),
        ({"contains": "x"}, "abc", False),
        ({"contains": "x"}, None, False),
        ({"doesNotContain": "x"}, "abc", True),
        ({"doesNotContain": "b"}, "abc", False),
        ({"doesNotContain": "b"}, None, True),
        ({"matches": "a.c"}, "abc", True),
        ({"matches": "b"}, "abc", False),  # whole-string, not search
        ({"matches": "a.c"}, "a\nc", True),  # DOTALL
        ({"matches": ".*"}, None, False),  # null never matches
        ({"doesNotMatch": "a.*"}, "abc", False),
        ({"doesNotMatch": "x.*"}, "abc", True),
        ({"doesNotMatch": "x.*"}, None, True),
        ({"absent": True}, None, True),
        ({"absent": True}, "", False),
        ({"absent": False}, "x", True),
        ({"absent": False}, None, False),
        ({"anything": "anything"}, None, True),
        ({"anything": "anything"}, "x", True),
        ({"not": {"equalTo": "a"}}, "b", True),
        ({"not": {"equalTo": "a"}}, "a", False),
        ({"and": [{"contains": "a"}, {"contains": "b"}]}, "ab", True),
        ({"and": [{"contains": "a"}, {"contains": "b"}]}, "a", False),
        ({"or": [{"equalTo": "a"}, {"equalTo": "b"}]}, "b", True),
        ({"or": [{"equalTo": "a"}, {"equalTo": "b"}]}, "c", False),
        ({"matches": "\\p{Alpha}+"}, "abc", True),  # Java POSIX class
        ({"matches": "(?<word>[a-z]+)"}, "abc", True),  # Java named group
    ],
)
def test_operator(pattern: dict[str, Any], value: str | None, expected: bool) -> None:
    assert m(pattern, value) is expected


def test_equal_to_distance_is_graded() -> None:
    p = parse_pattern({"equalTo": "abcdef"}, "")
    near = p.match("abcdeX").distance
    far = p.match("zzzzzz").distance
    assert 0 < near < far <= 1


def test_or_takes_the_best_distance() -> None:
    p = parse_pattern({"or": [{"equalTo": "zzzz"}, {"equalTo": "abcd"}]}, "")
    assert p.match("abcX").distance == parse_pattern({"equalTo": "abcd"}, "").match("abcX").distance


def test_first_recognised_key_is_the_operator() -> None:
    p = parse_pattern({"caseInsensitive": True, "equalTo": "A"}, "")
    assert p.operator == "equalTo" and p.match("a").exact


@pytest.mark.parametrize(
    ("doc", "pointer", "text"),
    [
        ({"matching": "x"}, "/p", "is not a valid match operation"),
        ("equalTo", "/p", "is not a valid match operation"),
        ({"equalTo": 5}, "/p", "must be a string"),
        ({"matches": "(unclosed"}, "/p", "regex"),
        ({"and": [{"equalTo": "a"}]}, "/p/and", "at least 2"),
        ({"not": {"bogus": 1}}, "/p/not", "is not a valid match operation"),
        ({"or": [{"equalTo": "a"}, {"equalTo": 1}]}, "/p/or/1", "must be a string"),
        ({"equalTo": "a", "caseInsensitive": "yes"}, "/p/caseInsensitive", "true or false"),
    ],
)
def test_invalid_patterns_are_located(doc: Any, pointer: str, text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_pattern(doc, "/p")
    assert info.value.pointer == pointer
    assert text in str(info.value)


def test_binary_operator_refused_outside_bodies() -> None:
    with pytest.raises(InvalidInput, match="only be used in bodyPatterns"):
        parse_string_pattern({"binaryEqualTo": "AAEC"}, "/request/headers/X")


def test_round_trip_to_json() -> None:
    for doc in (
        {"equalTo": "a"},
        {"equalTo": "a", "caseInsensitive": True},
        {"matches": "x+"},
        {"absent": True},
        {"not": {"contains": "q"}},
        {"or": [{"equalTo": "a"}, {"matches": "b.*"}]},
    ):
        assert parse_pattern(doc, "").to_json() == doc


SIMPLE = st.sampled_from(["equalTo", "contains", "doesNotContain", "matches", "doesNotMatch"])


@settings(max_examples=150, deadline=None)
@given(op=SIMPLE, operand=st.text(max_size=20), value=st.one_of(st.none(), st.text(max_size=50)))
def test_no_value_makes_an_operator_raise(op: str, operand: str, value: str | None) -> None:
    try:
        pattern = parse_pattern({op: operand}, "")
    except InvalidInput:
        return  # e.g. an operand that is not a valid regex: refused with a location, fine
    result = pattern.match(value)
    assert 0.0 <= result.distance <= 1.0
    assert result.exact == (result.distance == 0.0) or result.exact
