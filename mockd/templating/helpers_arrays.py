"""Lists: `array`, `range`, `arrayAdd`, `arrayRemove`, `arrayJoin` (also a block), `pickRandom`."""

from __future__ import annotations

import secrets
import types
from collections.abc import Callable, Mapping
from typing import Any

from mockd.templating.options import HelperError, Options, RenderFailure, coerce_int
from mockd.templating.runtime import is_iterable
from mockd.templating.values import java_str, to_text

_RNG = secrets.SystemRandom()


def pick_random(ctx: Any, o: Options) -> Any:
    if ctx is None:
        raise HelperError("Must specify either a single list argument or a set of single value arguments.")
    values = list(ctx) if is_iterable(ctx) else [ctx, *o.params]
    count = o.hash.get("count")
    if isinstance(count, int) and not isinstance(count, bool) and count > 0:
        return _RNG.sample(values, min(count, len(values)))
    if not values:
        raise RenderFailure("java.lang.IllegalArgumentException: bound must be positive")
    return _RNG.choice(values)


# -- arrays ---------------------------------------------------------------------------------------


def range_(ctx: Any, o: Options) -> Any:
    lower = coerce_int(ctx) if o.has_context else None
    upper = coerce_int(o.param(0)) if o.params else None
    if lower is None or upper is None:
        raise HelperError("The range helper requires both lower and upper bounds as integer parameters")
    count = upper - lower + 1
    if count < 0:
        raise RenderFailure(f"java.lang.IllegalArgumentException: {count}")
    if count > o.state.config.max_range:
        raise HelperError(f"The range helper can produce at most {o.state.config.max_range} items")
    return list(range(lower, upper + 1))


def array(ctx: Any, o: Options) -> Any:
    if ctx is None or not o.has_context:
        return []
    return [ctx, *o.params]


def _position(o: Options) -> int | None:
    spec = o.hash.get("position", "end")
    text = java_str(spec)
    if text.lower() == "start":
        return 0
    if text.lower() == "end":
        return None
    if isinstance(spec, int) and not isinstance(spec, bool):
        return spec
    try:
        return int(text)
    except ValueError:
        raise HelperError("position must be 'start', 'end' or an integer") from None


_POSITION_RANGE = "position must be greater than or equal to 0 and less than or equal to the size of the list"


def _as_list(ctx: Any, name: str) -> list[Any]:
    if not isinstance(ctx, list | tuple) and not hasattr(ctx, "is_collection_empty"):
        raise RenderFailure(f"java.lang.ClassCastException: {name} needs a list, got {java_str(ctx)}")
    return list(ctx)


def array_add(ctx: Any, o: Options) -> Any:
    if ctx is None:
        return []
    items = _as_list(ctx, "arrayAdd")
    if not o.params:
        raise HelperError("Missing required parameter: additional value to add to list")
    position = _position(o)
    if position is None:
        items.append(o.params[0])
    elif 0 <= position <= len(items):
        items.insert(position, o.params[0])
    else:
        raise HelperError(_POSITION_RANGE)
    return items


def array_remove(ctx: Any, o: Options) -> Any:
    if ctx is None:
        raise RenderFailure("java.lang.NullPointerException: arrayRemove needs a list")
    items = _as_list(ctx, "arrayRemove")
    position = _position(o)
    if position is not None and not 0 <= position <= len(items):
        raise HelperError(_POSITION_RANGE)
    index = len(items) - 1 if position is None else position
    if not 0 <= index < len(items):
        raise RenderFailure(
            f"java.lang.IndexOutOfBoundsException: Index {index} out of bounds for length {len(items)}"
        )
    del items[index]
    return items


def array_join(ctx: Any, o: Options) -> Any:
    if not isinstance(ctx, str):
        raise HelperError("Separator parameter must be a String")
    first = o.param(0)
    if first is None:
        raise HelperError("The parameter must be list")
    items = list(first) if is_iterable(first) else list(o.params)
    if not items:
        return ""
    prefix, suffix = to_text(o.hash.get("prefix", "")), to_text(o.hash.get("suffix", ""))
    if o.block:
        pieces = []
        for item in items:
            o.state.tick()
            pieces.append(o.fn(item))
    else:
        if any(item is None for item in items):
            raise RenderFailure("java.lang.NullPointerException: arrayJoin item is null")
        pieces = [java_str(item) for item in items]
    return prefix + ctx.join(pieces) + suffix


HELPERS: Mapping[str, Callable[[Any, Options], Any]] = types.MappingProxyType(
    {
        "pickRandom": pick_random,
        "range": range_,
        "array": array,
        "arrayAdd": array_add,
        "arrayRemove": array_remove,
        "arrayJoin": array_join,
    }
)
