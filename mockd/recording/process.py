"""Post-processing of generated stubs (WireMock's SnapshotStubMappingPostProcessor).

1. Identical requests: with repeatsAsScenarios they become one scenario per request (named
   `scenario-<n>-<path parts>`, states `Started` -> `<name>-2` -> ...), otherwise later ones are dropped.
2. Bodies above the extractBodyCriteria thresholds move to `__files/` and are named by bodyFileName.

Stubs arrive newest first (journal order), as in WireMock; a scenario runs oldest first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from mockd import jsontext
from mockd.matching.request import RequestPattern
from mockd.recording.content import file_extension, is_text_mime, mime_type
from mockd.recording.generate import body_bytes, first_header
from mockd.recording.names import body_file_name, scenario_name
from mockd.recording.spec import ExtractCriteria, RecordSpec
from mockd.scenarios import STARTED
from mockd.stubs.codec import request_to_json
from mockd.stubs.model import ResponseDefinition, StubMapping


@dataclass(frozen=True)
class BodyFile:
    """A body to write under `__files/` (relative name, bytes)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Processed:
    stubs: list[StubMapping]
    files: list[BodyFile]


def request_key(pattern: RequestPattern) -> str:
    """Two recorded requests are identical when their generated patterns serialise the same."""
    return jsontext.dumps_compact(request_to_json(pattern))


def process(stubs: list[StubMapping], spec: RecordSpec) -> Processed:
    counts: Counter[str] = Counter()
    kept: list[StubMapping] = []
    for stub in stubs:
        key = request_key(stub.request)
        counts[key] += 1
        if counts[key] > 1 and not spec.repeats_as_scenarios:
            continue
        kept.append(stub)
    if spec.repeats_as_scenarios:
        kept = as_scenarios(kept)
    files: list[BodyFile] = []
    if spec.extract is not None:
        kept = [_extract(stub, spec.extract, files) for stub in kept]
    return Processed(kept, files)


def as_scenarios(stubs: list[StubMapping]) -> list[StubMapping]:
    groups: dict[str, list[int]] = {}
    for i, stub in enumerate(stubs):
        groups.setdefault(request_key(stub.request), []).append(i)
    out = list(stubs)
    index = 0
    for positions in groups.values():
        if len(positions) < 2:
            continue
        index += 1
        ordered = list(reversed(positions))  # oldest first
        first = stubs[ordered[0]]
        name = scenario_name(index, first.request.url.value.partition("?")[0])
        for count, pos in enumerate(ordered, start=1):
            out[pos] = replace(
                stubs[pos],
                scenario_name=name,
                required_scenario_state=STARTED if count == 1 else f"{name}-{count}",
                new_scenario_state=f"{name}-{count + 1}" if count < len(ordered) else None,
            )
    return out


def should_extract(rd: ResponseDefinition, criteria: ExtractCriteria) -> bool:
    if rd.body is None and rd.base64_body is None:
        return False
    content_type = first_header(rd.headers, "Content-Type")
    if rd.headers and is_text_mime(mime_type(content_type)):
        size = len(rd.body) if rd.body is not None else len(body_bytes(rd))
        limit = criteria.text_size_threshold
    else:
        size = len(body_bytes(rd))
        limit = criteria.binary_size_threshold
    return limit is not None and size > limit


def _extract(stub: StubMapping, criteria: ExtractCriteria, files: list[BodyFile]) -> StubMapping:
    rd = stub.response
    if not should_extract(rd, criteria):
        return stub
    data = body_bytes(rd)
    url = stub.request.url.value
    ext = file_extension(url.partition("?")[0], first_header(rd.headers, "Content-Type"), data)
    name = body_file_name(stub.name, stub.request.method, url, stub.id, ext)
    files.append(BodyFile(name, data))
    return replace(stub, response=replace(rd, body=None, base64_body=None, body_file_name=name))
