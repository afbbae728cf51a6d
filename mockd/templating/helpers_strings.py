"""jknack StringHelpers (Apache commons-lang semantics): capitalize, center, cut, join, substring, ...

Each helper follows `StringHelpers.apply`: a falsy value gives back the first parameter (or nothing);
otherwise the helper works on the value's `toString`.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from mockd.templating.options import HelperError, Options, RenderFailure
from mockd.templating.values import is_empty, java_str, to_text

_JAVA_WS = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or value is None:
        raise RenderFailure(f"found '{java_str(value)}', expected '{what}'")
    if isinstance(value, int):
        return value
    raise RenderFailure(f"java.lang.ClassCastException: {java_str(value)} is not an Integer ('{what}')")


def _bounded(size: int, o: Options) -> int:
    if size > o.state.config.max_output:
        raise HelperError(f"size {size} is larger than {o.state.config.max_output}")
    return size


def _string_helper(fn: Callable[[str, Options], Any]) -> Callable[[Any, Options], Any]:
    def helper(ctx: Any, o: Options) -> Any:
        if is_empty(ctx):
            first = o.param(0)
            return None if first is None else to_text(first)
        return fn(java_str(ctx), o)

    return helper


def _pad(text: str, size: int, pad: str) -> str:
    pad = pad or " "
    return (pad * (size // len(pad) + 1))[:size] if size > 0 else ""


def capitalize_first(s: str, o: Options) -> str:
    head = s[:1].upper()
    return (head if len(head) == 1 else s[:1]) + s[1:]


def center(s: str, o: Options) -> str:
    size = _bounded(_int(o.opt("size"), "size"), o)
    pads = size - len(s)
    if pads <= 0:
        return s
    pad = to_text(o.opt("pad", " "))
    left = pads // 2
    return _pad(s, left, pad) + s + _pad(s, pads - left, pad)


def cut(ctx: Any, o: Options) -> Any:
    if is_empty(ctx):
        return ""
    return java_str(ctx).replace(to_text(o.param(0, " ")), "")


def default_if_empty(ctx: Any, o: Options) -> Any:
    return o.param(0, "") if is_empty(ctx) else java_str(ctx)


def join(ctx: Any, o: Options) -> Any:
    if is_empty(ctx):
        return ""
    sep = o.params[-1] if o.params else None
    if not isinstance(sep, str):
        raise RenderFailure(f"found '{java_str(sep)}', expected 'separator' at param[{len(o.params) - 1}]")
    prefix, suffix = to_text(o.opt("prefix", "")), to_text(o.opt("suffix", ""))
    values = list(ctx) if isinstance(ctx, list | tuple) else [ctx, *o.params[:-1]]
    return prefix + sep.join(to_text(v) for v in values) + suffix


def ljust(s: str, o: Options) -> str:
    size = _bounded(_int(o.opt("size"), "size"), o)
    return s + _pad(s, size - len(s), to_text(o.opt("pad", " ")))


def rjust(s: str, o: Options) -> str:
    size = _bounded(_int(o.opt("size"), "size"), o)
    return _pad(s, size - len(s), to_text(o.opt("pad", " "))) + s


def substring(s: str, o: Options) -> str:
    if not o.params:
        raise RenderFailure("Required start offset: ")
    units = s.encode("utf-16-le", errors="surrogatepass")  # Java indexes UTF-16 code units
    length = len(units) // 2
    start = _int(o.param(0), "start")
    end = _int(o.param(1, length), "end")
    if start < 0 or end > length or start > end:
        raise RenderFailure(
            f"java.lang.StringIndexOutOfBoundsException: begin {start}, end {end}, length {length}"
        )
    return units[2 * start : 2 * end].decode("utf-16-le", errors="replace")


def slugify(s: str, o: Options) -> str:
    out = []
    for ch in s.strip(_JAVA_WS):
        if ch.isalpha():
            out.append(ch.lower())
        elif ch in _JAVA_WS or (ch.isspace() and ch not in "\u00a0\u2007\u202f"):
            out.append("-")
    return "".join(out)


def strip_tags(s: str, o: Options) -> str:
    return re.sub(r"<[^>]*>", "", s, flags=re.S)


def capitalize(s: str, o: Options) -> str:
    fully = o.opt("fully", False) is True
    if fully:
        s = s.lower()
    out = []
    start = True
    for ch in s:
        if ch == " ":
            start = True
            out.append(ch)
        elif start:
            head = ch.upper()
            out.append(head if len(head) == 1 else ch)
            start = False
        else:
            out.append(ch)
    return "".join(out)


def abbreviate(s: str, o: Options) -> str:
    width = o.param(0)
    if width is None:
        raise RenderFailure("found 'null', expected 'width'")
    width = _int(width, "width")
    if width < 4:
        raise RenderFailure("java.lang.IllegalArgumentException: Minimum abbreviation width is 4")
    return s if len(s) <= width else s[: width - 3] + "..."


def word_wrap(s: str, o: Options) -> str:
    """commons-lang3 `WordUtils.wrap(str, length)`: break at spaces, long words left whole."""
    length = o.param(0)
    if length is None:
        raise RenderFailure("found 'null', expected 'length'")
    width = max(_int(length, "length"), 1)
    out: list[str] = []
    offset, n = 0, len(s)
    while offset < n:
        if s[offset] == " ":
            offset += 1
            continue
        if n - offset <= width:
            break
        space = s.rfind(" ", offset, offset + width + 1)
        if space >= offset:
            out.append(s[offset:space] + "\n")
            offset = space + 1
        else:
            space = s.find(" ", offset + width)
            if space >= 0:
                out.append(s[offset:space] + "\n")
                offset = space + 1
            else:
                out.append(s[offset:])
                offset = n
    out.append(s[offset:])
    return "".join(out)


def replace(s: str, o: Options) -> str:
    target, replacement = o.param(0), o.param(1)
    if target is None or replacement is None:
        raise RenderFailure("java.lang.NullPointerException: replace needs a target and a replacement")
    return s.replace(to_text(target), to_text(replacement))


def yesno(ctx: Any, o: Options) -> Any:
    if ctx is None:
        return o.opt("maybe", "maybe")
    if not isinstance(ctx, bool):
        raise RenderFailure(f"found '{java_str(ctx)}', expected 'boolean'")
    return o.opt("yes", "yes") if ctx else o.opt("no", "no")


# -- stringFormat: java.util.Formatter ------------------------------------------------------------

_SPEC = re.compile(r"%(\d+\$)?([-#+ 0,(<]*)(\d+)?(\.\d+)?([a-zA-Z%])")


def string_format(fmt: str, o: Options) -> str:
    args = list(o.params)
    out: list[str] = []
    pos = 0
    ordinary = 0
    for m in _SPEC.finditer(fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        index_s, flags, width_s, precision_s, conv = m.groups()
        if conv == "%":
            out.append("%")
            continue
        if conv == "n":
            out.append("\n")
            continue
        if index_s:
            index = int(index_s[:-1]) - 1
        else:
            index = ordinary
            ordinary += 1
        if index >= len(args):
            raise RenderFailure(f"java.util.MissingFormatArgumentException: Format specifier '{m.group(0)}'")
        width = int(width_s) if width_s else 0
        if width > o.state.config.max_output:
            raise HelperError("format width too large")
        precision = int(precision_s[1:]) if precision_s else None
        out.append(_format_one(args[index], flags, width, precision, conv, m.group(0)))
    out.append(fmt[pos:])
    return "".join(out)


def _format_one(arg: Any, flags: str, width: int, precision: int | None, conv: str, spec: str) -> str:
    lower = conv.lower()
    if lower == "s":
        text = "null" if arg is None else java_str(arg)
        if precision is not None:
            text = text[:precision]
    elif lower == "b":
        text = "false" if arg is None or arg is False else "true"
    elif lower == "c":
        if isinstance(arg, bool) or not isinstance(arg, int):
            raise RenderFailure(f"java.util.IllegalFormatConversionException: c != {type(arg).__name__}")
        text = chr(arg)
    elif lower in "dxo":
        if isinstance(arg, bool) or not isinstance(arg, int):
            raise RenderFailure(f"java.util.IllegalFormatConversionException: {conv} != {type(arg).__name__}")
        base = {"d": "d", "x": "x", "o": "o"}[lower]
        text = format(abs(arg) if lower == "d" else arg, ("," if "," in flags else "") + base)
        if lower == "d":
            text = ("-" if arg < 0 else "+" if "+" in flags else " " if " " in flags else "") + text
    elif lower in "efg":
        if not isinstance(arg, float | Decimal):
            raise RenderFailure(f"java.util.IllegalFormatConversionException: {conv} != {type(arg).__name__}")
        p = 6 if precision is None else precision
        text = format(
            float(arg), ("+" if "+" in flags else "") + ("," if "," in flags else "") + f".{p}{lower}"
        )
        if lower == "e":
            mantissa, _, exp = text.partition("e")
            text = f"{mantissa}e{exp[0]}{exp[1:].zfill(2)}"
    else:
        raise RenderFailure(f"java.util.UnknownFormatConversionException: Conversion = '{conv}'")
    if conv.isupper():
        text = text.upper()
    if len(text) < width:
        if "-" in flags:
            text = text.ljust(width)
        elif "0" in flags and lower in "dxoefg":
            sign = text[0] if text[:1] in "+- " else ""
            text = sign + text[len(sign) :].rjust(width - len(sign), "0")
        else:
            text = text.rjust(width)
    return text


HELPERS: Mapping[str, Callable[[Any, Options], Any]] = types.MappingProxyType(
    {
        "capitalizeFirst": _string_helper(capitalize_first),
        "center": _string_helper(center),
        "cut": cut,
        "defaultIfEmpty": default_if_empty,
        "join": join,
        "ljust": _string_helper(ljust),
        "rjust": _string_helper(rjust),
        "substring": _string_helper(substring),
        "lower": _string_helper(lambda s, o: s.lower()),
        "upper": _string_helper(lambda s, o: s.upper()),
        "slugify": _string_helper(slugify),
        "stringFormat": _string_helper(string_format),
        "stripTags": _string_helper(strip_tags),
        "capitalize": _string_helper(capitalize),
        "abbreviate": _string_helper(abbreviate),
        "wordWrap": _string_helper(word_wrap),
        "replace": _string_helper(replace),
        "yesno": yesno,
    }
)
