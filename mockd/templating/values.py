"""Java-flavoured values: how WireMock's Handlebars (jknack 4.3 on Java 17) prints, tests and compares.

- `to_text`: what `{{x}}` prints (`String.valueOf`, but null prints nothing): lists as `[a, b]`, maps as
  `{k=v}`, doubles as Java's `Double.toString` (`1.0`, `3.0E9`).
- `is_empty`: Handlebars.java falsiness: null, "", empty collection, false, 0. Maps are never empty.
- `java_equals` / `java_compare`: the `eq` and `gt` helpers' semantics, including their ClassCastException.
- `ListOrSingle`: query/header/cookie/form/regex-group values; prints its first element.
- `JsonList` / `PrettyJsonMap`: what `jsonPath` returns (json-smart arrays print compact JSON; a map result
  prints Jackson's pretty JSON).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from mockd import jsontext
from mockd.jsontext import java_double


class RenderFailure(Exception):
    """A failure Handlebars.java would raise (the whole render fails: HTTP 500)."""


class HelperError(Exception):
    """A helper's own error: rendered inline as `[ERROR: message]`."""


class Printable:
    """Base of model values whose `__str__` already is their Java `toString`."""

    __slots__ = ()


class KeyedModel(Mapping[str, Any]):
    """A model object with a fixed set of keys (`_KEYS`), each read by `__getitem__`; Handlebars paths
    read it through `hb_get`, Jinja2 as a mapping."""

    __slots__ = ()
    _KEYS: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[str]:
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def hb_get(self, key: str | int) -> Any:
        return self.get(str(key))


class ListOrSingle(Printable, list[Any]):
    """WireMock's ListOrSingle: prints its first value; `.first`, `.last`; index -1 quirk (see `get_index`)."""

    __slots__ = ()

    def __str__(self) -> str:
        return java_str(self[0]) if self else ""

    @property
    def first(self) -> Any:
        return self[0] if self else None

    @property
    def last(self) -> Any:
        return self[-1] if self else None

    def get_index(self, index: int) -> Any:
        """Java's `ListOrSingle.get`: a negative index counts from `size() - 1`, so -1 is the second last."""
        if index < 0:
            index = len(self) - 1 + index
        return self[index] if 0 <= index < len(self) else None


class JsonList(Printable, list[Any]):
    """A json-smart JSONArray (what Jayway JsonPath returns for arrays): prints compact JSON."""

    __slots__ = ()

    def __str__(self) -> str:
        return smart_json(self)


class PrettyJsonMap(Printable, dict[str, Any]):
    """WireMock's MapJsonData (a jsonPath map result): prints Jackson's pretty JSON without null fields."""

    __slots__ = ()

    def __str__(self) -> str:
        return jackson_pretty(self)


