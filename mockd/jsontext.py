"""JSON text in and out, the way WireMock's Jackson does it.

- `loads`: lenient (// and /* */ comments, single-quoted strings), decimals kept as `Decimal` so their
  text survives (`1.10` stays `1.10`), integers as `int`. At most `MAX_DEPTH` nested containers; no
  NaN/Infinity. Errors are `JsonSyntaxError` with line/column, never another exception type.
- `dumps_compact`: no whitespace at all (jsonBody, formatJson compact).
- `dumps_pretty`: Jackson's DefaultPrettyPrinter (`{\\n  "a" : 1,\\n  "b" : [ true, null ]\\n}`), used by
  the admin API, toJson, formatJson and jsonPath object output. Objects indent two spaces a level; arrays
  stay on one line (`[ 1, 2 ]`) and do not add a level, so an object inside an array is indented from the
  enclosing object: `{\\n  "a" : [ {\\n    "x" : 1\\n  } ]\\n}`.

Both writers emit non-ASCII as is, escape control characters as Jackson does (`\\n`, `\\u001F`), write
decimals with their text and floats as Java's `Double.toString`.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any, NoReturn

from mockd import jsonlenient
from mockd.jsonlenient import MAX_DEPTH

__all__ = ["MAX_DEPTH", "dumps_compact", "dumps_pretty", "java_double", "loads", "to_plain"]

_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\ud800-\udfff]')
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\f": "\\f", "\n": "\\n", "\r": "\\r"}


def loads(text: str | bytes) -> Any:
    """Parse JSON text leniently; raise JsonSyntaxError(line, column) when it is not JSON."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    try:
        value = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, ArithmeticError, RecursionError):
        # JSONDecodeError, NaN/Infinity, an int above the digit limit, a Decimal exponent out of range,
        # or deep nesting: the lenient parser accepts it or says where and why it is not JSON.
        return _lenient(text)
    if (type(value) is dict or type(value) is list) and _nested_too_deeply(text, value):
        return _lenient(text)  # raises, with the location
    return value


def _lenient(text: str) -> Any:

    return jsonlenient.parse(text)


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _nested_too_deeply(text: str, value: Any) -> bool:
    """Does `value`, parsed from `text`, nest more than MAX_DEPTH containers? Free for small texts."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        container, depth = stack.pop()
        for child in container.values() if type(container) is dict else container:
            if type(child) is dict or type(child) is list:
                if depth >= MAX_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


def _string(value: str) -> str:
    """A JSON string literal as Jackson writes it: non-ASCII as is, control characters escaped."""
    if _NEEDS_ESCAPE.search(value) is None:
        return '"' + value + '"'
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    return _SHORT_ESCAPES.get(c) or f"\\u{ord(c):04X}"  # lone surrogates too, so the text stays UTF-8


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _string(key)
    if key is None or isinstance(key, bool):
        return _string(_scalar(key))
    return _string(str(key))


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value) if math.isfinite(value) else f'"{java_double(value)}"'
    return _string(str(value))


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        return "null"
    if value.is_zero() and value.is_signed():
        value = value.copy_abs()  # BigDecimal has no negative zero: -0.0 is written 0.0
    return str(value)  # same rules as BigDecimal.toString: 1.10, 1E+5, 1E-7


def java_double(value: float) -> str:
    """Java's Double.toString: `1.0`, `0.001`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity` (Jackson writes
    doubles this way, quoting NaN and the infinities)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    shortest = Decimal(repr(value))
    digits = "".join(map(str, shortest.as_tuple().digits)).rstrip("0") or "0"
    exponent = shortest.adjusted()
    sign = "-" if value < 0 else ""
    if 1e-3 <= abs(value) < 1e7:
        if exponent >= 0:
            whole = digits[: exponent + 1].ljust(exponent + 1, "0")
            fraction = digits[exponent + 1 :] or "0"
        else:
            whole, fraction = "0", "0" * (-exponent - 1) + digits
        return f"{sign}{whole}.{fraction}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


def dumps_compact(value: Any) -> str:
    parts: list[str] = []
    _compact(value, parts, 0)
    return "".join(parts)


def _compact(value: Any, out: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError("JSON nested too deeply")
    if isinstance(value, dict):
        out.append("{")
        first = True
        for k, v in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_key(k))
            out.append(":")
            _compact(v, out, depth + 1)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, v in enumerate(value):
            if i:
                out.append(",")
            _compact(v, out, depth + 1)
        out.append("]")
    else:
        out.append(_scalar(value))


def dumps_pretty(value: Any) -> str:
    """Jackson DefaultPrettyPrinter layout: objects one key a line, arrays inline with spaces."""
    parts: list[str] = []
    _pretty(value, parts, 0, 0)
    return "".join(parts)


def _pretty(value: Any, out: list[str], level: int, depth: int) -> None:
    # `level` counts enclosing objects only (Jackson's `_nesting`: the array indenter is inline);
    # `depth` counts every container, for the nesting limit.
    if depth > MAX_DEPTH:
        raise ValueError("JSON nested too deeply")
    if isinstance(value, dict):
        if not value:
            out.append("{ }")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("{")
        first = True
        for k, v in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(inner)
            out.append(_key(k))
            out.append(" : ")
            _pretty(v, out, level + 1, depth + 1)
        out.append("\n" + "  " * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[ ]")
            return
        out.append("[ ")
        for i, v in enumerate(value):
            if i:
                out.append(", ")
            _pretty(v, out, level, depth + 1)
        out.append(" ]")
    else:
        out.append(_scalar(value))


def to_plain(value: Any) -> Any:
    """Decimals -> int/float, for libraries that do not know Decimal (jsonschema, jsonpath).

    A decimal written without a fraction (`1E+5`) becomes an int, unless absurdly large (then a float);
    one with a fraction (`1.0`, `1.5`) becomes a float.
    """
    if isinstance(value, Decimal):
        if value.is_finite():
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and exponent >= 0 and value.adjusted() <= 4000:
                return int(value)
        return float(value)
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    return value
