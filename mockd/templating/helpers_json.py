"""JSON helpers: jsonPath, parseJson, toJson, formatJson, jsonMerge, jsonRemove, jsonArrayAdd.

Paths are read with mockd's Jayway JsonPath (mockd.matching.jsonpath, shared with the body matchers):
a definite path gives one value (missing: `default=` or nothing), any other path a list. Parsed from
text, arrays are json-smart arrays (printing compact JSON) and decimals are doubles, as in WireMock.
`jsonRemove` deletes through jsonpath-ng (the shared module only reads).
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jsonpath_ng.ext import parse as jsonpath_parse

from mockd import jsontext
from mockd.errors import JsonSyntaxError
from mockd.matching.jsonpath import JsonPathError, PathNotFound, compile_jsonpath
from mockd.templating.options import HelperError, Options, RenderFailure
from mockd.templating.values import JsonList, PrettyJsonMap, jackson_compact, jackson_pretty, java_str

_FUNCTION = re.compile(r"\.[A-Za-z]+\([^)]*\)\s*$")


@lru_cache(maxsize=512)
def _deleter(path: str) -> Any:
    """jsonpath-ng expression used for deletion (`jsonRemove`): Jayway syntax for plain paths."""
    body = path if path.startswith("$") else "$." + path
    return jsonpath_parse(body)


def _from_text(value: Any) -> Any:
    """jsontext values -> json-smart shapes: arrays print as compact JSON, decimals are doubles."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return JsonList(_from_text(v) for v in value)
    if isinstance(value, dict):
        return {k: _from_text(v) for k, v in value.items()}
    return value


_DEEP_LEAF = re.compile(r"\$\.\.(?:([A-Za-z_$][\w$-]*)|\['([^'\]]+)'\])")


def _deep_scan(doc: Any, name: str) -> JsonList:
    """`$..name` as WireMock's Jayway answers it (DEFAULT_PATH_LEAF_TO_NULL): every object of the
    document, in pre-order, gives its `name` value or null."""
    out = JsonList()
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            out.append(node.get(name))
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return out


def evaluate(doc: Any, path: str) -> Any:
    """Jayway JsonPath (mockd.matching.jsonpath): a definite path gives the value itself (PathNotFound
    when missing), any other path a list of hits. JsonPathError for a malformed path."""
    deep = _DEEP_LEAF.fullmatch(path.strip())
    if deep:
        return _deep_scan(doc, deep.group(1) or deep.group(2))
    value = compile_jsonpath(path).read(doc)
    if isinstance(value, list) and not compile_jsonpath(path).definite:
        return JsonList(value)
    if isinstance(value, tuple):
        return JsonList(value)
    return value


def json_path(ctx: Any, o: Options) -> Any:
    if ctx is None or ctx == "":
        return ""
    path = o.param(0)
    if path is None:
        raise HelperError("The JSONPath cannot be empty")
    path = java_str(path)
    doc: Any
    if isinstance(ctx, dict | list):
        doc = ctx
    else:
        text = java_str(ctx)
        key = ("json-doc", text)
        doc = o.state.cache.get(key)
        if doc is None:
            try:
                doc = _from_text(jsontext.loads(text))
            except (JsonSyntaxError, ValueError, RecursionError):
                if text.lstrip()[:1] in ("{", "["):
                    raise HelperError(f"{text} is not valid JSON") from None
                doc = text
            o.state.cache[key] = doc
    default = o.hash.get("default")
    try:
        value = evaluate(doc, path)
    except JsonPathError:
        raise HelperError(f"{path} is not a valid JSONPath expression") from None
    except (PathNotFound, LookupError, TypeError, ValueError, ArithmeticError):
        value = default
    if value is None:
        value = default if default is not None else ""
    if isinstance(value, dict) and not isinstance(value, PrettyJsonMap):
        return PrettyJsonMap(value)
    return value


def _parse_text(text: str) -> Any:
    try:
        return jsontext.loads(text)
    except RecursionError:
        raise JsonSyntaxError("JSON nested too deeply") from None


def parse_json(ctx: Any, o: Options) -> Any:
    if ctx is None:
        return {}
    if o.block:
        text = o.fn()
        name = java_str(ctx) if o.has_context else None
    else:
        if not o.has_context:
            raise HelperError("Missing required JSON string parameter")
        text = java_str(ctx)
        name = java_str(o.params[0]) if o.params else None
    text = text.strip()
    squeezed = re.sub(r"\s", "", text)
    if squeezed in ("{}", ""):
        result: Any = {}
    else:
        try:
            result = _parse_text(text)
        except JsonSyntaxError as exc:
            raise RenderFailure(
                f"com.github.tomakehurst.wiremock.common.JsonException: {exc.detail}"
            ) from None
        wanted = list if text.startswith("[") and text.endswith("]") else dict
        if not isinstance(result, wanted):
            raise RenderFailure(
                f"Cannot deserialize {java_str(result)} as a JSON {'array' if wanted is list else 'object'}"
            )
    if name is not None:
        o.assign(name, result)
        return None
    return result


def to_json(ctx: Any, o: Options) -> Any:
    return "" if ctx is None else jackson_pretty(ctx)


def formatting_input(ctx: Any, o: Options, name: str, what: str) -> tuple[str, str]:
    if o.block:
        text = o.fn().strip()
    elif isinstance(ctx, str):
        text = ctx.strip()
    else:
        text = ""
    if not text:
        raise HelperError(
            f"{name} should take a block of {what} to format or a single parameter of type String"
        )
    fmt = o.hash.get("format")
    if fmt is None:
        return text, "pretty"
    if fmt not in ("pretty", "compact"):
        raise HelperError(f"{name}: format [{java_str(fmt)}] should be one of [pretty, compact]")
    return text, str(fmt)


