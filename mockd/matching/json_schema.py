"""`matchesJsonSchema` (spec §2.3) on the `jsonschema` validators.

`schemaVersion` V4, V6, V7, V201909 or V202012 (the default) picks the draft. A body that is not JSON is
validated as a JSON string, and a scalar body that fails is tried again as a string (networknt's
behaviour in WireMock). Remote `$ref`s are never fetched. The distance is WireMock's: errors over the
number of properties the schema declares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from mockd.errors import InvalidInput, Location
from mockd.jsontext import dumps_pretty, to_plain
from mockd.matching.json_match import NOT_JSON, operand_json, parse_json_body
from mockd.matching.result import EXACT, NO_MATCH, MatchResult
from mockd.matching.values import PatternParser, StringPattern

__all__ = ["SCHEMA_VERSIONS", "MatchesJsonSchema", "parse_matches_json_schema"]

SCHEMA_VERSIONS: dict[str, Any] = {
    "V4": jsonschema.Draft4Validator,
    "V6": jsonschema.Draft6Validator,
    "V7": jsonschema.Draft7Validator,
    "V201909": jsonschema.Draft201909Validator,
    "V202012": jsonschema.Draft202012Validator,
}


def schema_property_count(schema: Any) -> int:
    """WireMock's Json.schemaPropertyCount: entries of `properties`, nested ones counted too."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return 0
    return sum(
        1 + (schema_property_count(p) if isinstance(p, dict) and "properties" in p else 0)
        for p in props.values()
    )


@dataclass(frozen=True, eq=False)
class MatchesJsonSchema(StringPattern):
    schema_text: str
    schema: Any
    version: str
    validator: Any = field(repr=False)
    operator = "matchesJsonSchema"

    def _errors(self, instance: Any) -> int:
        return sum(1 for _ in self.validator.iter_errors(instance))

    def match(self, value: str | None) -> MatchResult:
        if value is None:
            return NO_MATCH
        document = parse_json_body(value)
        instance = value if document is NOT_JSON else to_plain(document)
        try:
            errors = self._errors(instance)
            if errors and not isinstance(instance, str | dict | list):
                errors = self._errors(value)  # networknt retries a scalar body as a string node
        except Exception:
            return NO_MATCH
        if errors == 0:
            return EXACT
        count = schema_property_count(self.schema)
        return MatchResult.partial(1.0 if count == 0 else errors / count)

    def to_json(self) -> dict[str, Any]:
        return {"matchesJsonSchema": self.schema_text, "schemaVersion": self.version}

    @property
    def expected(self) -> str:
        try:
            return dumps_pretty(self.schema)
        except ValueError:
            return self.schema_text


def parse_matches_json_schema(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    schema = operand_json(obj, "matchesJsonSchema", pointer)
    if not isinstance(schema, dict | bool):
        raise InvalidInput(
            "matchesJsonSchema operand must be a JSON schema object", Location(pointer=pointer)
        )
    version = obj.get("schemaVersion", "V202012")
    if version is None:
        version = "V202012"
    if not isinstance(version, str) or version not in SCHEMA_VERSIONS:
        raise InvalidInput(
            f"schemaVersion must be one of {', '.join(SCHEMA_VERSIONS)}",
            Location(pointer=f"{pointer}/schemaVersion"),
        )
    plain = to_plain(schema)
    cls = SCHEMA_VERSIONS[version]
    try:
        cls.check_schema(plain)
        validator = cls(plain)
    except jsonschema.SchemaError as exc:
        raise InvalidInput(f"invalid JSON schema: {exc.message}", Location(pointer=pointer)) from None
    operand = obj.get("matchesJsonSchema")
    text = operand if isinstance(operand, str) else dumps_pretty(schema)
    return MatchesJsonSchema(text, schema, version, validator)
