"""RecordSpec (spec §6.5): what `recordings/start` and `recordings/snapshot` accept, and its parser.

This module is the codec for RecordSpec: the only place in the recorder that knows its wire names.
The `filters` object is a RequestPattern whose fields are unwrapped next to `ids` and `allowNonProxied`.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mockd.errors import InvalidInput, Location
from mockd.http import LoggedRequest
from mockd.matching.request import RequestPattern
from mockd.recording.basics import OutputFormat
from mockd.stubs.codec import request_from_json
from mockd.stubs.model import ServeEvent

SPEC_FIELDS = (
    "targetBaseUrl", "filters", "captureHeaders", "requestBodyPattern", "extractBodyCriteria",
    "outputFormat", "persist", "repeatsAsScenarios", "transformers", "transformerParameters",
)  # fmt: skip


class BodyMatcher(StrEnum):
    AUTO = "auto"
    EQUAL_TO = "equalTo"
    EQUAL_TO_JSON = "equalToJson"
    EQUAL_TO_XML = "equalToXml"


@dataclass(frozen=True)
class BodyPatternSpec:
    """`requestBodyPattern`. None flags are left out of the generated matcher (WireMock's nulls);
    `auto` turns missing ignore flags into true and a missing caseInsensitive into false."""

    matcher: BodyMatcher = BodyMatcher.AUTO
    ignore_array_order: bool | None = None
    ignore_extra_elements: bool | None = None
    case_insensitive: bool | None = None


@dataclass(frozen=True)
class EventFilter:
    """`filters`: which serve events are recorded."""

    pattern: RequestPattern | None = None
    ids: frozenset[str] | None = None
    allow_non_proxied: bool = False

    def accepts(self, event: ServeEvent) -> bool:
        if not event.response_definition.is_proxy and not self.allow_non_proxied:
            return False
        if self.pattern is not None and not self.pattern.is_match(event.request):
            return False
        return self.ids is None or event.id in self.ids

    def accepts_request(self, req: LoggedRequest) -> bool:
        return self.pattern is None or self.pattern.is_match(req)


@dataclass(frozen=True)
class ExtractCriteria:
    """`extractBodyCriteria`: bodies longer than these (chars for text, bytes otherwise) go to __files."""

    text_size_threshold: int | None = None  # None: no limit
    binary_size_threshold: int | None = None


@dataclass(frozen=True)
class RecordSpec:
    target_base_url: str | None = None
    filters: EventFilter = field(default_factory=EventFilter)
    capture_headers: tuple[tuple[str, bool | None], ...] = ()  # (name, caseInsensitive)
    body_pattern: BodyPatternSpec = field(default_factory=BodyPatternSpec)
    extract: ExtractCriteria | None = None
    output_format: OutputFormat = OutputFormat.FULL
    persist: bool = True
    repeats_as_scenarios: bool = True
    transformers: tuple[str, ...] = ()
    transformer_parameters: dict[str, Any] | None = None


# -- parsing ---------------------------------------------------------------------------------------


def _fail(pointer: str, detail: str) -> InvalidInput:
    return InvalidInput(detail, Location(pointer=pointer))


def _object(value: Any, pointer: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(pointer, f"{what} must be an object")
    return value


def _bool(obj: Mapping[str, Any], key: str, pointer: str) -> bool | None:
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise _fail(f"{pointer}/{key}", f"{key} must be true or false")


def _known(obj: Mapping[str, Any], allowed: tuple[str, ...], pointer: str, what: str) -> None:
    for key in obj:
        if key not in allowed:
            raise _fail(
                f"{pointer}/{key}", f"Unrecognized field {key!r} in {what} (known: {', '.join(allowed)})"
            )


def record_spec_from_json(value: Any) -> RecordSpec:
    """Parse a RecordSpec document; None (an empty body) gives the defaults. Errors carry a pointer."""
    if value is None:
        return RecordSpec()
    obj = _object(value, "", "a record spec")
    _known(obj, SPEC_FIELDS, "", "a record spec")
    target = obj.get("targetBaseUrl")
    if target is not None:
        if not isinstance(target, str):
            raise _fail("/targetBaseUrl", "targetBaseUrl must be a string")
        target = target.strip() or None
        if target is not None and not re.match(r"^https?://[^/?#\s]+", target, re.IGNORECASE):
            raise _fail("/targetBaseUrl", f"targetBaseUrl must be an http or https URL, got {target!r}")
    persist = _bool(obj, "persist", "")
    repeats = _bool(obj, "repeatsAsScenarios", "")
    transformers = obj.get("transformers") or []
    if not isinstance(transformers, list) or not all(isinstance(t, str) for t in transformers):
        raise _fail("/transformers", "transformers must be an array of names")
    params = obj.get("transformerParameters")
    if params is not None:
        params = dict(_object(params, "/transformerParameters", "transformerParameters"))
    return RecordSpec(
        target_base_url=target,
        filters=_filters(obj.get("filters")),
        capture_headers=_capture_headers(obj.get("captureHeaders")),
        body_pattern=_body_pattern(obj.get("requestBodyPattern")),
        extract=_extract(obj.get("extractBodyCriteria")),
        output_format=_output_format(obj.get("outputFormat")),
        persist=True if persist is None else persist,
        repeats_as_scenarios=True if repeats is None else repeats,
        transformers=tuple(transformers),
        transformer_parameters=params,
    )


def _filters(value: Any) -> EventFilter:
    if value is None:
        return EventFilter()
    obj = dict(_object(value, "/filters", "filters"))
    raw_ids = obj.pop("ids", None)
    allow = obj.pop("allowNonProxied", None)
    if allow is not None and not isinstance(allow, bool):
        raise _fail("/filters/allowNonProxied", "allowNonProxied must be true or false")
    ids: frozenset[str] | None = None
    if raw_ids is not None:
        if not isinstance(raw_ids, list):
            raise _fail("/filters/ids", "ids must be an array of serve event ids")
        parsed: set[str] = set()
        for i, raw in enumerate(raw_ids):
            try:
                parsed.add(str(uuid.UUID(str(raw))))
            except ValueError:
                raise _fail(f"/filters/ids/{i}", f"{raw!r} is not a valid UUID") from None
        ids = frozenset(parsed)
    pattern = request_from_json(obj, "/filters") if obj else None
    return EventFilter(pattern, ids, bool(allow))


def _capture_headers(value: Any) -> tuple[tuple[str, bool | None], ...]:
    if value is None:
        return ()
    obj = _object(value, "/captureHeaders", "captureHeaders")
    out: list[tuple[str, bool | None]] = []
    for name, spec in obj.items():
        pointer = f"/captureHeaders/{name}"
        if spec is None:
            out.append((str(name), None))
            continue
        spec_obj = _object(spec, pointer, "a captureHeaders entry")
        _known(spec_obj, ("caseInsensitive",), pointer, "a captureHeaders entry")
        out.append((str(name), _bool(spec_obj, "caseInsensitive", pointer)))
    return tuple(out)


def _body_pattern(value: Any) -> BodyPatternSpec:
    if value is None:
        return BodyPatternSpec()
    pointer = "/requestBodyPattern"
    obj = _object(value, pointer, "requestBodyPattern")
    raw = obj.get("matcher", "auto")
    try:
        matcher = BodyMatcher(raw)
    except ValueError:
        choices = ", ".join(m.value for m in BodyMatcher)
        raise _fail(f"{pointer}/matcher", f"matcher must be one of {choices}, got {raw!r}") from None
    allowed: dict[BodyMatcher, tuple[str, ...]] = {
        BodyMatcher.AUTO: ("ignoreArrayOrder", "ignoreExtraElements", "caseInsensitive"),
        BodyMatcher.EQUAL_TO: ("caseInsensitive",),
        BodyMatcher.EQUAL_TO_JSON: ("ignoreArrayOrder", "ignoreExtraElements"),
        BodyMatcher.EQUAL_TO_XML: (),
    }
    _known(obj, ("matcher", *allowed[matcher]), pointer, f"a {matcher.value} requestBodyPattern")
    return BodyPatternSpec(
        matcher,
        _bool(obj, "ignoreArrayOrder", pointer),
        _bool(obj, "ignoreExtraElements", pointer),
        _bool(obj, "caseInsensitive", pointer),
    )


def _extract(value: Any) -> ExtractCriteria | None:
    if value is None:
        return None
    pointer = "/extractBodyCriteria"
    obj = _object(value, pointer, "extractBodyCriteria")
    _known(obj, ("textSizeThreshold", "binarySizeThreshold"), pointer, "extractBodyCriteria")
    return ExtractCriteria(
        _size(obj.get("textSizeThreshold"), f"{pointer}/textSizeThreshold"),
        _size(obj.get("binarySizeThreshold"), f"{pointer}/binarySizeThreshold"),
    )


_SIZE = re.compile(r"^([\d.]+)\s*(\w)?b?$", re.IGNORECASE)
_SCALE = {"K": 1024, "M": 1024**2, "G": 1024**3}


def parse_size(text: str) -> int:
    """'2 kb' -> 2048, '10 Mb', '18.2 GB', '255'; a comma is a decimal point (WireMock's parseFilesize)."""
    m = _SIZE.match(text.strip().replace(",", "."))
    if m is None:
        raise ValueError(f'Invalid size string: "{text}"')
    scale = 1
    if m.group(2) is not None:
        unit = m.group(2).upper()
        if unit not in _SCALE:
            raise ValueError(f"Invalid size unit: {m.group(2)}")
        scale = _SCALE[unit]
    try:
        number = float(m.group(1))
    except ValueError:
        raise ValueError(f'Invalid size string: "{text}"') from None
    return math.floor(number * scale + 0.5)  # Java's Math.round


def _size(value: Any, pointer: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _fail(pointer, "a size must be a number of bytes or a string such as '2 kb'")
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        try:
            return parse_size(value)
        except ValueError as exc:
            raise _fail(pointer, str(exc)) from None
    if hasattr(value, "to_integral_value"):  # Decimal from the lenient JSON reader
        return int(value)
    raise _fail(pointer, "a size must be a number of bytes or a string such as '2 kb'")


def _output_format(value: Any) -> OutputFormat:
    if value is None:
        return OutputFormat.FULL
    if isinstance(value, str):
        for fmt in OutputFormat:
            if value.upper() == fmt.value:
                return fmt
    raise _fail("/outputFormat", f"Invalid output format {value!r}: expected FULL or IDS")
