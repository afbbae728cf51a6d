"""String value patterns (spec §2.3): the operators every part of a request is matched with.

Each operator is a small frozen class with `match(value) -> MatchResult` and `to_json()`. Body-only
operators (JSON, XML, binary, dates) live in `body.py` and `dates.py`; `operators.py` holds the one
name -> parser table. Parsers take `(obj, pointer, sub)` where `sub` parses nested patterns, so no
module needs to import the table it belongs to.
"""

from __future__ import annotations

import importlib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mockd.errors import InvalidInput, Location
from mockd.matching.regex import compile_regex
from mockd.matching.result import EXACT, NO_MATCH, MatchResult, levenshtein_distance


class StringPattern(ABC):
    """One operator. `match` never raises: a value it cannot handle is a no-match."""

    operator: str = ""

    @abstractmethod
    def match(self, value: str | None) -> MatchResult: ...

    @abstractmethod
    def to_json(self) -> dict[str, Any]: ...

    def match_body(self, data: bytes | None, text: str | None) -> MatchResult:
        """Match a request body; `text` is None when the body is empty. Binary operators override."""
        return self.match(text)

    @property
    def expected(self) -> str:
        """The operand as text, for reports."""
        value = self.to_json().get(self.operator)
        return value if isinstance(value, str) else str(value)

    @property
    def nullable(self) -> bool:
        """True when this pattern can match a missing value (absent, doesNotMatch, not ...)."""
        return self.match(None).exact


PatternParser = Callable[[Any, str], StringPattern]
OperatorParser = Callable[[Mapping[str, Any], str, PatternParser], StringPattern]


