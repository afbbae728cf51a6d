"""`numberFormat`: java.text.NumberFormat / DecimalFormat, for the JVM default locale `en` and a few others.

Styles `integer`, `currency`, `percent` (and the default) or a DecimalFormat pattern (`#,##0.00`,
`000.#`, `0.0;(0.0)`, `%`, `‰`, `¤`), plus the hash options of jknack's helper. Doubles are rounded from
their exact binary value, as Java does (`1.005` with `0.00` gives `1.00`).
"""

from __future__ import annotations

import decimal
import types
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from mockd.templating.options import Options, RenderFailure
from mockd.templating.values import is_number, java_str, to_text

_SYMBOLS = types.MappingProxyType(
    {  # locale -> (grouping, decimal, currency prefix, currency suffix, percent suffix)
        "en": (",", ".", "¤", "", "%"),
        "en_US": (",", ".", "$", "", "%"),
        "en_GB": (",", ".", "£", "", "%"),
        "de": (".", ",", "", "\u00a0¤", "\u00a0%"),
        "de_DE": (".", ",", "", "\u00a0€", "\u00a0%"),
        "fr": ("\u202f", ",", "", "\u00a0¤", "\u00a0%"),
        "fr_FR": ("\u202f", ",", "", "\u00a0€", "\u00a0%"),
        "es": (".", ",", "", "\u00a0¤", "\u00a0%"),
        "es_ES": (".", ",", "", "\u00a0€", "\u00a0%"),
        "it": (".", ",", "", "\u00a0¤", "%"),
        "it_IT": (".", ",", "", "\u00a0€", "%"),
    }
)
_ROUNDING = types.MappingProxyType(
    {
        "UP": decimal.ROUND_UP,
        "DOWN": decimal.ROUND_DOWN,
        "CEILING": decimal.ROUND_CEILING,
        "FLOOR": decimal.ROUND_FLOOR,
        "HALF_UP": decimal.ROUND_HALF_UP,
        "HALF_DOWN": decimal.ROUND_HALF_DOWN,
        "HALF_EVEN": decimal.ROUND_HALF_EVEN,
        "UNNECESSARY": decimal.ROUND_HALF_EVEN,
    }
)


@dataclass(frozen=True)
class Format:
    prefix: str = ""
    suffix: str = ""
    neg_prefix: str | None = None
    neg_suffix: str | None = None
    min_int: int = 1
    max_int: int = 2_000_000_000
    min_frac: int = 0
    max_frac: int = 3
    grouping: int = 3
    grouping_used: bool = True
    multiplier: int = 1
    rounding: str = decimal.ROUND_HALF_EVEN


def _locale(name: str | None) -> tuple[str, str, str, str, str]:
    if not name:
        return _SYMBOLS["en"]
    name = name.replace("-", "_")
    return _SYMBOLS.get(name) or _SYMBOLS.get(name.split("_")[0]) or _SYMBOLS["en"]


def _affix(text: str, currency: str) -> tuple[str, int]:
    out: list[str] = []
    multiplier = 1
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            if i + 1 < len(text) and text[i + 1] == "'":
                out.append("'")
                i += 2
                continue
            quoted = not quoted
        elif quoted:
            out.append(ch)
        elif ch == "%":
            multiplier = 100
            out.append("%")
        elif ch == "\u2030":
            multiplier = 1000
            out.append(ch)
        elif ch == "\u00a4":
            out.append(currency)
        else:
            out.append(ch)
        i += 1
    return "".join(out), multiplier


def _split_pattern(pattern: str) -> tuple[str, str, str]:
    """(prefix, number part, suffix) of one subpattern."""
    quoted = False
    start = end = None
    for i, ch in enumerate(pattern):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "#0,.":
            if start is None:
                start = i
            end = i + 1
        elif not quoted and start is not None and ch not in "#0,.E":
            break
    if start is None or end is None:
        raise RenderFailure(f'java.lang.IllegalArgumentException: Malformed pattern "{pattern}"')
    return pattern[:start], pattern[start:end], pattern[end:]


def parse_pattern(pattern: str, currency: str) -> Format:
    positive, _, negative = pattern.partition(";")
    prefix_raw, number, suffix_raw = _split_pattern(positive)
    prefix, m1 = _affix(prefix_raw, currency)
    suffix, m2 = _affix(suffix_raw, currency)
    integer, _, fraction = number.partition(".")
    digits = integer.replace(",", "")
    grouping = len(integer) - integer.rfind(",") - 1 if "," in integer else 0
    min_int = digits.count("0")
    if min_int == 0 and "#" in digits and "." in number:
        min_int = 1  # DecimalFormat.applyPattern turns "#.##" into "0.##"
    fmt = Format(
        prefix=prefix,
        suffix=suffix,
        min_int=min_int,
        min_frac=fraction.count("0"),
        max_frac=fraction.count("0") + fraction.count("#"),
        grouping=grouping,
        grouping_used=grouping > 0,
        multiplier=max(m1, m2),
    )
    if negative:
        neg_prefix_raw, _, neg_suffix_raw = _split_pattern(negative)
        fmt = replace(
            fmt,
            neg_prefix=_affix(neg_prefix_raw, currency)[0],
            neg_suffix=_affix(neg_suffix_raw, currency)[0],
        )
    return fmt


