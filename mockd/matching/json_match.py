"""JSON content operators: `equalToJson` and `matchesJsonPath` (spec §2.3).

equalToJson follows JsonUnit as WireMock configures it: numbers by value, `true` is not `1`, key order
ignored, `ignoreArrayOrder`, `ignoreExtraElements` (extra fields and extra array items), and the
`${json-unit.*}` placeholders. Its distance is WireMock's: the differences, each weighted by the size
of the larger differing subtree, over the node count of the larger document.

matchesJsonPath renders results the way WireMock's Jayway (json-smart) provider does: numbers with a
fraction or exponent become Java doubles (`1.10` -> `1.1`, `1e2` -> `100.0`), a map becomes Jackson's
pretty JSON, the items of a list become strings one by one (a map item as Java's `{k=v}`, a list item
as compact JSON).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from mockd.errors import InvalidInput, Location, MockdError
from mockd.jsontext import dumps_compact, dumps_pretty, java_double, loads
from mockd.matching.jsonpath import JsonPath, JsonPathError, PathNotFound, compile_jsonpath, is_number
from mockd.matching.regex import compile_regex
from mockd.matching.result import EXACT, NO_MATCH, MatchResult, best
from mockd.matching.values import Absent, PatternParser, StringPattern

__all__ = [
    "NOT_JSON",
    "EqualToJson",
    "MatchesJsonPath",
    "operand_json",
    "parse_equal_to_json",
    "parse_json_body",
    "parse_matches_json_path",
]


class _NotJson:
    pass


NOT_JSON: Any = _NotJson()
MISSING: Any = object()  # "no node here", unlike JSON null


@lru_cache(maxsize=16)
def parse_json_body(text: str | None) -> Any:
    """The JSON value of a body (cached: one body meets many patterns), or NOT_JSON."""
    if text is None or not text.strip():
        return NOT_JSON
    try:
        return loads(text)
    except (MockdError, ValueError, RecursionError, ImportError):
        return NOT_JSON


def operand_json(obj: Mapping[str, Any], key: str, pointer: str) -> Any:
    """A JSON value, or a string holding JSON (InvalidInput when it does not parse)."""
    operand = obj.get(key)
    if not isinstance(operand, str):
        return operand
    try:
        return loads(operand)
    except MockdError as exc:
        raise InvalidInput(
            f"{key} operand is not valid JSON: {exc.detail}", Location(pointer=pointer)
        ) from None
    except (ValueError, RecursionError, ImportError) as exc:
        raise InvalidInput(f"{key} operand is not valid JSON: {exc}", Location(pointer=pointer)) from None


def _optional_bool(obj: Mapping[str, Any], key: str, pointer: str) -> bool | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise InvalidInput(f"{key} must be true or false", Location(pointer=f"{pointer}/{key}"))
    return value


# -- Java-style rendering of JSON values -------------------------------------------------------------


def _number_text(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    return java_double(float(value))


def _as_doubles(value: Any) -> Any:
    """Decimals -> the Decimal of their Java double text (what json-smart would have read)."""
    if isinstance(value, Decimal | float):
        try:
            return Decimal(java_double(float(value)).replace("E", "e"))
        except (ArithmeticError, ValueError):
            return value
    if isinstance(value, dict):
        return {k: _as_doubles(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_doubles(v) for v in value]
    return value


def _smart_json(value: Any) -> str:
    """json-smart's JSONArray.toString: compact JSON, '/' escaped, doubles the Java way."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_smart_json(str(k))}:{_smart_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_smart_json(v) for v in value) + "]"
    if isinstance(value, str):
        return dumps_compact(value).replace("/", "\\/")
    return _java_text(value)


