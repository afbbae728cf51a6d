"""WireMock's text helpers: trim, base64, urlEncode, formData, regexExtract, matches, contains, size, val,
hostname, systemValue.

Messages match WireMock 3.13's `[ERROR: ...]` texts; cases where WireMock throws (a failed render, HTTP
500) raise RenderFailure.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import string
import types
from collections.abc import Callable, Mapping
from typing import Any

from mockd.errors import MockdError
from mockd.matching.regex import compile_regex
from mockd.templating.options import HelperError, Options, RenderFailure, text_of
from mockd.templating.values import ListOrSingle, java_len, java_str, to_text

_URL_SAFE = frozenset(string.ascii_letters + string.digits + ".-*_")


# -- text -----------------------------------------------------------------------------------------


def trim(ctx: Any, o: Options) -> Any:
    text = o.fn(ctx) if o.block else text_of(ctx)
    return text.strip("".join(chr(c) for c in range(33)))


def base64_(ctx: Any, o: Options) -> Any:
    text = o.fn(ctx) if o.block else text_of(ctx)
    if o.hash.get("decode") is True:
        cleaned = text.strip()
        try:
            return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True).decode(
                "utf-8", errors="replace"
            )
        except (binascii.Error, ValueError):
            raise RenderFailure("java.lang.IllegalArgumentException: Illegal base64 character") from None
    padding = o.hash.get("padding")
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return encoded if padding is None or padding is True else encoded.rstrip("=")


def url_encode(ctx: Any, o: Options) -> Any:
    encoding = to_text(o.hash.get("encoding") or "utf-8")
    text = text_of(ctx)
    try:
        if o.hash.get("decode") is True:
            return url_decode(text, encoding)
        out = []
        for ch in text:
            if ch in _URL_SAFE:
                out.append(ch)
            elif ch == " ":
                out.append("+")
            else:
                out.extend(f"%{b:02X}" for b in ch.encode(encoding, errors="replace"))
        return "".join(out)
    except LookupError:
        raise RenderFailure(f"java.io.UnsupportedEncodingException: {encoding}") from None


def url_decode(text: str, encoding: str) -> str:
    """Java's URLDecoder: `+` is a space, `%XX` runs are bytes in `encoding`; a bad escape throws."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "+":
            out.append(" ")
            i += 1
        elif ch == "%":
            raw = bytearray()
            while i < len(text) and text[i] == "%":
                pair = text[i + 1 : i + 3]
                if len(pair) < 2 or not all(c in string.hexdigits for c in pair):
                    raise RenderFailure(
                        "java.lang.IllegalArgumentException: URLDecoder: Illegal hex characters in escape (%) pattern"
                    )
                raw.append(int(pair, 16))
                i += 3
            out.append(raw.decode(encoding, errors="replace"))
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def form_data(ctx: Any, o: Options) -> Any:
    decode = o.hash.get("urlDecode") is True
    encoding = to_text(o.hash.get("encoding") or "utf-8")
    form: dict[str, ListOrSingle] = {}
    for field in text_of(ctx).split("&"):
        parts = [p for p in field.split("=")]
        while parts and parts[-1] == "":
            parts.pop()  # Java's String.split drops trailing empty strings
        if len(parts) > 1:
            value = parts[1].strip()
            if decode:
                try:
                    value = url_decode(value, encoding)
                except LookupError:
                    raise RenderFailure(f"java.io.UnsupportedEncodingException: {encoding}") from None
            form.setdefault(parts[0], ListOrSingle()).append(value)
    if o.params:
        o.assign(o.params[0], form)
        return None
    return form


def _regex(pattern: Any, dotall: bool = False) -> re.Pattern[str]:
    if pattern is None:
        raise RenderFailure("java.lang.NullPointerException: regex is null")
    try:
        return compile_regex(to_text(pattern), dotall)
    except MockdError:
        raise HelperError(f"Invalid regex string {to_text(pattern)}") from None


def regex_extract(ctx: Any, o: Options) -> Any:
    regex = _regex(o.param(0))
    text = text_of(ctx)
    groups: list[Any] = []
    for m in regex.finditer(text):
        if len(o.params) == 1:
            return m.group(0)
        groups.extend(m.groups())
    if not groups:
        default = o.hash.get("default")
        if default is not None:
            return default
        raise HelperError(f"Nothing matched {to_text(o.param(0))}")
    o.assign(o.param(1), ListOrSingle(groups))
    return None


def matches(ctx: Any, o: Options) -> Any:
    if not o.params:
        raise HelperError("You must specify the string to be matched and the regular expression")
    try:
        result = compile_regex(to_text(o.param(0)), False).fullmatch(text_of(ctx)) is not None
    except MockdError as exc:
        raise RenderFailure(f"java.util.regex.PatternSyntaxException: {exc.detail}") from None
    if o.block:
        return o.fn() if result else ""
    return result


def contains(ctx: Any, o: Options) -> Any:
    if not o.params:
        raise HelperError("You must specify the string or array to be matched and the regular expression")
    expected = o.param(0)
    if expected is not None and not isinstance(expected, str):
        raise RenderFailure(
            f"java.lang.ClassCastException: {java_str(expected)} cannot be cast to class java.lang.String"
        )
    if ctx is None or expected is None:
        return False
    if isinstance(ctx, list | tuple):
        result = any(isinstance(item, str) and item == expected for item in ctx)
    else:
        result = expected in java_str(ctx)
    if o.block:
        return o.fn() if result else ""
    return result


def size(ctx: Any, o: Options) -> Any:
    if ctx is None:
        raise RenderFailure(
            'java.lang.NullPointerException: Cannot invoke "Object.getClass()" because "context" is null'
        )
    if isinstance(ctx, str):
        return java_len(ctx)
    if isinstance(ctx, list | tuple | Mapping) or hasattr(ctx, "is_collection_empty"):
        return len(ctx)
    return None


def val(ctx: Any, o: Options) -> Any:
    default = o.hash.get("or")
    if default is None:
        default = o.hash.get("default")
    value = ctx if ctx is not None else default
    if o.hash.get("assign") is not None:
        o.assign(o.hash["assign"], value)
        return None
    return value


# -- system -----------------------------------------------------------------------------------------


def hostname(ctx: Any, o: Options) -> Any:
    return o.state.config.hostname


def system_value(ctx: Any, o: Options) -> Any:
    key = to_text(o.hash.get("key", ""))
    kind = to_text(o.hash.get("type", "ENVIRONMENT"))
    default = o.hash.get("default")
    if not key:
        raise HelperError("The key cannot be empty")
    if not any(p.fullmatch(key) for p in o.state.config.permitted_system_keys):
        raise HelperError(f"Access to {key} is denied")
    if kind == "ENVIRONMENT":
        return os.environ.get(key, default)
    if kind == "PROPERTY":
        return default
    return ""


HELPERS: Mapping[str, Callable[[Any, Options], Any]] = types.MappingProxyType(
    {
        "trim": trim,
        "base64": base64_,
        "urlEncode": url_encode,
        "formData": form_data,
        "regexExtract": regex_extract,
        "matches": matches,
        "contains": contains,
        "size": size,
        "val": val,
        "hostname": hostname,
        "systemValue": system_value,
    }
)