def format_number(value: Decimal, fmt: Format, grouping_sep: str, decimal_sep: str) -> str:
    negative = value.is_signed()
    scaled = value * fmt.multiplier
    with decimal.localcontext(decimal.Context(prec=1000, Emax=100_000, Emin=-100_000)):
        rounded = abs(scaled.quantize(Decimal(1).scaleb(-fmt.max_frac), rounding=fmt.rounding))
    text = f"{rounded:f}"
    integer, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) < fmt.min_frac:
        fraction = fraction.ljust(fmt.min_frac, "0")
    integer = integer.lstrip("0")
    if len(integer) > fmt.max_int:
        integer = integer[len(integer) - fmt.max_int :]
    integer = integer.rjust(fmt.min_int, "0")
    if fmt.grouping_used and fmt.grouping > 0 and len(integer) > fmt.grouping:
        groups: list[str] = []
        while len(integer) > fmt.grouping:
            groups.insert(0, integer[-fmt.grouping :])
            integer = integer[: -fmt.grouping]
        integer = grouping_sep.join([integer, *groups])
    body = integer + (decimal_sep + fraction if fraction else "")
    if not body:
        body = "0"
    if negative:
        if fmt.neg_prefix is not None:
            return fmt.neg_prefix + body + (fmt.neg_suffix or "")
        return "-" + fmt.prefix + body + fmt.suffix
    return fmt.prefix + body + fmt.suffix


def _option_int(o: Options, key: str) -> int | None:
    value = o.hash.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RenderFailure(f"java.lang.ClassCastException: {key} must be an integer")
    return max(value, 0)


def number_format(ctx: Any, o: Options) -> Any:
    if not is_number(ctx):
        first = o.param(0)
        return None if first is None else to_text(first)
    style = o.param(0)
    locale = to_text(o.param(1)) if o.param(1) is not None else None
    grouping_sep, decimal_sep, cur_prefix, cur_suffix, percent = _locale(locale)
    if style is None:
        fmt = Format()
    elif not isinstance(style, str):
        raise RenderFailure(f"found '{java_str(style)}', expected 'string'")
    else:
        key = style.strip().upper()
        if key == "INTEGER":
            fmt = Format(max_frac=0)
        elif key == "PERCENT":
            fmt = Format(max_frac=0, multiplier=100, suffix=percent)
        elif key == "CURRENCY":
            fmt = Format(prefix=cur_prefix, suffix=cur_suffix, min_frac=2, max_frac=2)
        elif key == "DEFAULT":
            fmt = Format()
        else:
            fmt = parse_pattern(style, cur_prefix or cur_suffix.strip())
    grouping_used = o.hash.get("groupingUsed")
    if isinstance(grouping_used, bool):
        fmt = replace(fmt, grouping_used=grouping_used and fmt.grouping > 0)
    value = _option_int(o, "maximumFractionDigits")
    if value is not None:
        fmt = replace(fmt, max_frac=value, min_frac=min(fmt.min_frac, value))
    value = _option_int(o, "maximumIntegerDigits")
    if value is not None:
        fmt = replace(fmt, max_int=value, min_int=min(fmt.min_int, value))
    value = _option_int(o, "minimumFractionDigits")
    if value is not None:
        fmt = replace(fmt, min_frac=value, max_frac=max(fmt.max_frac, value))
    value = _option_int(o, "minimumIntegerDigits")
    if value is not None:
        fmt = replace(fmt, min_int=value, max_int=max(fmt.max_int, value))
    mode = o.hash.get("roundingMode")
    if mode is not None:
        name = to_text(mode).upper().strip()
        if name not in _ROUNDING:
            raise RenderFailure(
                f"java.lang.IllegalArgumentException: No enum constant java.math.RoundingMode.{name}"
            )
        fmt = replace(fmt, rounding=_ROUNDING[name])
    if fmt.max_frac > 340 or fmt.min_int > 10_000:
        raise RenderFailure("numberFormat: too many digits")
    number = Decimal(ctx) if not isinstance(ctx, Decimal) else ctx
    if not number.is_finite():
        return "\u221e" if number > 0 else "-\u221e" if number < 0 else "NaN"
    return format_number(number, fmt, grouping_sep, decimal_sep)
