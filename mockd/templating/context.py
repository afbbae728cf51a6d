"""The model templates see (spec §4.2): `request.*` built lazily from a LoggedRequest, and `parameters`.

Everything is computed on first access and cached per request, so a template that echoes two fields
pays for two fields. Model objects answer `hb_get(key)` (the Handlebars resolver) and are Mappings (so
native Jinja2 templates can write `request.query.id`, `request.headers['X-Id']`).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from mockd.http import LoggedRequest
from mockd.templating.values import KeyedModel, ListOrSingle, Printable, java_str

if TYPE_CHECKING:
    from mockd.multipart import MultipartPart

_TEXT_MARKERS = ("text", "json", "xml", "html", "yaml", "csv", "x-www-form-urlencoded")


def is_binary(content_type: str | None) -> bool:
    """WireMock's Body.ofBinaryOrText: binary unless the MIME type names a text format (or is absent)."""
    mime = (content_type or "").split(";", 1)[0].strip()
    return not (mime and any(marker in mime for marker in _TEXT_MARKERS))


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


class RequestMethod(Printable):
    """WireMock's RequestMethod: prints its name but is not a String, so `eq request.method 'GET'` is false
    in WireMock too. `request.method.value` / `.name` are the string."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RequestMethod):
            return other.name == self.name
        return isinstance(other, str) and other == self.name  # convenient in native Jinja2 templates

    def __hash__(self) -> int:
        return hash(self.name)

    def hb_get(self, key: str | int) -> Any:
        return self.name if key in ("value", "name") else None


class UrlPath(Printable):
    """`request.path` / `request.pathSegments`: prints the path; `.0` / `.[1]` index segments; with
    `urlPathTemplate` variables, `.name` gives them (and the raw path is used, as WireMock does)."""

    __slots__ = ("params", "segments", "text")

    def __init__(self, raw_path: str, params: Mapping[str, str] | None) -> None:
        self.params = dict(params) if params else None
        self.text = raw_path if self.params is not None else unquote(raw_path, errors="replace")
        self.segments = _segments(self.text)

    def __str__(self) -> str:
        return self.text

    def __iter__(self) -> Iterator[str]:
        # a urlPathTemplate path iterates over every raw segment, the empty first one included
        return iter(self.text.split("/") if self.params is not None else self.segments)

    def __len__(self) -> int:
        return len(self.segments) + (len(self.params) if self.params else 0)

    def is_collection_empty(self) -> bool:
        return not self.segments

    def hb_get(self, key: str | int) -> Any:
        if isinstance(key, int):
            return self.segments[key] if 0 <= key < len(self.segments) else None
        if key.isdigit():
            return self.hb_get(int(key))
        if self.params is not None and key in self.params:
            return self.params[key]
        if key in ("size", "length"):
            return len(self)
        if key in ("empty", "isEmpty"):
            return not self.segments
        return None

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, int) and key < 0:
            return self.segments[key] if -key <= len(self.segments) else None
        return self.hb_get(key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UrlPath) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class HeaderMap(Printable, Mapping[str, ListOrSingle]):
    """Case-insensitive `{name: ListOrSingle}`, ordered like Java's CASE_INSENSITIVE_ORDER TreeMap."""

    __slots__ = ("_names", "_values")

    def __init__(
        self, values: Mapping[str, list[str]], names: Mapping[str, str] | Callable[[], Mapping[str, str]]
    ) -> None:
        self._values = values  # lower-case name -> values
        # lower-case name -> name as sent; or what makes it, called when first needed (only to list
        # the names: `{{request.headers.X-Id}}` does not)
        self._names = names

    def __getitem__(self, key: str) -> ListOrSingle:
        values = self._values.get(key.lower()) if isinstance(key, str) else None
        if values is None:
            raise KeyError(key)
        return ListOrSingle(values)

    def __iter__(self) -> Iterator[str]:
        names = self._names
        if callable(names):
            names = self._names = names()
        return iter(sorted((names.get(k, k) for k in self._values), key=str.lower))

    def __len__(self) -> int:
        return len(self._values)

    def hb_get(self, key: str | int) -> Any:
        values = self._values.get(str(key).lower())
        return None if values is None else ListOrSingle(values)

    def __str__(self) -> str:
        return "{" + ", ".join(f"{k}={self[k]}" for k in self) + "}"


class PartModel(Printable, KeyedModel):
    """One multipart part: `name`, `headers.<k>`, `body`, `bodyAsBase64`, `binary`."""

    __slots__ = ("_key", "_part")

    _KEYS = ("name", "headers", "body", "bodyAsBase64", "binary")

    def __init__(self, key: str, part: MultipartPart) -> None:
        self._key = key
        self._part = part

    def __getitem__(self, key: str) -> Any:
        part = self._part
        if key == "name":
            return self._key
        if key == "headers":
            values: dict[str, list[str]] = {}
            names: dict[str, str] = {}
            for k, v in part.headers:
                values.setdefault(k.lower(), []).append(v)
                names.setdefault(k.lower(), k)
            return HeaderMap(values, names)
        if key == "body":
            return part.text or ""
        if key == "bodyAsBase64":
            import base64

            return base64.b64encode(part.body).decode("ascii")
        if key == "binary":
            ctype = part.header_values("Content-Type")
            return is_binary(ctype[0] if ctype else None)
        raise KeyError(key)

    def __str__(self) -> str:
        return f"[name='{self._key}', headers={self['headers']}, body={self['body']}]"


