"""`--record-mappings`: WireMock's legacy recorder (StubMappingJsonRecorder).

Every proxied exchange whose request was not seen before is written at once as
`mappings/mapping-<path parts>-<shortid>.json|yaml` plus `__files/body-<path parts>-<shortid>.<ext>`.
The request is matched by its whole `url`, its body, and the `--match-headers` headers. Stubs are not
added to the running server (WireMock does not either); they load at the next start or reload.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import uuid

from mockd.config import Settings
from mockd.http import LoggedRequest
from mockd.loader import atomic_write, encode_stubs, resolve_under
from mockd.matching.multi import MultiValuePattern, Single
from mockd.matching.request import MatchingType, MultipartPattern, RequestPattern
from mockd.matching.url import UrlKind, UrlPattern
from mockd.matching.values import EqualTo, StringPattern
from mockd.multipart import MultipartPart
from mockd.recording.content import codings, decode, file_extension
from mockd.recording.generate import content_pattern, first_header, json_pattern, recordable, upstream_failed
from mockd.recording.names import legacy_file_name, short_id
from mockd.recording.process import request_key
from mockd.stubs.model import Format, ResponseDefinition, ResponseSnapshot, ServeEvent, StubMapping

log = logging.getLogger("mockd.recording")


def name_uuid(text: str) -> str:
    """Java's UUID.nameUUIDFromBytes: an MD5 (version 3) UUID of the bytes."""
    return str(uuid.UUID(bytes=hashlib.md5(text.encode("utf-8"), usedforsecurity=False).digest(), version=3))


class LegacyRecorder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.match_headers = {h.lower() for h in settings.match_headers}
        self.format = Format.YAML if settings.record_format == Format.YAML.value else Format.JSON
        self._seen: set[str] = set()
        self.written = 0

    def record(self, event: ServeEvent, response: ResponseSnapshot) -> StubMapping | None:
        """Write the stub for `event` if it was proxied and its request is new. Returns the stub."""
        pattern = self.request_pattern(event.request)
        key = request_key(pattern)
        if key in self._seen:
            return None
        self._seen.add(key)
        if not event.response_definition.is_proxy or not recordable(response) or upstream_failed(response):
            return None
        try:
            stub = self._write(event.request, response, pattern)
        except OSError as exc:
            log.error("cannot record %s: %s", event.request.url, exc)
            return None
        self.written += 1
        return stub

    # -- the request pattern -------------------------------------------------------------------
    def request_pattern(self, req: LoggedRequest) -> RequestPattern:
        headers: dict[str, MultiValuePattern] = {}
        for name, value in req.headers:
            if name.lower() in self.match_headers and name not in headers:
                headers[name] = Single(EqualTo(value))
        bodies: tuple[StringPattern, ...] = ()
        parts: tuple[MultipartPattern, ...] = ()
        if req.is_multipart and req.parts:
            parts = tuple(self._part(p) for p in req.parts)
        elif req.body_text:
            bodies = (_by_content_type(req.content_type, req.body_text),)
        return RequestPattern(
            url=UrlPattern(UrlKind.URL, req.url),
            method=req.method,
            headers=headers,
            body_patterns=bodies,
            multipart_patterns=parts,
        )

    def _part(self, part: MultipartPart) -> MultipartPattern:
        headers: dict[str, MultiValuePattern] = {}
        for name, value in part.headers:
            if name.lower() in self.match_headers and name not in headers:
                headers[name] = Single(EqualTo(value))
        content_type = part.header_values("Content-Type")
        text = part.text or ""
        body: StringPattern
        if not content_type or "text" in content_type[0]:
            body = EqualTo(text)
        elif "json" in content_type[0] or "xml" in content_type[0]:
            body = _by_content_type(content_type[0], text)
        else:
            body = content_pattern({"binaryEqualTo": base64.b64encode(part.body).decode("ascii")}, text)
        return MultipartPattern(MatchingType.ALL, headers, (body,), part.name)

    # -- the files -----------------------------------------------------------------------------
    def _write(self, req: LoggedRequest, response: ResponseSnapshot, pattern: RequestPattern) -> StubMapping:
        file_id = short_id()
        body = response.body
        applied = codings([v for k, v in response.headers if k.lower() == "content-encoding"])
        decoded = decode(body, applied) if applied else body
        dropped = {"content-length", "transfer-encoding"}
        if decoded is not None:
            body = decoded
            dropped.add("content-encoding")
        headers = tuple((k, v) for k, v in response.headers if k.lower() not in dropped)
        ext = file_extension(req.path, first_header(headers, "Content-Type"), body)
        body_name = legacy_file_name(req.path, "body", file_id, ext)
        stub = StubMapping(
            id=name_uuid(file_id),
            request=pattern,
            response=ResponseDefinition(status=response.status, headers=headers, body_file_name=body_name),
        )
        mapping_name = legacy_file_name(req.path, "mapping", file_id, self.format.value)
        body_path = resolve_under(self.settings.files_dir, body_name)
        mapping_path = resolve_under(self.settings.mappings_dir, mapping_name)
        if body_path is None or mapping_path is None:
            raise OSError(f"refused file name {mapping_name!r}")
        atomic_write(body_path, body)
        atomic_write(mapping_path, encode_stubs([stub], self.format))
        log.info("recorded %s %s -> %s", req.method, req.url, mapping_name)
        return stub


def _by_content_type(content_type: str | None, text: str) -> StringPattern:
    """StubMappingJsonRecorder.valuePatternForContentType."""
    if content_type is not None:
        if "json" in content_type:
            return json_pattern(text, True, True)
        if "xml" in content_type:
            return content_pattern({"equalToXml": text}, text)
    return EqualTo(text)
