"""JSONPath the way WireMock's Jayway JsonPath reads it: `compile_jsonpath(expr).read(document)`.

Supported: `$` root (a path without `$`/`@` gets `$.` prepended, as Jayway does), `.name`, `['a']`,
`['a','b']` (a leaf merges into an object), `[0]`, `[-1]`, `[0,2]`, `[1:3]`, `*`, `..` deep scan,
filters `[?(...)]` with `@`/`$` paths, literals, `/regex/flags`, `== != === !== < <= > >= =~`, `in nin
subsetof anyof noneof contains all size empty exists`, `&& || !` and parentheses; trailing functions
`length() size() min() max() avg() sum() stddev() first() last() index(n) keys()`.

Jayway semantics kept: a *definite* path (only single names and indexes) yields one value and raises
`PathNotFound` when a step is missing; any other path yields a list of every hit (possibly empty). A
filter on an object tests the object itself. In a filter a missing path is "undefined": `==` is false,
`!=` and `nin` are true. Numbers compare by value; a number equals a string holding it.

Documents are what `mockd.jsontext.loads` returns (dict, list, str, int, Decimal, bool, None).
`JsonPathError` (a ValueError) is raised at compile time for a malformed expression.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from mockd.matching.jsonpath_syntax import (
    And,
    Expr,
    Filter,
    Function,
    Index,
    JsonPathError,
    Literal,
    Not,
    Operand,
    Or,
    Path,
    PathOperand,
    Prop,
    Regex,
    Slice,
    Token,
    Wildcard,
    parse_jsonpath,
)

__all__ = ["UNDEFINED", "JsonPath", "JsonPathError", "PathNotFound", "compile_jsonpath", "is_number"]


class PathNotFound(Exception):
    """A definite path has no value in this document (Jayway's PathNotFoundException)."""


class _Undefined:
    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Any = _Undefined()


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _decimal(value: Any) -> Decimal | None:
    try:
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value)) if math.isfinite(value) else None
        if isinstance(value, str):
            return (
                Decimal(value.strip())
                if re.fullmatch(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*", value)
                else None
            )
    except (InvalidOperation, ValueError):
        return None
    return None


@dataclass(frozen=True)
class JsonPath:
    """A compiled JSONPath. `read(document)`: the value (definite path) or the list of hits."""

    path: Path

    @property
    def source(self) -> str:
        return self.path.source

    @property
    def definite(self) -> bool:
        return self.path.definite

    def read(self, document: Any) -> Any:
        """PathNotFound when a definite path is missing, or when a trailing function cannot apply."""
        return read_path(self.path, document, document)


def read_path(path: Path, document: Any, root: Any) -> Any:
    if path.definite:
        value = document
        for token in path.tokens:
            value = _definite_step(token, value)
    else:
        nodes = [document]
        last = len(path.tokens) - 1
        for i, token in enumerate(path.tokens):
            nxt: list[Any] = []
            for node in nodes:
                nxt.extend(_step(token, node, root, i == last))
            nodes = nxt
        value = nodes
    if path.function is not None:
        return _apply_function(path.function, value)
    return value


def _definite_step(token: Token, node: Any) -> Any:
    if isinstance(token, Prop):
        if not isinstance(node, dict):
            raise PathNotFound(f"expected an object with property {token.names[0]!r}")
        if len(token.names) > 1:
            return {name: node[name] for name in token.names if name in node}
        if token.names[0] not in node:
            raise PathNotFound(f"no property {token.names[0]!r}")
        return node[token.names[0]]
    if isinstance(token, Index) and isinstance(node, list):
        index = token.indexes[0]
        if -len(node) <= index < len(node):
            return node[index]
    raise PathNotFound("index out of range or not an array")


def _step(token: Token, node: Any, root: Any, leaf: bool) -> Iterator[Any]:
    if isinstance(token, Prop):
        if isinstance(node, dict):
            if len(token.names) > 1 and leaf:
                yield {name: node[name] for name in token.names if name in node}
            else:
                yield from (node[name] for name in token.names if name in node)
    elif isinstance(token, Index):
        if isinstance(node, list):
            yield from (node[i] for i in token.indexes if -len(node) <= i < len(node))
    elif isinstance(token, Slice):
        if isinstance(node, list):
            yield from node[slice(token.start, token.end)]
    elif isinstance(token, Wildcard):
        if isinstance(node, dict):
            yield from node.values()
        elif isinstance(node, list):
            yield from node
    elif isinstance(token, Filter):
        if isinstance(node, list):
            yield from (item for item in node if _test(token.predicate, item, root))
        elif isinstance(node, dict) and _test(token.predicate, node, root):
            yield node
    else:
        yield from _scan(token.inner, node, root, leaf)


def _descendants(node: Any) -> Iterator[Any]:
    """Pre-order walk, the node itself first; iterative so deep documents cannot overflow the stack."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, dict):
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))


def _scan(inner: Token, node: Any, root: Any, leaf: bool) -> Iterator[Any]:
    if isinstance(inner, Wildcard):
        first = True
        for item in _descendants(node):
            if not first:
                yield item
            first = False
        return
    for item in _descendants(node):
        if isinstance(inner, Filter):
            if isinstance(item, dict) and _test(inner.predicate, item, root):
                yield item
        else:
            yield from _step(inner, item, root, leaf)


def _numbers(value: Any) -> list[float]:
    if not isinstance(value, list):
        raise PathNotFound("aggregation needs an array")
    out = [float(v) for v in value if is_number(v)]
    if not out:
        raise PathNotFound("Aggregation function attempted to calculate value using empty array")
    return out


def _apply_function(fn: Function, value: Any) -> Any:
    name = fn.name
    if name in ("length", "size"):
        if isinstance(value, list | dict):
            return len(value)
        raise PathNotFound(f"{name}() needs an array or an object")
    if name in ("first", "last", "index"):
        if not isinstance(value, list) or not value:
            raise PathNotFound(f"{name}() needs a non-empty array")
        index = 0 if name == "first" else -1 if name == "last" else int(fn.args[0])
        if not -len(value) <= index < len(value):
            raise PathNotFound("index out of range")
        return value[index]
    if name == "keys":
        if not isinstance(value, dict):
            raise PathNotFound("keys() needs an object")
        return tuple(value)
    numbers = _numbers(value)
    if name == "min":
        return min(numbers)
    if name == "max":
        return max(numbers)
    if name == "sum":
        return math.fsum(numbers)
    mean = math.fsum(numbers) / len(numbers)
    if name == "avg":
        return mean
    return math.sqrt(math.fsum((n - mean) ** 2 for n in numbers) / len(numbers))


# -- filter evaluation -------------------------------------------------------------------------------


def _operand_value(operand: Operand, current: Any, root: Any) -> Any:
    if isinstance(operand, Literal):
        return operand.value
    if isinstance(operand, Regex):
        return operand
    try:
        return read_path(operand.path, current if operand.relative else root, root)
    except PathNotFound:
        return UNDEFINED


def _test(expr: Expr, current: Any, root: Any) -> bool:
    if isinstance(expr, Or):
        return any(_test(p, current, root) for p in expr.parts)
    if isinstance(expr, And):
        return all(_test(p, current, root) for p in expr.parts)
    if isinstance(expr, Not):
        return not _test(expr.inner, current, root)
    left = _operand_value(expr.left, current, root)
    if expr.op is None:
        if isinstance(expr.left, PathOperand):
            if expr.left.path.definite or expr.left.path.function is not None:
                return left is not UNDEFINED
            return bool(left)
        return left is True
    assert expr.right is not None
    right = _operand_value(expr.right, current, root)
    return _OPS[expr.op](left, right)


def _eq(a: Any, b: Any) -> bool:
    if a is UNDEFINED or b is UNDEFINED or isinstance(a, Regex) or isinstance(b, Regex):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) or is_number(b):
        da, db = _decimal(a), _decimal(b)
        if (is_number(a) or isinstance(a, str)) and (is_number(b) or isinstance(b, str)):
            return da is not None and db is not None and da == db
        return False
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_eq(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_eq(v, b[k]) for k, v in a.items())
    return type(a) is type(b) and bool(a == b)


def _strict_eq(a: Any, b: Any) -> bool:
    if is_number(a) and is_number(b):
        return _eq(a, b)
    return type(a) is type(b) and _eq(a, b)


def _order(a: Any, b: Any) -> int | None:
    if is_number(a) and is_number(b):
        da, db = _decimal(a), _decimal(b)
        if da is None or db is None:
            return None
        return (da > db) - (da < db)
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    return None


def _java_text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)


def _regex_match(left: Any, right: Any) -> bool:
    if not isinstance(right, Regex) or left is UNDEFINED:
        return False
    if isinstance(left, list):
        return any(_regex_match(item, right) for item in left)
    return right.regex.fullmatch(left if isinstance(left, str) else _java_text(left)) is not None


def _contains(container: Any, item: Any) -> bool:
    return isinstance(container, list) and any(_eq(x, item) for x in container)


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, list | str) else None


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": _eq,
    "!=": lambda a, b: not _eq(a, b),
    "===": _strict_eq,
    "!==": lambda a, b: not _strict_eq(a, b),
    "<": lambda a, b: (_order(a, b) or 0) < 0,
    "<=": lambda a, b: (o := _order(a, b)) is not None and o <= 0,
    ">": lambda a, b: (_order(a, b) or 0) > 0,
    ">=": lambda a, b: (o := _order(a, b)) is not None and o >= 0,
    "=~": _regex_match,
    "in": lambda a, b: a is not UNDEFINED and _contains(b, a),
    "nin": lambda a, b: not (a is not UNDEFINED and _contains(b, a)),
    "contains": lambda a, b: (isinstance(a, str) and isinstance(b, str) and b in a) or _contains(a, b),
    "all": lambda a, b: isinstance(a, list) and isinstance(b, list) and all(_contains(a, x) for x in b),
    "subsetof": lambda a, b: isinstance(a, list) and isinstance(b, list) and all(_contains(b, x) for x in a),
    "anyof": lambda a, b: isinstance(a, list) and isinstance(b, list) and any(_contains(b, x) for x in a),
    "noneof": lambda a, b: (
        isinstance(a, list) and isinstance(b, list) and not any(_contains(b, x) for x in a)
    ),
    "size": lambda a, b: _length(a) is not None and is_number(b) and _decimal(b) == _length(a),
    "empty": lambda a, b: _length(a) is not None and isinstance(b, bool) and (_length(a) == 0) == b,
    "exists": lambda a, b: isinstance(b, bool) and (a is not UNDEFINED) == b,
}


@lru_cache(maxsize=1024)
def compile_jsonpath(expression: str) -> JsonPath:
    """Compile a Jayway-style JSONPath; JsonPathError when it does not parse."""
    return JsonPath(parse_jsonpath(expression))