_SIMPLE = types.MappingProxyType({
    "id": "id", "url": "url", "scheme": "scheme", "host": "host", "port": "port",
    "baseUrl": "base_url", "bodyAsBase64": "body_base64", "multipart": "is_multipart",
})  # fmt: skip


class RequestModel(Printable, KeyedModel):
    """`request`: every field is computed on first use."""

    __slots__ = ("_cache", "_path_params", "_req")

    _KEYS = (
        "id", "url", "path", "pathSegments", "method", "scheme", "host", "port", "baseUrl", "clientIp",
        "headers", "cookies", "query", "body", "bodyAsBase64", "multipart", "binary", "parts", "requestLine",
    )  # fmt: skip

    def __init__(self, req: LoggedRequest, path_params: Mapping[str, str] | None = None) -> None:
        self._req = req
        self._path_params = path_params or None
        self._cache: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            return self._cache[key]
        except KeyError:
            pass
        value = self._compute(key)
        self._cache[key] = value
        return value

    def _compute(self, key: str) -> Any:
        compute = _COMPUTE.get(key)
        if compute is None:
            raise KeyError(key)
        return compute(self)

    def _path(self) -> UrlPath:
        path: UrlPath = self._cache.setdefault("path", UrlPath(self._req.path, self._path_params))
        return path

    def _client_ip(self) -> str:  # WireMock's template model shows the whole X-Forwarded-For value
        req = self._req
        return req.header("X-Forwarded-For") or req.socket_ip

    def _headers(self) -> HeaderMap:
        req = self._req
        return HeaderMap(req.header_map, lambda: req.header_names)

    def _parts(self) -> dict[str, PartModel]:
        req = self._req
        if not req.is_multipart:
            return {}
        related = "multipart/related" in (req.content_type or "").lower()
        out: dict[str, PartModel] = {}
        index = 0
        for part in req.parts:
            name = part.name
            if name is None:
                if not related:
                    continue
                name = f"part-{index}"
                index += 1
            out[name] = PartModel(name, part)
        return out

    def hb_get(self, key: str | int) -> Any:
        if not isinstance(key, str):
            return None
        cache = self._cache
        if key in cache:
            return cache[key]
        compute = _COMPUTE.get(key)
        if compute is None:
            return None
        value = cache[key] = compute(self)
        return value

    def __str__(self) -> str:
        return f"RequestTemplateModel[{self._req.method} {self._req.url}]"


class RequestLineModel(KeyedModel):
    """`request.requestLine.*` (deprecated alias); its `path` is a plain string."""

    __slots__ = ("_request",)

    _KEYS = (
        "method",
        "pathSegments",
        "path",
        "url",
        "query",
        "scheme",
        "host",
        "port",
        "baseUrl",
        "clientIp",
    )

    def __init__(self, request: RequestModel) -> None:
        self._request = request

    def __getitem__(self, key: str) -> Any:
        if key not in self._KEYS:
            raise KeyError(key)
        value = self._request[key]
        return str(value) if key == "path" else value

    def __str__(self) -> str:
        return "RequestLine"


def _attribute(name: str) -> Callable[[RequestModel], Any]:
    return lambda model: getattr(model._req, name)


_COMPUTE: dict[str, Callable[[RequestModel], Any]] = {
    "path": RequestModel._path,
    "pathSegments": RequestModel._path,
    "method": lambda model: RequestMethod(model._req.method),
    **{key: _attribute(name) for key, name in _SIMPLE.items()},
    "body": lambda model: model._req.body_text or "",
    "binary": lambda model: is_binary(model._req.content_type),
    "clientIp": RequestModel._client_ip,
    "headers": RequestModel._headers,
    "query": lambda model: {k: ListOrSingle(v) for k, v in model._req.query_params.items()},
    "cookies": lambda model: {k: ListOrSingle(v) for k, v in model._req.cookies.items()},
    "parts": RequestModel._parts,
    "requestLine": RequestLineModel,
}


def java_numbers(value: Any) -> Any:
    """Jackson reads transformerParameters decimals as doubles: `1.10` prints `1.1`. Unchanged input is
    returned as is (no copy on the hot path)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        converted = {k: java_numbers(v) for k, v in value.items()}
        return value if all(converted[k] is value[k] for k in value) else converted
    if isinstance(value, list):
        items = [java_numbers(v) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    return value


def request_model(
    req: LoggedRequest,
    *,
    path_params: Mapping[str, str] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The top-level model `{'request': ..., 'parameters': ...}` of spec §4.2 (lazy; cheap to build)."""
    params = java_numbers(dict(parameters)) if parameters else {}
    return {"request": RequestModel(req, path_params), "parameters": params}


__all__ = ["HeaderMap", "PartModel", "RequestMethod", "RequestModel", "UrlPath", "java_str", "request_model"]
