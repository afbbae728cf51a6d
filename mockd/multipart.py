"""Multipart bodies (`multipart/form-data`, `mixed`, `related`) split into `MultipartPart`s.

Tolerant by design: the boundary may be quoted or not, lines may end in CRLF or a bare LF, the preamble
and epilogue are ignored. It never raises: a missing or bad boundary gives `[]`, a truncated body gives
the parts that were complete. At most `MAX_PARTS` parts are returned.

`name` and `file_name` come from `Content-Disposition` (`name="x"; filename="a.txt"`, and the RFC 5987
form `filename*=UTF-8''a%20b.txt`, which wins over `filename`). A part without a name keeps `name=None`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote_to_bytes

__all__ = ["MAX_PARTS", "MultipartPart", "charset_of", "parse_multipart", "safe_charset"]

MAX_PARTS = 1000

Headers = tuple[tuple[str, str], ...]


def charset_of(content_type: str | None) -> str:
    if content_type:
        for part in content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.strip().lower() == "charset" and value:
                return value.strip().strip('"')
    return "utf-8"


def safe_charset(name: str) -> str:
    try:
        "".encode(name)
        return name
    except LookupError:
        return "utf-8"


@dataclass(frozen=True, eq=False)
class MultipartPart:
    """One part of a multipart body: its headers, name, file name and raw bytes."""

    headers: Headers
    body: bytes
    name: str | None = None
    file_name: str | None = None

    def header_values(self, name: str) -> list[str] | None:
        lower = name.lower()
        values = [v for k, v in self.headers if k.lower() == lower]
        return values or None

    @cached_property
    def text(self) -> str | None:
        if not self.body:
            return None
        ctype = self.header_values("Content-Type")
        return self.body.decode(safe_charset(charset_of(ctype[0] if ctype else None)), errors="replace")


_LINE_END = re.compile(rb"[ \t]*+(?:\r\n|\n|\Z)")  # transport padding, then the end of the line
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_LEADING_NEWLINE = re.compile(rb"\r?\n")
_HEADER_LINE = re.compile(rb"\r?\n(?![ \t])")  # a line break not followed by a folded continuation
_FOLD = re.compile(rb"\r?\n[ \t]+")
_QUOTED = re.compile(r'"((?:[^"\\]++|\\.)*+)"?', re.S)  # matched at a '"'; may be unterminated
_QUOTED_PAIR = re.compile(r'\\(["\\])')


def parse_multipart(content_type: str, body: bytes) -> list[MultipartPart]:
    """The parts of a multipart `body`; `[]` when there is no usable boundary or no complete part."""
    boundary = _boundary(content_type)
    if not boundary:
        return []
    delimiter = b"--" + boundary
    parts: list[MultipartPart] = []
    pos = _next_delimiter(body, delimiter, 0, first=True)
    while pos >= 0 and len(parts) < MAX_PARTS:
        after = pos + len(delimiter)
        if body.startswith(b"--", after):
            break  # the close delimiter: the rest is epilogue
        line_end = _LINE_END.match(body, after)
        if line_end is None:
            break
        start = line_end.end()
        pos = _next_delimiter(body, delimiter, start, first=False)
        if pos < 0:
            break  # truncated: the last part has no closing delimiter
        end = pos - 1  # the '\n' before the delimiter belongs to it
        if end > start and body[end - 1 : end] == b"\r":
            end -= 1
        parts.append(_part(body[start : max(start, end)]))
    return parts


def _next_delimiter(body: bytes, delimiter: bytes, start: int, *, first: bool) -> int:
    """Where the next delimiter line starts (its '--'), or -1.

    A delimiter is `--boundary` at the start of a line, followed by `--`, or blanks and a line end.
    The first one may also open the body with no line before it.
    """
    if first and body.startswith(delimiter) and _is_delimiter_end(body, len(delimiter)):
        return 0
    needle = b"\n" + delimiter
    pos = body.find(needle, max(start - 1, 0))
    while pos >= 0:
        after = pos + len(needle)
        if _is_delimiter_end(body, after):
            return pos + 1
        pos = body.find(needle, pos + 1)
    return -1


def _is_delimiter_end(body: bytes, after: int) -> bool:
    return body.startswith(b"--", after) or _LINE_END.match(body, after) is not None


def _part(raw: bytes) -> MultipartPart:
    head_end = _LEADING_NEWLINE.match(raw)
    if head_end is not None:
        head, content = b"", raw[head_end.end() :]
    else:
        blank = _BLANK_LINE.search(raw)
        if blank is None:
            head, content = raw, b""
        else:
            head, content = raw[: blank.start()], raw[blank.end() :]
    headers = _headers(head)
    name: str | None = None
    file_name: str | None = None
    for key, value in headers:
        if key.lower() == "content-disposition":
            name, file_name = _disposition(value)
            break
    return MultipartPart(headers=headers, body=content, name=name, file_name=file_name)


def _headers(head: bytes) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for line in _HEADER_LINE.split(head):
        key, colon, value = line.partition(b":")
        key = key.strip()
        if not colon or not key:
            continue  # not a header line: ignored
        unfolded = _FOLD.sub(b" ", value).strip()
        out.append((_decode(key), _decode(unfolded)))
    return tuple(out)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")  # browsers send UTF-8 file names unencoded
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _boundary(content_type: str) -> bytes | None:
    params = _params(content_type.partition(";")[2])
    boundary = params.get("boundary")
    if not boundary:
        return None
    try:
        return boundary.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return boundary.encode("utf-8", "replace")


def _disposition(value: str) -> tuple[str | None, str | None]:
    params = _params(value.partition(";")[2])
    name = params.get("name*") or params.get("name")
    file_name = params.get("filename*") or params.get("filename")
    return name, file_name


def _params(text: str) -> dict[str, str]:
    """`a=1; b="x y"; c*=UTF-8''%C3%A9` -> {'a': '1', 'b': 'x y', 'c*': 'é'}; names lower-cased.

    A scanner rather than one big regex, so that hostile header values stay linear in time.
    """
    out: dict[str, str] = {}
    pos, n = 0, len(text)
    while pos < n:
        semi = text.find(";", pos)
        segment_end = n if semi < 0 else semi
        eq = text.find("=", pos, segment_end)
        if eq < 0:  # a bare token (such as the disposition type): no value
            pos = segment_end + 1
            continue
        key = text[pos:eq].strip().lower()
        pos = eq + 1
        while pos < n and text[pos] in " \t":
            pos += 1
        quoted = _QUOTED.match(text, pos)
        if quoted is not None:
            value = _QUOTED_PAIR.sub(r"\1", quoted.group(1))
            semi = text.find(";", quoted.end())
            pos = n if semi < 0 else semi + 1
        else:
            value = text[pos:segment_end].strip()
            pos = segment_end + 1
        if key.endswith("*"):
            value = _extended_value(value)
        if key:
            out.setdefault(key, value)
    return out


def _extended_value(value: str) -> str:
    """RFC 5987 `charset'language'percent-encoded`; the plain value when it is not in that form."""
    charset, quote1, rest = value.partition("'")
    _language, quote2, encoded = rest.partition("'")
    if not quote1 or not quote2:
        return value
    data = unquote_to_bytes(encoded)
    try:
        return data.decode(charset.strip() or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", "replace")
