"""The framework-free request model: what every matcher, template and journal entry sees.

Matchers see exactly what WireMock's see (spec §2.1): the raw, percent-encoded path; decoded query and
form values; header names case-insensitive; an empty body is absent; gzipped bodies decoded.
"""

from __future__ import annotations

import base64
import gzip
import time
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, unquote_plus

from mockd.lazyattr import cached_property
from mockd.multipart import MultipartPart, charset_of, parse_multipart, safe_charset

MAX_DECOMPRESSED_BODY = 64 * 1024 * 1024

Headers = tuple[tuple[str, str], ...]


def _new_id() -> str:
    return str(uuid.uuid4())


def decode_gzip(data: bytes, limit: int = MAX_DECOMPRESSED_BODY) -> bytes | None:
    """Gunzip `data`, refusing output above `limit` bytes. None when it is not valid gzip."""
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, limit + 1)
        if len(out) > limit or d.unconsumed_tail:
            return None
        return out + d.flush()
    except (zlib.error, EOFError, gzip.BadGzipFile):
        return None


def split_url(url: str) -> tuple[str, str | None]:
    """'/a/b?x=1' -> ('/a/b', 'x=1'); '/a' -> ('/a', None); '/a?' -> ('/a', '')."""
    path, sep, query = url.partition("?")
    return path, (query if sep else None)


def parse_query(query: str | None) -> dict[str, list[str]]:
    """Query string -> {name: [decoded values]}, WireMock's way: '+' is a space, '?flag' is ''."""
    out: dict[str, list[str]] = {}
    if not query:
        return out
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        out.setdefault(_decode_component(name), []).append(_decode_component(value))
    return out


def _decode_component(text: str) -> str:
    if "%" not in text and "+" not in text:
        return text
    try:
        return unquote_plus(text, errors="strict")
    except UnicodeDecodeError:
        return unquote_plus(text, errors="replace")


@dataclass(frozen=True, eq=False)
class LoggedRequest:
    """One HTTP request as mockd saw it. Built once at the edge; everything derived is cached."""

    method: str
    path: str  # raw (percent-encoded), without the query
    query: str | None  # raw query string without '?'; None when the URL had no '?'
    headers: Headers
    body: bytes = b""  # gzip already decoded
    scheme: str = "http"
    host: str = "localhost"  # server name, without the port
    port: int = 80
    socket_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"
    logged_at: float = field(default_factory=time.time)  # epoch seconds
    browser_proxy: bool = False

    @cached_property
    def id(self) -> str:
        """A random UUID, made when first read: most requests are never looked up by id."""
        return _new_id()

    def id_if_read(self) -> str | None:
        """The id if it was read already, else None (an id nobody read cannot be asked for)."""
        value = self.__dict__.get("id")
        return value if isinstance(value, str) else None

    def drop_derived(self) -> None:
        """Forget the derived values read so far (header map, query ...; not the id): they are computed
        again if read again. The journal keeps requests this way, lighter for memory and the GC."""
        values = self.__dict__
        for name in _DERIVED:
            values.pop(name, None)

    @staticmethod
    def create(
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        *,
        max_decoded: int = MAX_DECOMPRESSED_BODY,
        **kw: object,
    ) -> LoggedRequest:
        """Build from a raw request target; gunzips the body as WireMock does. A body that would
        gunzip to more than `max_decoded` bytes (a gzip bomb) is kept as sent, so it matches nothing."""
        path, query = split_url(url)
        hdrs = tuple(headers)
        if body and (
            body[:2] == b"\x1f\x8b"
            or any(k.lower() == "content-encoding" and "gzip" in v.lower() for k, v in hdrs)
        ):
            plain = decode_gzip(body, max_decoded)
            if plain is not None:
                body = plain
        return LoggedRequest(method.upper(), path, query, hdrs, body, **kw)  # type: ignore[arg-type]

    # -- URL -------------------------------------------------------------------------------------
    @cached_property
    def url(self) -> str:
        """Path plus '?query' when the query is non-empty: what `url` and `urlPattern` compare."""
        return f"{self.path}?{self.query}" if self.query else self.path

    @cached_property
    def decoded_path(self) -> str:
        return unquote(self.path, errors="replace")

    @cached_property
    def base_url(self) -> str:
        default = (self.scheme == "http" and self.port == 80) or (self.scheme == "https" and self.port == 443)
        return f"{self.scheme}://{self.host}" + ("" if default else f":{self.port}")

    @cached_property
    def absolute_url(self) -> str:
        return self.base_url + self.url

    @cached_property
    def query_params(self) -> dict[str, list[str]]:
        return parse_query(self.query)

    # -- headers ---------------------------------------------------------------------------------
    @cached_property
    def header_map(self) -> dict[str, list[str]]:
        """lower-cased name -> values in arrival order."""
        out: dict[str, list[str]] = {}
        for k, v in self.headers:
            out.setdefault(k.lower(), []).append(v)
        return out

    def header_values(self, name: str) -> list[str] | None:
        return self.header_map.get(name.lower())

    def header(self, name: str) -> str | None:
        values = self.header_map.get(name.lower())
        return values[0] if values else None

    @cached_property
    def header_names(self) -> dict[str, str]:
        """lower-cased name -> the name as first sent."""
        out: dict[str, str] = {}
        for k, _ in self.headers:
            out.setdefault(k.lower(), k)
        return out

    @cached_property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    @cached_property
    def client_ip(self) -> str:
        """X-Forwarded-For first (its first address), else the socket address, as WireMock 3.13."""
        forwarded = self.header("X-Forwarded-For")
        if forwarded:
            return forwarded.split(",")[0].strip()
        return self.socket_ip

    # -- cookies ---------------------------------------------------------------------------------
    @cached_property
    def cookies(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for raw in self.header_values("Cookie") or ():
            for piece in raw.split(";"):
                name, sep, value = piece.strip().partition("=")
                if not sep or not name:
                    continue
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = value[1:-1]
                out.setdefault(name.strip(), []).append(value)
        return out

    # -- body ------------------------------------------------------------------------------------
    @cached_property
    def body_text(self) -> str | None:
        """The body as text, None when it is empty (WireMock passes an empty body as null)."""
        if not self.body:
            return None
        return self.body.decode(safe_charset(charset_of(self.content_type)), errors="replace")

    @cached_property
    def body_base64(self) -> str:
        return base64.b64encode(self.body).decode("ascii")

    @cached_property
    def form_params(self) -> dict[str, list[str]]:
        ctype = (self.content_type or "").lower()
        if "application/x-www-form-urlencoded" not in ctype or not self.body:
            return {}
        return parse_query(self.body.decode("latin-1"))

    @cached_property
    def is_multipart(self) -> bool:
        return (self.content_type or "").lower().startswith("multipart/")

    @cached_property
    def parts(self) -> list[MultipartPart]:
        if not self.is_multipart:
            return []
        return parse_multipart(self.content_type or "", self.body)


_DERIVED = tuple(k for k, v in vars(LoggedRequest).items() if isinstance(v, cached_property) and k != "id")


def header_dict(headers: Iterable[tuple[str, str]]) -> Mapping[str, list[str]]:
    """Headers as {name as first sent: [values]}, for serialisation."""
    out: dict[str, list[str]] = {}
    lower_to_name: dict[str, str] = {}
    for k, v in headers:
        name = lower_to_name.setdefault(k.lower(), k)
        out.setdefault(name, []).append(v)
    return out
