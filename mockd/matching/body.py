"""Content operators (spec §2.3): the table, and `binaryEqualTo`.

The JSON operators live in `json_match.py` (JSONPath in `jsonpath.py`, schemas in `json_schema.py`),
the XML ones in `xml_match.py` and `xpath_match.py` (documents in `xml_doc.py`); this module only names
them. All of them are StringPatterns, so `matchesJsonPath`,
`equalToJson` ... also work on headers, query parameters and cookies; only `binaryEqualTo` is
body-only (see `operators.BODY_ONLY`).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockd.errors import InvalidInput, Location
from mockd.matching.result import MatchResult
from mockd.matching.values import OperatorParser, PatternParser, StringPattern, lazy_parser

__all__ = ["CONTENT_OPERATORS", "BinaryEqualTo", "decode_base64"]


def decode_base64(text: str) -> bytes:
    """Java's Base64.getDecoder(): the standard alphabet, padding optional; ValueError otherwise."""
    if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text) or len(text.rstrip("=")) % 4 == 1:
        bad = next((c for c in text if not (c.isascii() and (c.isalnum() or c in "+/="))), None)
        raise ValueError(
            f"Illegal base64 character {ord(bad):x}" if bad else "Input byte array has wrong length"
        )
    stripped = text.rstrip("=")
    try:
        return base64.b64decode(stripped + "=" * (-len(stripped) % 4), validate=True)
    except binascii.Error as exc:
        raise ValueError(str(exc)) from None


@dataclass(frozen=True)
class BinaryEqualTo(StringPattern):
    """The request bytes equal the operand's bytes (an empty body is zero bytes)."""

    value: bytes
    operator = "binaryEqualTo"

    def match(self, value: str | None) -> MatchResult:
        return MatchResult.of((value or "").encode("utf-8", "surrogatepass") == self.value)

    def match_body(self, data: bytes | None, text: str | None) -> MatchResult:
        return MatchResult.of((data or b"") == self.value)

    def to_json(self) -> dict[str, Any]:
        return {"binaryEqualTo": base64.b64encode(self.value).decode("ascii")}


def _parse_binary_equal_to(obj: Mapping[str, Any], pointer: str, sub: PatternParser) -> StringPattern:
    operand = obj.get("binaryEqualTo")
    if not isinstance(operand, str):
        raise InvalidInput("binaryEqualTo operand must be a base64 string", Location(pointer=pointer))
    try:
        return BinaryEqualTo(decode_base64(operand))
    except ValueError as exc:
        raise InvalidInput(f"binaryEqualTo operand is not base64: {exc}", Location(pointer=pointer)) from None


# The JSON and XML operators' modules (JSONPath, jsonschema, lxml) are imported when a stub first uses one.
CONTENT_OPERATORS: dict[str, OperatorParser] = {
    "equalToJson": lazy_parser("mockd.matching.json_match", "parse_equal_to_json"),
    "matchesJsonPath": lazy_parser("mockd.matching.json_match", "parse_matches_json_path"),
    "matchesJsonSchema": lazy_parser("mockd.matching.json_schema", "parse_matches_json_schema"),
    "equalToXml": lazy_parser("mockd.matching.xml_match", "parse_equal_to_xml"),
    "matchesXPath": lazy_parser("mockd.matching.xpath_match", "parse_matches_xpath"),
    "binaryEqualTo": _parse_binary_equal_to,
}