def _java_text(value: Any) -> str:
    """Java's toString of what Jayway returns: LinkedHashMap `{k=v}`, JSONArray JSON, Double text."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if is_number(value):
        return _number_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_java_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return _smart_json(value)
    return str(value)


# -- equalToJson -------------------------------------------------------------------------------------

_IGNORE = frozenset({"${json-unit.ignore}", "#{json-unit.ignore}", "${json-unit.ignore-element}"})
_REGEX_PREFIX = "${json-unit.regex}"
_TYPE_PLACEHOLDERS: dict[str, Callable[[Any], bool]] = {
    "${json-unit.any-string}": lambda a: isinstance(a, str),
    "${json-unit.any-number}": is_number,
    "${json-unit.any-boolean}": lambda a: isinstance(a, bool),
}
_MAX_PAIRS = 250_000  # ignoreArrayOrder: beyond this many element pairs, match greedily


def _is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and (
        value in _IGNORE
        or value in _TYPE_PLACEHOLDERS
        or value.startswith(_REGEX_PREFIX)
        or value.startswith("${json-unit.matches:")
    )


def _has_placeholders(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif _is_placeholder(node):
            return True
    return False


def deep_size(node: Any) -> int:
    """WireMock's Json.deepSize: 1 per node, plus 1 per child, plus the children's own sizes."""
    if node is MISSING:
        return 0
    if not isinstance(node, dict | list):
        return 1
    children = node.values() if isinstance(node, dict) else node
    total = 1
    for child in children:
        total += 1
        if isinstance(child, dict | list):
            total += deep_size(child)
    return total


def _weight(expected: Any, actual: Any) -> int:
    return max(deep_size(expected), deep_size(actual)) or 1


def _canonical(value: Any, unordered: bool) -> Any:
    if isinstance(value, bool) or value is None:
        return ("b", value)
    if is_number(value):
        return ("n", Decimal(repr(value)) if isinstance(value, float) else value)
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, dict):
        return ("o", tuple(sorted((k, _canonical(v, unordered)) for k, v in value.items())))
    items = [_canonical(v, unordered) for v in value]
    return ("a", tuple(sorted(items, key=repr)) if unordered else tuple(items))


@dataclass(frozen=True)
class _JsonDiff:
    ignore_order: bool
    ignore_extra: bool

    def diff(self, e: Any, a: Any) -> int:
        """0 when `a` satisfies `e`, else the weight of the differences."""
        if isinstance(e, str) and _is_placeholder(e):
            return 0 if self._placeholder(e, a) else _weight(e, a)
        if isinstance(e, dict):
            if not isinstance(a, dict):
                return _weight(e, a)
            total = sum(self.diff(v, a[k]) if k in a else _weight(v, MISSING) for k, v in e.items())
            if not self.ignore_extra:
                total += sum(_weight(MISSING, v) for k, v in a.items() if k not in e)
            return total
        if isinstance(e, list):
            if not isinstance(a, list):
                return _weight(e, a)
            if self.ignore_order:
                return self._unordered(e, a)
            if len(a) < len(e) or (len(a) > len(e) and not self.ignore_extra):
                common = min(len(e), len(a))
                rest = sum(_weight(v, MISSING) for v in e[common:]) + sum(
                    _weight(MISSING, v) for v in a[common:]
                )
                return rest + sum(self.diff(x, y) for x, y in zip(e[:common], a[:common]))
            return sum(self.diff(x, y) for x, y in zip(e, a))
        return 0 if _scalar_equal(e, a) else _weight(e, a)

    def _placeholder(self, e: str, a: Any) -> bool:
        if a is MISSING:
            return False
        if e in _IGNORE:
            return True
        check = _TYPE_PLACEHOLDERS.get(e)
        if check is not None:
            return bool(check(a))
        if e.startswith(_REGEX_PREFIX):
            regex = compile_regex(e[len(_REGEX_PREFIX) :], dotall=False)
            return isinstance(a, str) and regex.fullmatch(a) is not None
        return False  # ${json-unit.matches:...}: WireMock registers no matchers

    def _unordered(self, e: list[Any], a: list[Any]) -> int:
        if len(a) < len(e) or (len(a) > len(e) and not self.ignore_extra):
            return sum(_weight(v, MISSING) for v in e) + sum(_weight(MISSING, v) for v in a)
        scalars = all(not isinstance(v, dict | list) for v in e)
        if (scalars or not self.ignore_extra) and not _has_placeholders(e):
            # equality of canonical forms decides (for scalars, "contains" is equality too)
            wanted = Counter(_canonical(v, True) for v in e)
            got = Counter(_canonical(v, True) for v in a)
            if wanted == got or (self.ignore_extra and wanted <= got):
                return 0
            extra = 0 if self.ignore_extra else sum((got - wanted).values())
            return max(1, sum((wanted - got).values()) + extra)
        matched = self._bipartite(e, a)
        unmatched = [v for i, v in enumerate(e) if i not in matched]
        return sum(_weight(v, MISSING) for v in unmatched)

    def _bipartite(self, e: list[Any], a: list[Any]) -> dict[int, int]:
        """Expected index -> actual index, as many as possible (Kuhn's augmenting paths)."""
        cache: dict[tuple[int, int], bool] = {}

        def fits(i: int, j: int) -> bool:
            key = (i, j)
            if key not in cache:
                cache[key] = self.diff(e[i], a[j]) == 0
            return cache[key]

        owner: dict[int, int] = {}  # actual -> expected
        if len(e) * len(a) > _MAX_PAIRS:
            for i in range(len(e)):
                for j in range(len(a)):
                    if j not in owner and fits(i, j):
                        owner[j] = i
                        break
            return {i: j for j, i in owner.items()}

        def augment(i: int, seen: set[int]) -> bool:
            for j in range(len(a)):
                if j in seen or not fits(i, j):
                    continue
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
            return False

        for i in range(len(e)):
            augment(i, set())
        return {i: j for j, i in owner.items()}


def _scalar_equal(e: Any, a: Any) -> bool:
    if e is None or isinstance(e, bool):
        return a is e
    if is_number(e):
        if not is_number(a):
            return False
        try:
            return Decimal(repr(e) if isinstance(e, float) else e) == Decimal(
                repr(a) if isinstance(a, float) else a
            )
        except ArithmeticError:
            return False
    return isinstance(a, str) and a == e


@dataclass(frozen=True, eq=False)
class EqualToJson(StringPattern):
    value: Any  # the expected document
    source: Any  # the operand as written: a JSON string or a JSON value
    ignore_array_order: bool | None = None
    ignore_extra_elements: bool | None = None
    operator = "equalToJson"

    def match(self, value: str | None) -> MatchResult:
        actual = parse_json_body(value)
        if actual is NOT_JSON:
            return NO_MATCH
        try:
            differ = _JsonDiff(bool(self.ignore_array_order), bool(self.ignore_extra_elements))
            weight = differ.diff(self.value, actual)
            if weight == 0:
                return EXACT
            return MatchResult.partial(weight / max(deep_size(self.value), deep_size(actual), 1))
        except (RecursionError, ArithmeticError, ValueError):
            return NO_MATCH

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"equalToJson": self.source}
        if self.ignore_array_order is not None:
            out["ignoreArrayOrder"] = self.ignore_array_order
        if self.ignore_extra_elements is not None:
            out["ignoreExtraElements"] = self.ignore_extra_elements
        return out

    @property
    def expected(self) -> str:
        try:
            return dumps_pretty(self.value)
        except ValueError:
            return str(self.source)


