"""Bodies as the recorder sees them: MIME types, text or binary, content decoding, file extensions.

WireMock decodes only gzip when recording (issues #1989, #1271). mockd also decodes `deflate` (zlib or
raw) and `br` when a `brotli` (or `brotlicffi`) module happens to be importable. A body whose encoding
cannot be decoded is kept encoded, and the caller keeps its `Content-Encoding` header, so a replay
sends exactly what the upstream sent.
"""

from __future__ import annotations

import importlib
import json
import re
import zlib
from collections.abc import Callable
from posixpath import basename
from xml.etree import ElementTree

from mockd.http import MAX_DECOMPRESSED_BODY, decode_gzip

# WireMock's ContentTypes.TEXT_MIME_TYPE_PATTERNS, as substrings.
TEXT_MIME_PARTS = ("text", "json", "xml", "html", "yaml", "csv", "x-www-form-urlencoded")
# WireMock's ContentTypes.COMMON_MIME_TYPES.
COMMON_EXTENSIONS = {
    "image/jpeg": "jpeg", "image/gif": "gif", "image/tiff": "tiff", "image/png": "png",
    "image/x-icon": "ico", "image/svg+xml": "svg", "audio/x-aiff": "aiff", "video/x-ms-asf": "asf",
    "video/mpeg": "mp2", "audio/mpeg": "mp3", "video/quicktime": "mov", "application/pdf": "pdf",
}  # fmt: skip
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def mime_type(content_type: str | None) -> str | None:
    """`text/plain; charset=utf-8` -> `text/plain`; None when there is no Content-Type."""
    if content_type is None:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def is_text_mime(mime: str | None) -> bool:
    return mime is not None and any(part in mime for part in TEXT_MIME_PARTS)


def charset(content_type: str | None) -> str:
    """The charset named by a Content-Type, if Python knows it; UTF-8 otherwise (WireMock's default)."""
    m = _CHARSET.search(content_type or "")
    if m is not None:
        name = m.group(1)
        try:
            "".encode(name)
        except LookupError:
            return "utf-8"
        return name
    return "utf-8"


def as_text(body: bytes, content_type: str | None) -> str | None:
    """The body as text if it survives the trip back to bytes unchanged (mockd serves `body` as UTF-8);
    None when it would not, so the caller keeps the bytes (base64Body) instead."""
    try:
        text = body.decode(charset(content_type))
    except UnicodeDecodeError:
        return None
    return text if text.encode("utf-8") == body else None


# -- content codings -------------------------------------------------------------------------------


def _inflate(data: bytes) -> bytes | None:
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        try:
            d = zlib.decompressobj(wbits)
            out = d.decompress(data, MAX_DECOMPRESSED_BODY + 1)
            if len(out) > MAX_DECOMPRESSED_BODY or d.unconsumed_tail:
                return None
            return out + d.flush()
        except zlib.error:
            continue
    return None


def _brotli() -> Callable[[bytes], bytes] | None:
    for name in ("brotli", "brotlicffi"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        decompress: Callable[[bytes], bytes] = module.decompress
        return decompress
    return None


def _unbrotli(data: bytes) -> bytes | None:
    decompress = _brotli()
    if decompress is None:
        return None
    try:
        out = decompress(data)
    except Exception:  # the brotli modules raise their own error types
        return None
    return out if len(out) <= MAX_DECOMPRESSED_BODY else None


DECODERS: dict[str, Callable[[bytes], bytes | None]] = {
    "gzip": decode_gzip,
    "x-gzip": decode_gzip,
    "deflate": _inflate,
    "br": _unbrotli,
}


def codings(header_values: list[str] | None) -> list[str]:
    """`Content-Encoding` values as a list of codings in the order they were applied."""
    out: list[str] = []
    for value in header_values or ():
        out.extend(c.strip().lower() for c in value.split(",") if c.strip())
    return [c for c in out if c != "identity"]


def decode(body: bytes, applied: list[str]) -> bytes | None:
    """Undo `applied` codings (last applied first). None when one is unknown or the data is broken."""
    for coding in reversed(applied):
        if not body:
            return body
        decoder = DECODERS.get(coding)
        if decoder is None:
            return None
        decoded = decoder(body)
        if decoded is None:
            return None
        body = decoded
    return body


# -- file extensions (WireMock's ContentTypes.determineFileExtension) -------------------------------


def file_extension(path: str, content_type: str | None, body: bytes) -> str:
    mime = mime_type(content_type)
    if mime is not None:
        for part, ext in (("json", "json"), ("xml", "xml"), ("text", "txt")):
            if part in mime:
                return ext
        if mime in COMMON_EXTENSIONS:
            return COMMON_EXTENSIONS[mime]
    last = basename(path)
    if "." in last:
        return last.rsplit(".", 1)[1]
    text = as_text(body, content_type)
    if text is None or "\x00" in text:
        return "bin"  # WireMock says "txt" here; mockd names undecodable bytes for what they are
    return text_extension(text)


def text_extension(text: str) -> str:
    try:
        json.loads(text)
        return "json"
    except ValueError:
        pass
    if text.lstrip().startswith("<"):
        try:
            ElementTree.fromstring(text)
            return "xml"
        except ElementTree.ParseError:
            pass
    return "txt"
