"""Multi-value patterns (spec §2.2): headers, query and form parameters, multipart headers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mockd.errors import InvalidInput, Location
from mockd.matching.operators import parse_string_pattern
from mockd.matching.result import EXACT, NO_MATCH, MatchResult, best
from mockd.matching.values import StringPattern


class MultiValuePattern(ABC):
    @abstractmethod
    def match(self, values: Sequence[str] | None) -> MatchResult: ...

    @abstractmethod
    def to_json(self) -> Any: ...

    @property
    @abstractmethod
    def expected(self) -> str: ...

    @property
    @abstractmethod
    def operator(self) -> str: ...


@dataclass(frozen=True)
class Single(MultiValuePattern):
    """Matches when any value matches (best distance); absent is tested as null."""

    pattern: StringPattern

    def match(self, values: Sequence[str] | None) -> MatchResult:
        if not values:
            return self.pattern.match(None)
        return best(self.pattern.match(v) for v in values)

    def to_json(self) -> Any:
        return self.pattern.to_json()

    @property
    def expected(self) -> str:
        return self.pattern.expected

    @property
    def operator(self) -> str:
        return self.pattern.operator


@dataclass(frozen=True)
class HasExactly(MultiValuePattern):
    patterns: tuple[StringPattern, ...]

    def match(self, values: Sequence[str] | None) -> MatchResult:
        if not values or len(values) != len(self.patterns):
            return NO_MATCH
        ok = all(any(p.match(v).exact for v in values) for p in self.patterns)
        return EXACT if ok else NO_MATCH

    def to_json(self) -> Any:
        return {"hasExactly": [p.to_json() for p in self.patterns]}

    @property
    def expected(self) -> str:
        return "hasExactly " + ", ".join(p.expected for p in self.patterns)

    @property
    def operator(self) -> str:
        return "hasExactly"


@dataclass(frozen=True)
class Includes(MultiValuePattern):
    patterns: tuple[StringPattern, ...]

    def match(self, values: Sequence[str] | None) -> MatchResult:
        if not values:
            return NO_MATCH
        ok = all(any(p.match(v).exact for v in values) for p in self.patterns)
        return EXACT if ok else NO_MATCH

    def to_json(self) -> Any:
        return {"includes": [p.to_json() for p in self.patterns]}

    @property
    def expected(self) -> str:
        return "includes " + ", ".join(p.expected for p in self.patterns)

    @property
    def operator(self) -> str:
        return "includes"


def parse_multi(obj: Any, pointer: str) -> MultiValuePattern:
    if isinstance(obj, dict) and obj:
        first = next(iter(obj))
        if first in ("hasExactly", "includes"):
            items = obj[first]
            if not isinstance(items, list) or not items:
                raise InvalidInput(
                    f"{first} needs a non-empty list of patterns", Location(pointer=f"{pointer}/{first}")
                )
            patterns = tuple(parse_string_pattern(p, f"{pointer}/{first}/{i}") for i, p in enumerate(items))
            return HasExactly(patterns) if first == "hasExactly" else Includes(patterns)
    return Single(parse_string_pattern(obj, pointer))