def _check_regex_placeholders(value: Any, pointer: str) -> None:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and node.startswith(_REGEX_PREFIX):
            try:
                compile_regex(node[len(_REGEX_PREFIX) :], dotall=False)
            except InvalidInput as exc:
                raise exc.at(pointer) from None


def parse_equal_to_json(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    value = operand_json(obj, "equalToJson", pointer)
    _check_regex_placeholders(value, pointer)
    return EqualToJson(
        value,
        obj.get("equalToJson"),
        _optional_bool(obj, "ignoreArrayOrder", pointer),
        _optional_bool(obj, "ignoreExtraElements", pointer),
    )


# -- matchesJsonPath ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MatchesJsonPath(StringPattern):
    expression: str
    path: JsonPath = field(repr=False)
    sub: StringPattern | None = None
    operator = "matchesJsonPath"

    def _read(self, value: str | None) -> Any:
        """The Jayway result, or MISSING when the document or the path has nothing."""
        document = parse_json_body(value)
        if document is NOT_JSON:
            return MISSING
        try:
            return self.path.read(document)
        except (PathNotFound, RecursionError, ArithmeticError, ValueError, TypeError):
            return MISSING

    def match(self, value: str | None) -> MatchResult:
        if value is not None and value.strip().startswith("<"):
            return NO_MATCH  # WireMock: XML, not JSON
        result = self._read(value)
        if self.sub is None:
            if isinstance(result, list | tuple | dict):
                return MatchResult.of(len(result) > 0)
            return MatchResult.of(result is not MISSING and result is not None)
        candidates = self._candidates(result)
        if not candidates and isinstance(self.sub, Absent):
            candidates = [None]
        sub = self.sub
        return best(sub.match(candidate) for candidate in candidates)

    def _candidates(self, result: Any) -> list[str | None]:
        if isinstance(result, dict) or (isinstance(result, list) and isinstance(self.sub, EqualToJson)):
            try:
                return [dumps_pretty(_as_doubles(result))]
            except ValueError:
                return []
        if isinstance(result, list):
            return [None if item is None else _java_text(item) for item in result]
        if isinstance(result, str | bool) or is_number(result):
            return [_java_text(result)]
        return []

    def to_json(self) -> dict[str, Any]:
        if self.sub is None:
            return {"matchesJsonPath": self.expression}
        return {"matchesJsonPath": {"expression": self.expression, **self.sub.to_json()}}

    @property
    def expected(self) -> str:
        return self.expression if self.sub is None else f"{self.expression} {self.sub.expected}"


def _compile_path(expression: str, pointer: str) -> JsonPath:
    try:
        return compile_jsonpath(expression)
    except JsonPathError as exc:
        raise InvalidInput(str(exc), Location(pointer=pointer)) from None


def parse_matches_json_path(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    operand = obj.get("matchesJsonPath")
    if isinstance(operand, str):
        return MatchesJsonPath(operand, _compile_path(operand, pointer))
    if not isinstance(operand, Mapping):
        raise InvalidInput(
            'matchesJsonPath operand must be a JSON path string or {"expression": "$.x", <match operation>}',
            Location(pointer=pointer),
        )
    expression = operand.get("expression")
    where = f"{pointer}/matchesJsonPath"
    if not isinstance(expression, str):
        raise InvalidInput(
            "expression is required in the advanced matchesJsonPath form",
            Location(pointer=f"{where}/expression"),
        )
    path = _compile_path(expression, f"{where}/expression")
    inner = sub(operand, where)
    if inner.operator == "binaryEqualTo":
        raise InvalidInput(
            f"{inner.operator} cannot be applied to a JSON path result", Location(pointer=where)
        )
    return MatchesJsonPath(expression, path, inner)
