"""Handlebars.java's built-in block helpers and the jknack ConditionalHelpers, NumberHelper, assign.

`if`, `unless`, `each`, `with`, `lookup`, `log`, `assign`, `eq`, `neq`, `gt`, `gte`, `lt`, `lte`, `and`,
`or`, `not`, `isEven`, `isOdd`, `stripes`.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

from mockd.templating.options import Options
from mockd.templating.runtime import is_iterable
from mockd.templating.values import is_empty, is_number, iter_items, java_compare, java_equals, to_text


def if_(ctx: Any, o: Options) -> Any:
    return o.inverse() if is_empty(ctx) else o.fn()


def unless(ctx: Any, o: Options) -> Any:
    return o.fn() if is_empty(ctx) else o.inverse()


def with_(ctx: Any, o: Options) -> Any:
    return o.inverse(ctx) if is_empty(ctx) else o.fn(ctx)


def each(ctx: Any, o: Options) -> Any:
    out: list[str] = []
    if is_iterable(ctx):
        items = list(ctx)
        base = o.opt("base", 0)
        base = base if isinstance(base, int) else 0
        for pos, item in enumerate(items):
            o.state.tick()
            index = base + pos
            even = index % 2 == 0
            data = {
                "@key": index,
                "@index": index,
                "@first": "first" if pos == 0 else "",
                "@last": "last" if pos == len(items) - 1 else "",
                "@odd": "" if even else "odd",
                "@even": "even" if even else "",
                "@index_1": index + 1,
            }
            out.append(o.fn(item, (item, index), data))
        if not items:
            out.append(o.inverse())
        return "".join(out)
    if ctx is None:
        return o.inverse()
    entries = list(iter_items(ctx))
    for pos, (key, value) in enumerate(entries):
        o.state.tick()
        data = {
            "@key": key,
            "@index": pos,
            "@first": "first" if pos == 0 else "",
            "@last": "last" if pos == len(entries) - 1 else "",
        }
        out.append(o.fn(value, (value, key), data))
    if not entries:
        out.append(o.inverse())
    return "".join(out)


def lookup(ctx: Any, o: Options) -> Any:
    """`lookup obj key`: the key is a path in a child context holding obj; not found gives obj back."""
    if ctx is None:
        return None
    if not o.params:
        return ctx
    found = o.state.lookup(o.scope, ctx, to_text(o.params[0]))
    return ctx if found is None else found


def log(ctx: Any, o: Options) -> Any:
    return None


def assign(ctx: Any, o: Options) -> Any:
    """`{{#assign 'name'}}...{{/assign}}`: the trimmed block text becomes a variable."""
    o.assign(ctx, o.fn().strip())
    return None


def _result(o: Options, result: bool) -> Any:
    if o.block:
        return o.fn() if result else o.inverse()
    return o.opt("yes", True) if result else o.opt("no", False)


def eq(ctx: Any, o: Options) -> Any:
    return _result(o, java_equals(ctx, o.param(0)))


def neq(ctx: Any, o: Options) -> Any:
    return _result(o, not java_equals(ctx, o.param(0)))


def _comparison(test: Callable[[int], bool]) -> Callable[[Any, Options], Any]:
    def helper(ctx: Any, o: Options) -> Any:
        return _result(o, test(java_compare(ctx, o.param(0))))

    return helper


def and_(ctx: Any, o: Options) -> Any:
    return _result(o, not is_empty(ctx) and all(not is_empty(p) for p in o.params))


def or_(ctx: Any, o: Options) -> Any:
    return _result(o, not is_empty(ctx) or any(not is_empty(p) for p in o.params))


def not_(ctx: Any, o: Options) -> Any:
    return _result(o, is_empty(ctx))


def _even(value: Any) -> bool:
    return int(value) % 2 == 0


def is_even(ctx: Any, o: Options) -> Any:
    if not is_number(ctx):
        return None
    return o.param(0, "even") if _even(ctx) else None


def is_odd(ctx: Any, o: Options) -> Any:
    if not is_number(ctx):
        return None
    return None if _even(ctx) else o.param(0, "odd")


def stripes(ctx: Any, o: Options) -> Any:
    if not is_number(ctx):
        return None
    return o.param(0, "even") if _even(ctx) else o.param(1, "odd")


HELPERS: Mapping[str, Callable[[Any, Options], Any]] = types.MappingProxyType(
    {
        "if": if_,
        "unless": unless,
        "with": with_,
        "each": each,
        "lookup": lookup,
        "log": log,
        "assign": assign,
        "eq": eq,
        "neq": neq,
        "gt": _comparison(lambda c: c > 0),
        "gte": _comparison(lambda c: c >= 0),
        "lt": _comparison(lambda c: c < 0),
        "lte": _comparison(lambda c: c <= 0),
        "and": and_,
        "or": or_,
        "not": not_,
        "isEven": is_even,
        "isOdd": is_odd,
        "stripes": stripes,
    }
)
