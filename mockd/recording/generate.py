"""One recorded exchange -> one StubMapping (WireMock's SnapshotStubMappingGenerator).

Request: `url` when there is no query, else `urlPath` plus `queryParameters` (hasExactly of equalTo);
captured headers as equalTo; the body by the RecordSpec's body pattern. Response: the status, the
headers minus Content-Length, Transfer-Encoding and (once the body is decoded) Content-Encoding, and
the body as text when its MIME type is textual, else as base64.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from typing import Any

from mockd.errors import InvalidInput
from mockd.http import Headers, LoggedRequest
from mockd.matching.multi import HasExactly, MultiValuePattern, Single
from mockd.matching.operators import parse_pattern
from mockd.matching.request import RequestPattern
from mockd.matching.url import UrlKind, UrlPattern
from mockd.matching.values import Anything, EqualTo, StringPattern
from mockd.recording.basics import PROXY_FAILURE_PREFIX
from mockd.recording.content import as_text, codings, decode, is_text_mime, mime_type
from mockd.recording.names import stub_name
from mockd.recording.spec import BodyMatcher, BodyPatternSpec, RecordSpec
from mockd.stubs.model import ResponseDefinition, ResponseSnapshot, ServeEvent, StubMapping

# Never copied into a recorded response: framing is recomputed, and the Matched-Stub-* headers of
# non-proxied events (allowNonProxied) are added again by whatever stub serves the replay.
DROPPED_RESPONSE_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "matched-stub-id", "matched-stub-name"}
)


def stub_for(event: ServeEvent, response: ResponseSnapshot, spec: RecordSpec) -> StubMapping:
    req = event.request
    return StubMapping(
        id=str(uuid.uuid4()),
        request=request_pattern(req, spec),
        response=response_definition(response),
        name=stub_name(req.path),
    )


def recordable(response: ResponseSnapshot | None) -> bool:
    """A complete answer: not a fault, not still in flight."""
    return response is not None and response.fault is None and response.status > 0


def upstream_failed(response: ResponseSnapshot) -> bool:
    """The 500 mockd answers when the upstream could not be reached (not an answer *from* the upstream)."""
    return response.status == 500 and response.body.startswith(PROXY_FAILURE_PREFIX.encode())


# -- request ---------------------------------------------------------------------------------------


def url_pattern(req: LoggedRequest) -> UrlPattern:
    if req.query:
        return UrlPattern(UrlKind.URL_PATH, req.path)
    return UrlPattern(UrlKind.URL, req.url)


def query_patterns(req: LoggedRequest) -> dict[str, MultiValuePattern]:
    return {name: HasExactly(tuple(EqualTo(v) for v in values)) for name, values in req.query_params.items()}


def request_pattern(req: LoggedRequest, spec: RecordSpec) -> RequestPattern:
    headers: dict[str, MultiValuePattern] = {}
    for name, case_insensitive in spec.capture_headers:
        value = req.header(name)
        if value is not None:
            headers[name] = Single(EqualTo(value, bool(case_insensitive)))
    body = body_pattern(req, spec.body_pattern) if req.body else None
    return RequestPattern(
        url=url_pattern(req),
        method=req.method,
        headers=headers,
        query=query_patterns(req) if req.query else {},
        body_patterns=(body,) if body is not None else (),
    )


def body_pattern(req: LoggedRequest, spec: BodyPatternSpec) -> StringPattern:
    text = req.body_text or ""
    matcher = spec.matcher
    if matcher is BodyMatcher.EQUAL_TO_JSON:
        return json_pattern(text, spec.ignore_array_order, spec.ignore_extra_elements)
    if matcher is BodyMatcher.EQUAL_TO_XML:
        return content_pattern({"equalToXml": text}, text)
    if matcher is BodyMatcher.AUTO:
        mime = mime_type(req.content_type)
        if mime is not None:
            if "json" in mime:
                return json_pattern(
                    text,
                    True if spec.ignore_array_order is None else spec.ignore_array_order,
                    True if spec.ignore_extra_elements is None else spec.ignore_extra_elements,
                )
            if "xml" in mime:
                return content_pattern({"equalToXml": text}, text)
            if mime == "multipart/form-data":
                return Anything()
            if not is_text_mime(mime):
                return content_pattern({"binaryEqualTo": req.body_base64}, text)
    return EqualTo(text, bool(spec.case_insensitive))


def json_pattern(text: str, ignore_array_order: bool | None, ignore_extra: bool | None) -> StringPattern:
    """equalToJson holding the body as a string (WireMock keeps the text it was given; quirk 15)."""
    doc: dict[str, Any] = {"equalToJson": text}
    if ignore_array_order is not None:
        doc["ignoreArrayOrder"] = ignore_array_order
    if ignore_extra is not None:
        doc["ignoreExtraElements"] = ignore_extra
    return content_pattern(doc, text)


def content_pattern(doc: Mapping[str, Any], text: str) -> StringPattern:
    """A body operator through THE operator table; equalTo when the body does not parse as what its
    Content-Type claims (WireMock would fail the whole snapshot instead)."""
    try:
        return parse_pattern(doc, "/request/bodyPatterns/0")
    except InvalidInput:
        return EqualTo(text)


# -- response --------------------------------------------------------------------------------------


def first_header(headers: Headers, name: str) -> str | None:
    lower = name.lower()
    return next((v for k, v in headers if k.lower() == lower), None)


def response_definition(response: ResponseSnapshot) -> ResponseDefinition:
    body = response.body
    applied = codings([v for k, v in response.headers if k.lower() == "content-encoding"])
    decoded = decode(body, applied) if applied else body
    dropped = set(DROPPED_RESPONSE_HEADERS)
    if decoded is not None:
        body = decoded
        dropped.add("content-encoding")
    headers = tuple((k, v) for k, v in response.headers if k.lower() not in dropped)
    text: str | None = None
    b64: str | None = None
    if body:
        content_type = first_header(headers, "Content-Type")
        if decoded is not None and is_text_mime(mime_type(content_type)):
            text = as_text(body, content_type)
        if text is None:
            b64 = base64.b64encode(body).decode("ascii")
    return ResponseDefinition(status=response.status, headers=headers, body=text, base64_body=b64)


def body_bytes(rd: ResponseDefinition) -> bytes:
    if rd.body is not None:
        return rd.body.encode("utf-8")
    if rd.base64_body is not None:
        return base64.b64decode(rd.base64_body)
    return b""
