"""THE operator table: wire name -> parser, and `parse_pattern` that reads one operator object.

An operator is identified by the first key of the object that names an operator (WireMock's rule);
the other keys are that operator's options.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mockd.errors import InvalidInput, Location
from mockd.matching.body import CONTENT_OPERATORS
from mockd.matching.values import SIMPLE_OPERATORS, OperatorParser, StringPattern, lazy_parser

# dates.py (and its Java date patterns) is imported when a stub first uses a date operator
DATE_OPERATORS: dict[str, OperatorParser] = {
    name: lazy_parser("mockd.matching.dates", "DATE_OPERATORS", name)
    for name in ("before", "after", "equalToDateTime")
}
OPERATORS: dict[str, OperatorParser] = {**SIMPLE_OPERATORS, **DATE_OPERATORS, **CONTENT_OPERATORS}

# Operators that only make sense on a body (WireMock's ContentPattern-only types).
BODY_ONLY = frozenset({"binaryEqualTo"})


def parse_pattern(obj: Any, pointer: str = "") -> StringPattern:
    """Read one StringValuePattern / ContentPattern object; errors carry `pointer`."""
    if not isinstance(obj, Mapping):
        raise InvalidInput(
            f'{_show(obj)} is not a valid match operation: expected an object such as {{"equalTo": "..."}}',
            Location(pointer=pointer),
        )
    for key in obj:
        parser = OPERATORS.get(key)
        if parser is not None:
            try:
                return parser(obj, pointer, parse_pattern)
            except InvalidInput:
                raise
            except (TypeError, ValueError, AttributeError) as exc:
                raise InvalidInput(f"invalid {key} operand: {exc}", Location(pointer=pointer)) from exc
    raise InvalidInput(
        f"{_show(obj)} is not a valid match operation (expected one of: {', '.join(sorted(OPERATORS))})",
        Location(pointer=pointer),
    )


def parse_string_pattern(obj: Any, pointer: str = "") -> StringPattern:
    """Like parse_pattern, but refuses body-only operators (for headers, query, cookies ...)."""
    pattern = parse_pattern(obj, pointer)
    if pattern.operator in BODY_ONLY:
        raise InvalidInput(f"{pattern.operator} can only be used in bodyPatterns", Location(pointer=pointer))
    return pattern


def _show(obj: Any) -> str:
    try:
        return json.dumps(obj, default=str, separators=(",", ":"))[:200]
    except (TypeError, ValueError):
        return repr(obj)[:200]