def lazy_parser(module: str, name: str, key: str | None = None) -> OperatorParser:
    """The parser `module.name` (or `module.name[key]`, a table), `module` imported on the first call:
    for operators whose modules are heavy (JSON, XML, dates)."""

    def parse(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
        found = getattr(importlib.import_module(module), name)
        parser: OperatorParser = found if key is None else found[key]
        return parser(obj, pointer, sub)

    parse.__name__ = name if key is None else key
    return parse


def require_str(obj: Mapping[str, Any], key: str, pointer: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise InvalidInput(
            f"{key} operand must be a string, got {type(value).__name__}", Location(pointer=pointer)
        )
    return value


def require_bool(obj: Mapping[str, Any], key: str, pointer: str, default: bool = False) -> bool:
    value = obj.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidInput(f"{key} must be true or false", Location(pointer=f"{pointer}/{key}"))
    return value


@dataclass(frozen=True)
class EqualTo(StringPattern):
    value: str
    case_insensitive: bool = False
    operator = "equalTo"

    def match(self, value: str | None) -> MatchResult:
        if value is None:
            return NO_MATCH
        if self.case_insensitive:
            if value.lower() == self.value.lower():
                return EXACT
            return MatchResult.partial(levenshtein_distance(self.value.lower(), value.lower()))
        if value == self.value:
            return EXACT
        return MatchResult.partial(levenshtein_distance(self.value, value))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"equalTo": self.value}
        if self.case_insensitive:
            out["caseInsensitive"] = True
        return out


@dataclass(frozen=True)
class Contains(StringPattern):
    value: str
    operator = "contains"

    def match(self, value: str | None) -> MatchResult:
        return MatchResult.of(value is not None and self.value in value)

    def to_json(self) -> dict[str, Any]:
        return {"contains": self.value}


@dataclass(frozen=True)
class DoesNotContain(StringPattern):
    value: str
    operator = "doesNotContain"

    def match(self, value: str | None) -> MatchResult:
        return MatchResult.of(value is None or self.value not in value)

    def to_json(self) -> dict[str, Any]:
        return {"doesNotContain": self.value}


@dataclass(frozen=True)
class Matches(StringPattern):
    """Whole-string Java regex with DOTALL; null never matches."""

    source: str
    regex: re.Pattern[str]
    operator = "matches"

    def match(self, value: str | None) -> MatchResult:
        return MatchResult.of(value is not None and self.regex.fullmatch(value) is not None)

    def to_json(self) -> dict[str, Any]:
        return {"matches": self.source}


@dataclass(frozen=True)
class DoesNotMatch(StringPattern):
    source: str
    regex: re.Pattern[str]
    operator = "doesNotMatch"

    def match(self, value: str | None) -> MatchResult:
        return MatchResult.of(value is None or self.regex.fullmatch(value) is None)

    def to_json(self) -> dict[str, Any]:
        return {"doesNotMatch": self.source}


@dataclass(frozen=True)
class Absent(StringPattern):
    operator = "absent"

    def match(self, value: str | None) -> MatchResult:
        return MatchResult.of(value is None)

    def to_json(self) -> dict[str, Any]:
        return {"absent": True}

    @property
    def expected(self) -> str:
        return "(absent)"


@dataclass(frozen=True)
class Anything(StringPattern):
    operator = "anything"

    def match(self, value: str | None) -> MatchResult:
        return EXACT

    def to_json(self) -> dict[str, Any]:
        return {"anything": "anything"}

    @property
    def expected(self) -> str:
        return "(anything)"


@dataclass(frozen=True)
class Not(StringPattern):
    inner: StringPattern
    operator = "not"

    def match(self, value: str | None) -> MatchResult:
        return self.inner.match(value).invert()

    def match_body(self, data: bytes | None, text: str | None) -> MatchResult:
        return self.inner.match_body(data, text).invert()

    def to_json(self) -> dict[str, Any]:
        return {"not": self.inner.to_json()}

    @property
    def expected(self) -> str:
        return f"not {self.inner.expected}"


@dataclass(frozen=True)
class And(StringPattern):
    parts: tuple[StringPattern, ...]
    operator = "and"

    def match(self, value: str | None) -> MatchResult:
        results = [p.match(value) for p in self.parts]
        return MatchResult(all(r.exact for r in results), sum(r.distance for r in results) / len(results))

    def match_body(self, data: bytes | None, text: str | None) -> MatchResult:
        results = [p.match_body(data, text) for p in self.parts]
        return MatchResult(all(r.exact for r in results), sum(r.distance for r in results) / len(results))

    def to_json(self) -> dict[str, Any]:
        return {"and": [p.to_json() for p in self.parts]}

    @property
    def expected(self) -> str:
        return " AND ".join(p.expected for p in self.parts)


@dataclass(frozen=True)
class Or(StringPattern):
    parts: tuple[StringPattern, ...]
    operator = "or"

    def match(self, value: str | None) -> MatchResult:
        return min((p.match(value) for p in self.parts), key=lambda r: (not r.exact, r.distance))

    def match_body(self, data: bytes | None, text: str | None) -> MatchResult:
        return min((p.match_body(data, text) for p in self.parts), key=lambda r: (not r.exact, r.distance))

    def to_json(self) -> dict[str, Any]:
        return {"or": [p.to_json() for p in self.parts]}

    @property
    def expected(self) -> str:
        return " OR ".join(p.expected for p in self.parts)


# -- parsers ---------------------------------------------------------------------------------------


def _regex(obj: Mapping[str, Any], key: str, pointer: str) -> tuple[str, re.Pattern[str]]:
    source = require_str(obj, key, pointer)
    try:
        return source, compile_regex(source)
    except InvalidInput as exc:
        raise exc.at(pointer) from None


def _parse_equal_to(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    return EqualTo(require_str(obj, "equalTo", pointer), require_bool(obj, "caseInsensitive", pointer))


def _parse_contains(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    return Contains(require_str(obj, "contains", pointer))


def _parse_does_not_contain(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    return DoesNotContain(require_str(obj, "doesNotContain", pointer))


def _parse_matches(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    return Matches(*_regex(obj, "matches", pointer))


def _parse_does_not_match(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    return DoesNotMatch(*_regex(obj, "doesNotMatch", pointer))


def _parse_absent(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    # WireMock reads {"absent": false} as "present": the inverse of absent.
    if obj.get("absent") is False:
        return Not(Absent())
    return Absent()


def _parse_anything(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    return Anything()


def _parse_not(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    return Not(sub(obj.get("not"), f"{pointer}/not"))


def _parse_logical(key: str) -> OperatorParser:
    def parse(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
        operands = obj.get(key)
        if not isinstance(operands, list) or len(operands) < 2:
            raise InvalidInput(
                f"{key} needs a list of at least 2 patterns", Location(pointer=f"{pointer}/{key}")
            )
        parts = tuple(sub(p, f"{pointer}/{key}/{i}") for i, p in enumerate(operands))
        return And(parts) if key == "and" else Or(parts)

    return parse


SIMPLE_OPERATORS: dict[str, OperatorParser] = {
    "equalTo": _parse_equal_to,
    "contains": _parse_contains,
    "doesNotContain": _parse_does_not_contain,
    "matches": _parse_matches,
    "doesNotMatch": _parse_does_not_match,
    "absent": _parse_absent,
    "anything": _parse_anything,
    "not": _parse_not,
    "and": _parse_logical("and"),
    "or": _parse_logical("or"),
}
