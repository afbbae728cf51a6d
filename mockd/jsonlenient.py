"""The lenient JSON parser behind `jsontext.loads`, for text the stdlib parser refuses.

It accepts what WireMock's Jackson accepts with ALLOW_COMMENTS and ALLOW_SINGLE_QUOTES: `//` and
`/* */` comments wherever whitespace may stand, single-quoted strings (keys and values, `\\'` escapes),
integers as `int`, numbers with a fraction or exponent as `Decimal` built from their text (`1.10` stays
`1.10`). Duplicate keys: the last wins. A leading byte-order mark is skipped.

It is iterative (an explicit stack, no recursion), nests at most `MAX_DEPTH` containers, and raises
only `JsonSyntaxError` with a 1-based line and column and what was expected there.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, NoReturn

from mockd.errors import JsonSyntaxError, Location

MAX_DEPTH = 200

__all__ = ["parse"]

# Whitespace and comments, possessive so that a failure never backtracks.
_SKIP = re.compile(r"(?:[ \t\n\r]++|//[^\n\r]*+|/\*(?:[^*]++|\*(?!/))*+\*/)*+").match
_SIMPLE_STRING = {
    '"': re.compile(r'"([^"\\\x00-\x1f]*+)"').match,
    "'": re.compile(r"'([^'\\\x00-\x1f]*+)'").match,
}
_STRING_CHUNK = {
    '"': re.compile(r'[^"\\\x00-\x1f]*+').match,
    "'": re.compile(r"[^'\\\x00-\x1f]*+").match,
}
_HEX4 = re.compile(r"[0-9a-fA-F]{4}").fullmatch
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*+)(\.[0-9]++)?([eE][-+]?[0-9]++)?").match
_WORD = re.compile(r"[A-Za-z0-9_$+\-.]*+").match
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "'": "'"}
_LITERALS = {"t": ("true", True), "f": ("false", False), "n": ("null", None)}
_IDENT_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$")
_VALUE_KINDS = "a value (string, number, object, array, true, false or null)"


def parse(text: str) -> Any:
    """Parse one JSON value from `text` leniently; raise JsonSyntaxError(line, column) otherwise."""
    n = len(text)
    pos = _skip_or_fail(text, 1 if text.startswith("\ufeff") else 0)
    if pos >= n:
        _fail(text, pos, "expected a JSON value but the text is empty (or only whitespace and comments)")
    containers: list[Any] = []  # open arrays and objects, innermost last
    keys: list[str] = []  # the pending key of each open object
    after_comma = False
    while True:
        # ---- a value starts at `pos` (whitespace already skipped)
        c = text[pos] if pos < n else ""
        value: Any
        if c == "{" or c == "[":
            if len(containers) >= MAX_DEPTH:
                _fail(text, pos, f"JSON nested deeper than {MAX_DEPTH} levels")
            pos = _skip_or_fail(text, pos + 1)
            if c == "[":
                if text.startswith("]", pos):
                    value = []
                    pos += 1
                else:
                    containers.append([])
                    after_comma = False
                    continue
            elif text.startswith("}", pos):
                value = {}
                pos += 1
            else:
                key, pos = _key(text, pos, "expected a quoted key or '}' after '{'")
                containers.append({})
                keys.append(key)
                after_comma = False
                continue
        elif c == '"' or c == "'":
            m = _SIMPLE_STRING[c](text, pos)
            if m is not None:
                value = m.group(1)
                pos = m.end()
            else:
                value, pos = _string(text, pos)
        elif c in "-0123456789" and c:
            value, pos = _number(text, pos)
        elif c in _LITERALS:
            word, value = _LITERALS[c]
            end = pos + len(word)
            if not text.startswith(word, pos) or (end < n and text[end] in _IDENT_CHARS):
                _unexpected_value(text, pos, after_comma)
            pos = end
        else:
            _unexpected_value(text, pos, after_comma)

        # ---- a value ended at `pos`: attach it to its container and read what follows
        while True:
            pos = _skip_or_fail(text, pos)
            if not containers:
                if pos < n:
                    _fail(text, pos, "unexpected trailing content after the JSON value")
                return value
            top = containers[-1]
            c = text[pos] if pos < n else ""
            if type(top) is list:
                top.append(value)
                if c == ",":
                    pos = _skip_or_fail(text, pos + 1)
                    after_comma = True
                    break
                if c == "]":
                    value = containers.pop()
                    pos += 1
                    continue
                _fail(text, pos, f"expected ',' or ']' after array element, found {_describe(text, pos)}")
            top[keys[-1]] = value
            if c == ",":
                pos = _skip_or_fail(text, pos + 1)
                keys[-1], pos = _key(text, pos, "expected a quoted key after ',' in object")
                after_comma = False
                break
            if c == "}":
                value = containers.pop()
                keys.pop()
                pos += 1
                continue
            _fail(text, pos, f"expected ',' or '}}' after object member, found {_describe(text, pos)}")


def _key(text: str, pos: int, expected: str) -> tuple[str, int]:
    """A quoted object key at `pos`, then ':'; returns the key and the position of its value."""
    c = text[pos] if pos < len(text) else ""
    if c != '"' and c != "'":
        if c == "}":
            expected += " (trailing commas are not allowed)"
        _fail(text, pos, f"{expected}, found {_describe(text, pos)}")
    m = _SIMPLE_STRING[c](text, pos)
    if m is not None:
        key: str = m.group(1)
        pos = m.end()
    else:
        key, pos = _string(text, pos)
    pos = _skip_or_fail(text, pos)
    if not text.startswith(":", pos):
        _fail(text, pos, f"expected ':' after object key, found {_describe(text, pos)}")
    return key, _skip_or_fail(text, pos + 1)


def _string(text: str, start: int) -> tuple[str, int]:
    """The string whose opening quote is at `start`, with escapes decoded; returns (value, end)."""
    quote = text[start]
    chunk = _STRING_CHUNK[quote]
    n = len(text)
    parts: list[str] = []
    pos = start + 1
    while True:
        m = chunk(text, pos)
        if m is not None:  # always: the pattern matches the empty string
            parts.append(m.group())
            pos = m.end()
        if pos >= n:
            _fail(text, start, "unterminated string: no closing " + ("'\"'" if quote == '"' else '"\'"'))
        c = text[pos]
        if c == quote:
            return "".join(parts), pos + 1
        if c != "\\":
            _fail(text, pos, f"control character U+{ord(c):04X} must be escaped inside a string")
        esc = text[pos + 1] if pos + 1 < n else ""
        if esc == "u":
            code = _hex4(text, pos)
            pos += 6
            if 0xD800 <= code <= 0xDBFF and text.startswith("\\u", pos):
                low = _hex4(text, pos)
                if 0xDC00 <= low <= 0xDFFF:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    pos += 6
            parts.append(chr(code))
        elif esc in _ESCAPES and esc:
            parts.append(_ESCAPES[esc])
            pos += 2
        elif not esc:
            _fail(text, start, "unterminated string: the text ends inside it")
        else:
            _fail(text, pos, f"invalid escape {_describe(text, pos, 2)} in string")


def _hex4(text: str, pos: int) -> int:
    digits = text[pos + 2 : pos + 6]
    if _HEX4(digits) is None:
        _fail(text, pos, "invalid \\u escape: expected 4 hex digits after \\u")
    return int(digits, 16)


def _number(text: str, pos: int) -> tuple[int | Decimal, int]:
    m = _NUMBER(text, pos)
    if m is None:
        _fail(text, pos, f"invalid number {_describe(text, pos)}: expected a digit after '-'")
    end = m.end()
    if end < len(text):
        nxt = text[end]
        if nxt in "0123456789":
            _fail(text, pos, "invalid number: leading zeros are not allowed")
        if nxt == "." and not m.group(1) and not m.group(2):
            _fail(text, end, "invalid number: expected a digit after '.'")
        if nxt in "eE" and not m.group(2):
            _fail(text, end, "invalid number: expected digits in the exponent")
        if nxt in ".eE":
            _fail(text, end, f"invalid number: unexpected {nxt!r}")
    literal = text[pos:end]
    if m.group(1) or m.group(2):
        try:
            return Decimal(literal), end
        except ArithmeticError:  # decimal.InvalidOperation: exponent beyond Decimal's range
            _fail(text, pos, "number out of range: exponent too large")
    try:
        return int(literal), end
    except ValueError:  # above sys.get_int_max_str_digits(), as the stdlib parser
        _fail(text, pos, f"integer too long ({len(literal)} characters)")


def _skip_or_fail(text: str, pos: int) -> int:
    """Skip whitespace and comments; fail on a '/' that does not open a complete comment."""
    m = _SKIP(text, pos)
    if m is not None:  # always: the pattern matches the empty string
        pos = m.end()
    if text.startswith("/", pos):
        if text.startswith("/*", pos):
            _fail(text, pos, "unterminated /* comment: no closing */")
        _fail(text, pos, "unexpected '/': comments start with // or /*")
    return pos


def _unexpected_value(text: str, pos: int, after_comma: bool) -> NoReturn:
    c = text[pos] if pos < len(text) else ""
    if c in _IDENT_CHARS and c:
        m = _WORD(text, pos)
        word = m.group() if m is not None else c
        if len(word) > 40:
            word = word[:40] + "..."
        _fail(text, pos, f"unrecognized token '{word}': expected {_VALUE_KINDS}")
    found = _describe(text, pos)
    if after_comma and c in "]}" and c:
        _fail(text, pos, f"expected a value after ',', found {found} (trailing commas are not allowed)")
    _fail(text, pos, f"expected {_VALUE_KINDS}, found {found}")


def _describe(text: str, pos: int, length: int = 1) -> str:
    if pos >= len(text):
        return "end of input"
    snippet = text[pos : pos + length]
    if length == 1 and (snippet < " " or snippet == "\x7f"):
        return f"control character U+{ord(snippet):04X}"
    return repr(snippet)


def _fail(text: str, pos: int, detail: str) -> NoReturn:
    line = text.count("\n", 0, pos) + 1
    column = pos - text.rfind("\n", 0, pos)
    raise JsonSyntaxError(detail, Location(line=line, column=column))