def format_json(ctx: Any, o: Options) -> Any:
    text, fmt = formatting_input(ctx, o, "formatJson", "JSON")
    try:
        value = _parse_text(text)
    except JsonSyntaxError as exc:
        if fmt == "compact":
            raise HelperError(
                "There was an error parsing the json. Please make sure the json is valid"
            ) from None
        # the pretty path lets Jackson's JsonParseException through: the render fails (HTTP 500)
        raise RenderFailure(f"com.fasterxml.jackson.core.JsonParseException: {exc.detail}") from None
    return jackson_pretty(value, drop_null_fields=False) if fmt == "pretty" else jackson_compact(value)


def _json_argument(value: Any, what: str, kind: type | None = dict) -> Any:
    if not isinstance(value, str):
        raise HelperError(f"{what} must be a string")
    try:
        parsed = _parse_text(value)
    except JsonSyntaxError:
        raise HelperError(f"{what.replace(' parameter', '')} is not valid JSON ('{value}')") from None
    if kind is not None and not isinstance(parsed, kind):
        raise HelperError(f"{what.replace(' parameter', '')} is not a JSON object ('{value}')")
    return parsed


def _merge(base: dict[str, Any], other: dict[str, Any], remove_nulls: bool) -> None:
    for key, value in other.items():
        if isinstance(value, dict):
            if isinstance(base.get(key), dict):
                _merge(base[key], value, remove_nulls)
            else:
                base[key] = value
        elif remove_nulls and value is None:
            base.pop(key, None)
        else:
            base[key] = value


def json_merge(ctx: Any, o: Options) -> Any:
    base = _json_argument(ctx, "Base JSON parameter")
    other_text = o.fn() if o.block else o.param(0)
    other = _json_argument(other_text, "JSON to merge")
    remove_nulls = o.hash.get("removeNulls")
    if remove_nulls is not None and not isinstance(remove_nulls, bool):
        raise RenderFailure("java.lang.ClassCastException: removeNulls must be a boolean")
    _merge(base, other, bool(remove_nulls))
    return jackson_compact(base)


def _drop_null_fields(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_null_fields(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_null_fields(v) for v in value]
    return value


def json_remove(ctx: Any, o: Options) -> Any:
    if not isinstance(ctx, str):
        raise HelperError("Input JSON must be a string")
    if ctx == "null":
        return ctx
    if len(o.params) != 1:
        raise HelperError("A single JSONPath expression parameter must be supplied")
    path = o.params[0]
    if not isinstance(path, str):
        raise HelperError("JSONPath parameter must be a string")
    try:
        doc = _parse_text(ctx)
    except JsonSyntaxError:
        raise HelperError(f"Input JSON string is not valid JSON ('{ctx}')") from None
    try:
        compile_jsonpath(path)
        if _FUNCTION.search(path) or path.strip() == "$":
            raise HelperError(f"Delete operation cannot be applied to JSONPath expression ('{path}')")
        doc = _deleter(path).filter(lambda _: True, doc)
    except (JsonPathError, Exception) as exc:
        if isinstance(exc, HelperError):
            raise
        raise HelperError(f"JSONPath parameter is not a valid JSONPath expression ('{path}')") from None
    return jackson_compact(_drop_null_fields(doc))


def json_array_add(ctx: Any, o: Options) -> Any:
    if not isinstance(ctx, str):
        raise HelperError("Base JSON must be a string")
    try:
        root = _parse_text(ctx)
    except JsonSyntaxError:
        raise HelperError(f"Base JSON is not valid JSON ('{ctx}')") from None
    path = o.hash.get("jsonPath")
    if path is not None and not isinstance(path, str):
        raise HelperError("jsonPath option must be a string")
    if path is None:
        target = root
    else:
        try:
            target = evaluate(root, path)
        except JsonPathError:
            raise HelperError(f"jsonPath option is not valid JSONPath expression ('{path}')") from None
        except PathNotFound:
            target = None
    if not isinstance(target, list):
        detail = f"'{ctx}'" if path is None else f"root: '{ctx}', jsonPath: '{path}'"
        raise HelperError(f"Target JSON is not a JSON array ({detail})")
    item_text = o.fn() if o.block else o.param(0)
    if not isinstance(item_text, str):
        raise HelperError("Item-to-add JSON must be a string")
    try:
        item = _parse_text(item_text)
    except JsonSyntaxError:
        raise HelperError(f"Item-to-add JSON is not valid JSON ('{item_text}')") from None
    flatten = o.hash.get("flatten")
    if flatten is not None and not isinstance(flatten, bool):
        raise HelperError("flatten option must be a boolean")
    if flatten and isinstance(item, list):
        target.extend(item)
    else:
        target.append(item)
    max_items = o.hash.get("maxItems")
    if max_items is not None:
        if not isinstance(max_items, int) or isinstance(max_items, bool):
            raise HelperError("maxItems option must be an integer")
        if max_items < 0:
            raise HelperError("maxItems option integer must be positive")
        if len(target) > max_items:
            del target[: len(target) - max_items]
    return jackson_compact(_drop_null_fields(root))


HELPERS: Mapping[str, Callable[[Any, Options], Any]] = types.MappingProxyType(
    {
        "jsonPath": json_path,
        "parseJson": parse_json,
        "toJson": to_json,
        "formatJson": format_json,
        "jsonMerge": json_merge,
        "jsonRemove": json_remove,
        "jsonArrayAdd": json_array_add,
    }
)