def to_text(value: Any) -> str:
    """What a mustache prints for `value`: nothing for null, else Java's `toString`."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if type(value) is ListOrSingle and value and type(value[0]) is str:  # a query or header value
        return str(value[0])
    if isinstance(value, Printable):
        return str(value)
    return _java_str(value)


def java_str(value: Any) -> str:
    """`String.valueOf(value)`: nulls inside collections print as `null`."""
    if isinstance(value, Printable):
        return str(value)
    return _java_str(value)


def _java_str(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, Decimal):
        return str(value)
    if type(value) in (list, tuple):
        return "[" + ", ".join(java_str(v) for v in value) + "]"
    if type(value) is dict:
        return "{" + ", ".join(f"{java_str(k)}={java_str(v)}" for k, v in value.items()) + "}"
    return str(value)


def java_len(text: str) -> int:
    """`String.length()`: UTF-16 code units (an emoji counts 2)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def is_empty(value: Any) -> bool:
    """Handlebars.java `Utils.isEmpty` (falsy): maps are never empty, numbers are when they equal 0."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value
    if isinstance(value, bool):
        return not value
    if is_number(value):
        return bool(value == 0)
    if isinstance(value, list | tuple | set | frozenset):
        return not value
    if isinstance(value, Mapping):
        return False
    sized = getattr(value, "is_collection_empty", None)
    if callable(sized):
        return bool(sized())
    return False


def java_equals(a: Any, b: Any) -> bool:
    """`ConditionalHelpers.eq`: `Objects.equals`, plus numbers compared as doubles."""
    if a is None or b is None:
        return a is None and b is None
    if is_number(a) and is_number(b):
        return float(a) == float(b) if type(a) is not type(b) else bool(a == b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and str.__eq__(a, b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(java_equals(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return dict(a.items()) == dict(b.items())
    return a is b or bool(a == b)


def _comparable(value: Any) -> bool:
    return isinstance(value, str | bool) or is_number(value) or hasattr(value, "epoch_ms")


def java_compare(a: Any, b: Any) -> int:
    """`ConditionalHelpers.cmp`: same-type compareTo, numbers as doubles, otherwise a ClassCastException."""
    for v in (a, b):
        if not _comparable(v):
            raise RenderFailure(f"java.lang.IllegalArgumentException: Not a comparable: {java_str(v)}")
    if is_number(a) and is_number(b):
        x, y = (a, b) if type(a) is type(b) else (float(a), float(b))
        return (x > y) - (x < y)
    if type(a) is not type(b) and not (isinstance(a, str) and isinstance(b, str)):
        raise RenderFailure(
            f"java.lang.ClassCastException: {_java_type(b)} cannot be cast to class {_java_type(a)}"
        )
    if hasattr(a, "epoch_ms"):
        a, b = a.epoch_ms, b.epoch_ms
    return int((a > b) - (a < b))


def _java_type(value: Any) -> str:
    if isinstance(value, str):
        return "class java.lang.String"
    if isinstance(value, bool):
        return "class java.lang.Boolean"
    if isinstance(value, int):
        return "class java.lang.Integer"
    if isinstance(value, float | Decimal):
        return "class java.lang.Double"
    return f"class {type(value).__name__}"


# -- JSON layouts ---------------------------------------------------------------------------------


def _json_safe(value: Any, drop_null_fields: bool, depth: int = 0) -> Any:
    """Plain dict/list/scalars for the JSON printers; floats become Java's double text."""
    if depth > jsontext.MAX_DEPTH:
        raise HelperError("JSON nested too deeply")
    if isinstance(value, Decimal):  # Jackson writes BigDecimals plain (WRITE_BIGDECIMAL_AS_PLAIN)
        return Decimal(format(value, "f")) if value else Decimal(format(abs(value), "f"))
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return Decimal(java_double(value)) if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {
            str(k): _json_safe(v, drop_null_fields, depth + 1)
            for k, v in value.items()
            if not (drop_null_fields and v is None)
        }
    if isinstance(value, ListOrSingle):
        if len(value) == 1:
            return _json_safe(value[0], drop_null_fields, depth + 1)
        return [_json_safe(v, drop_null_fields, depth + 1) for v in value]
    if isinstance(value, list | tuple):
        return [_json_safe(v, drop_null_fields, depth + 1) for v in value]
    return str(value)


def jackson_pretty(value: Any, drop_null_fields: bool = True) -> str:
    """WireMock's `Json.write`: Jackson's pretty printer, null map fields left out (kept for a JSON tree,
    as `formatJson` prints)."""
    return jsontext.dumps_pretty(_json_safe(value, drop_null_fields))


def jackson_compact(value: Any) -> str:
    """Jackson compact output (JsonNode.toString / writeValueAsString), nulls kept."""
    return jsontext.dumps_compact(_json_safe(value, False))


def smart_json(value: Any) -> str:
    """json-smart's compact JSON (Jayway's default provider): `/` is escaped, doubles print as Java's."""
    return _smart(value, 0)


def _smart(value: Any, depth: int) -> str:
    if depth > jsontext.MAX_DEPTH:
        raise HelperError("JSON nested too deeply")
    if value is None:
        return "null"
    if isinstance(value, str):
        return _smart_str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value) if math.isfinite(value) else "null"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_smart_str(str(k))}:{_smart(v, depth + 1)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_smart(v, depth + 1) for v in value) + "]"
    return _smart_str(str(value))


def _smart_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("/", "\\/")


def iter_items(value: Any) -> Iterable[tuple[Any, Any]]:
    """(key, value) pairs of a map-like value, as `#each` walks a map."""
    if isinstance(value, Mapping):
        return list(value.items())
    return []
