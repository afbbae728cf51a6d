"""jsontext (loads / dumps) and its lenient fallback parser, jsonlenient."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockd import jsonlenient
from mockd.errors import JsonSyntaxError
from mockd.jsontext import MAX_DEPTH, dumps_compact, dumps_pretty, loads, to_plain

# ---------------------------------------------------------------- lenient input


def test_line_and_block_comments_anywhere_whitespace_is() -> None:
    text = """// leading comment
    { /* before key */ "a" /* before colon */ : /* before value */ 1 // after value
      , "b": [ /* empty-ish */ 1, /* x */ 2 /* y */ ] /* end */ } // trailing
    /* final */"""
    assert loads(text) == {"a": 1, "b": [1, 2]}


def test_comment_markers_inside_strings_are_text() -> None:
    assert loads('{"u": "http://x/*y*/"} // c') == {"u": "http://x/*y*/"}


def test_single_quoted_keys_and_values() -> None:
    assert loads("{'a': 'it\\'s \"quoted\"', \"b\": 'x'}") == {"a": 'it\'s "quoted"', "b": "x"}
    assert loads('["it\\\'s"]') == ["it's"]  # \' is allowed in double quotes too, as in Jackson


def test_escapes_and_surrogate_pairs() -> None:
    assert loads(r"'\ud83d\ude00 \u00e9 \n\t\b\f\r\/\\\"'") == '\U0001f600 \u00e9 \n\t\b\f\r/\\"'
    assert loads(r"/**/ '\ud800x'") == "\ud800x"  # a lone surrogate is kept, as json.loads does


def test_decimals_keep_their_text() -> None:
    value = loads("// c\n[1.10, 0.000, -2.50, 12345678901234567890, 1e5, 2.5E-3, -0]")
    assert value == [
        Decimal("1.10"),
        Decimal("0.000"),
        Decimal("-2.50"),
        12345678901234567890,
        100000,
        Decimal("0.0025"),
        0,
    ]
    assert [type(v) for v in value] == [Decimal, Decimal, Decimal, int, Decimal, Decimal, int]
    assert dumps_compact(value) == "[1.10,0.000,-2.50,12345678901234567890,1E+5,0.0025,0]"


@pytest.mark.parametrize("text", ["1.10", "0.000", "-2.50", "12345678901234567890", "-98765432109876543210"])
@pytest.mark.parametrize("comment", ["", " // lenient path"])
def test_number_text_round_trip(text: str, comment: str) -> None:
    assert dumps_compact(loads(text + comment)) == text
    assert dumps_compact(loads(f'{{"n": {text}}}{comment}')) == f'{{"n":{text}}}'


def test_duplicate_keys_last_wins_in_first_position() -> None:
    for text in ('{"a": 1, "b": 2, "a": 3}', '{"a": 1, "b": 2, "a": 3} // c'):
        value = loads(text)
        assert value == {"a": 3, "b": 2}
        assert list(value) == ["a", "b"]


def test_scalars_at_top_level_bom_and_bytes() -> None:
    assert loads("  true ") is True
    assert loads("null // c") is None
    assert loads("'x'") == "x"
    assert loads("\ufeff{'a': 1}") == {"a": 1}
    assert loads(b'{"a": "\xc3\xa9"}') == {"a": "\u00e9"}


def test_lenient_parser_agrees_with_stdlib_on_plain_json() -> None:
    text = json.dumps({"a": [1, -2.5, 1e-7, "x\u00e9\n", None, True, False, {}, []], "b": {"c": "d"}})
    assert jsonlenient.parse(text) == json.loads(text, parse_float=Decimal)


# ---------------------------------------------------------------- errors


def _error(text: str) -> JsonSyntaxError:
    with pytest.raises(JsonSyntaxError) as info:
        loads(text)
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "column", "expected"),
    [
        ('{\n  "a": 1,\n  "b" 2\n}', 3, 7, "expected ':' after object key"),
        ('{"a": 1 "b": 2}', 1, 9, "expected ',' or '}' after object member"),
        ("[1 2]", 1, 4, "expected ',' or ']' after array element"),
        ("[1,]", 1, 4, "trailing commas are not allowed"),
        ('{"a": 1,}', 1, 9, "trailing commas are not allowed"),
        ("{a: 1}", 1, 2, "expected a quoted key"),
        ('// c\n  "abc', 2, 3, "unterminated string"),
        ("'ab\ncd'", 1, 4, "control character U+000A"),
        ('"\\x"', 1, 2, "invalid escape"),
        ('"\\u12G4"', 1, 2, "expected 4 hex digits"),
        ("[01]", 1, 2, "leading zeros"),
        ("[1.]", 1, 3, "expected a digit after '.'"),
        ("[1e]", 1, 3, "exponent"),
        ("[-x]", 1, 2, "expected a digit after '-'"),
        ("[NaN]", 1, 2, "unrecognized token 'NaN'"),
        ("[Infinity]", 1, 2, "unrecognized token 'Infinity'"),
        ("[truex]", 1, 2, "unrecognized token 'truex'"),
        ("[undefined]", 1, 2, "unrecognized token 'undefined'"),
        ('{"a": 1}\n x', 2, 2, "unexpected trailing content"),
        ("[1] /* open", 1, 5, "unterminated /* comment"),
        ("[1, / 2]", 1, 5, "comments start with // or /*"),
        ("", 1, 1, "empty"),
        ("  \n // only a comment\n", 3, 1, "empty"),
        ("[", 1, 2, "found end of input"),
        ('{"a":', 1, 6, "found end of input"),
    ],
)
def test_errors_say_where_and_what_was_expected(text: str, line: int, column: int, expected: str) -> None:
    error = _error(text)
    assert expected in error.detail
    assert (error.location.line, error.location.column) == (line, column)


def test_depth_limit_on_both_paths() -> None:
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH + " // lenient") is not None
    for suffix in ("", " // lenient"):
        error = _error("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + suffix)
        assert "nested deeper" in error.detail
        assert error.location.column == MAX_DEPTH + 1
        assert (
            "nested deeper" in _error('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1) + suffix).detail
        )


def test_very_deep_input_is_a_syntax_error_not_recursion_error() -> None:
    assert "nested deeper" in _error("[" * 100_000).detail
    assert "nested deeper" in _error('{"a":' * 50_000).detail


def test_huge_numbers_are_syntax_errors_not_value_errors() -> None:
    assert "too long" in _error("1" * 5000).detail
    assert "out of range" in _error("1e9999999999999999999999999").detail


# ---------------------------------------------------------------- writers


@pytest.mark.parametrize(
    ("value", "pretty"),
    [
        ({"a": 1, "b": [True, None]}, '{\n  "a" : 1,\n  "b" : [ true, null ]\n}'),
        ({}, "{ }"),
        ([], "[ ]"),
        ({"a": {}, "b": []}, '{\n  "a" : { },\n  "b" : [ ]\n}'),
        ([{"x": 1}, 2], '[ {\n  "x" : 1\n}, 2 ]'),
        (
            {"a": [{"x": 1, "y": {}}], "e": []},
            '{\n  "a" : [ {\n    "x" : 1,\n    "y" : { }\n  } ],\n  "e" : [ ]\n}',
        ),
        (
            {"a": {"b": {"c": [1, [2, {"d": 3}]]}}},
            '{\n  "a" : {\n    "b" : {\n      "c" : [ 1, [ 2, {\n        "d" : 3\n      } ] ]\n    }\n  }\n}',
        ),
        ([[{"a": {"b": 1}}, {}]], '[ [ {\n  "a" : {\n    "b" : 1\n  }\n}, { } ] ]'),
        ("top", '"top"'),
    ],
)
def test_pretty_printer_matches_jackson_default_pretty_printer(value: Any, pretty: str) -> None:
    assert dumps_pretty(value) == pretty
    assert loads(pretty) == value


def test_compact_has_no_whitespace() -> None:
    assert dumps_compact({"a": [1, {"b": None}], "c": "d e"}) == '{"a":[1,{"b":null}],"c":"d e"}'


def test_strings_non_ascii_as_is_control_characters_escaped() -> None:
    text = dumps_compact({"k\u00e9": '\u00e9\u4e2d\U0001f600 \x00\x1f\x7f\n\t\b\f\r"\\/ \u2028 \ud800'})
    assert (
        text
        == '{"k\u00e9":"\u00e9\u4e2d\U0001f600 \\u0000\\u001F\x7f\\n\\t\\b\\f\\r\\"\\\\/ \u2028 \\uD800"}'
    )
    assert loads(text) == {"k\u00e9": '\u00e9\u4e2d\U0001f600 \x00\x1f\x7f\n\t\b\f\r"\\/ \u2028 \ud800'}
    text.encode("utf-8")  # a lone surrogate does not make the text unencodable


def test_numbers_written_as_jackson_writes_them() -> None:
    values = [Decimal("-0.0"), Decimal("1E+5"), Decimal("1E-7"), 1.5, 100.0, 1e16, 1e-5, 0.001, 1234567.0]
    assert dumps_compact(values) == "[0.0,1E+5,1E-7,1.5,100.0,1.0E16,1.0E-5,0.001,1234567.0]"
    assert (
        dumps_compact([12345678.0, -0.0, float("nan"), float("inf")]) == '[1.2345678E7,-0.0,"NaN","Infinity"]'
    )


def test_non_string_keys() -> None:
    assert dumps_compact({1: "a", None: "c"}) == '{"1":"a","null":"c"}'
    assert dumps_compact({False: "b"}) == '{"false":"b"}'


def test_to_plain() -> None:
    value = to_plain({"a": [Decimal("1.10"), Decimal("1E+2"), 7, Decimal("1E+99999")], "b": (Decimal("2"),)})
    assert value == {"a": [1.1, 100, 7, float("inf")], "b": [2]}
    assert [type(v) for v in value["a"]] == [float, int, int, float]


# ---------------------------------------------------------------- properties

_keys = st.text(max_size=8)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**18, max_value=10**40)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    # no high surrogate here: one escaped next to a low one would read back as one code point
    | st.text(alphabet="\x00\x1f\"\\'/\n\u00e9\u2028\udc00*", max_size=8)
)
_json_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=25,
)
_json_ish = st.text(alphabet="{}[]:,\"'\\/*\n\r\t ueE+-.0123456789truefalsnNI\x00\u00e9", max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), _json_ish))
def test_loads_returns_or_raises_json_syntax_error(text: str) -> None:
    try:
        loads(text)
    except JsonSyntaxError as error:
        assert error.location.line is not None and error.location.line >= 1
        assert error.location.column is not None and error.location.column >= 1


@settings(max_examples=150, deadline=None)
@given(_json_values, st.data())
def test_garbled_json_returns_or_raises_json_syntax_error(value: Any, data: st.DataObject) -> None:
    text = dumps_pretty(value)
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    insert = data.draw(_json_ish)
    with contextlib.suppress(JsonSyntaxError):
        jsonlenient.parse(text[:at] + insert + text[at:])


@settings(max_examples=200, deadline=None)
@given(_json_values)
def test_dumps_then_loads_round_trips(value: Any) -> None:
    assert loads(dumps_compact(value)) == value
    assert loads(dumps_pretty(value)) == value
    assert jsonlenient.parse(dumps_compact(value)) == value
    # pretty output has newlines only between tokens: comments there go through the lenient parser
    assert loads(dumps_pretty(value).replace("\n", " /* c */\n// line\n")) == value
