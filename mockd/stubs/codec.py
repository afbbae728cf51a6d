"""The ONLY place that knows stub wire names: dict <-> model, strict, errors with a JSON pointer.

Parsing is as strict as WireMock's Jackson: an unknown field anywhere is an error that names the field,
where it is, and what was expected.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from mockd.errors import InvalidInput, Location
from mockd.matching.multi import MultiValuePattern, parse_multi
from mockd.matching.operators import parse_pattern, parse_string_pattern
from mockd.matching.request import (
    ANY_METHOD,
    BasicAuth,
    MatchingType,
    MultipartPattern,
    RequestPattern,
)
from mockd.matching.url import ANY_URL, URL_KEYS, UrlPattern
from mockd.matching.values import StringPattern
from mockd.stubs.model import (
    ChunkedDribble,
    DelayKind,
    DelaySpec,
    Fault,
    GlobalSettings,
    Headers,
    ResponseDefinition,
    StubMapping,
)

T = TypeVar("T")

STUB_FIELDS = (
    "id", "uuid", "name", "request", "newRequest", "response", "priority", "persistent", "scenarioName",
    "requiredScenarioState", "newScenarioState", "postServeActions", "serveEventListeners", "metadata",
    "insertionIndex", "$schema",
)  # fmt: skip
REQUEST_FIELDS = (
    *(k.value for k in URL_KEYS), "method", "pathParameters", "headers", "queryParameters",
    "formParameters", "cookies", "basicAuthCredentials", "basicAuth", "bodyPatterns", "multipartPatterns",
    "host", "port", "scheme", "clientIp", "customMatcher",
)  # fmt: skip
RESPONSE_FIELDS = (
    "status", "statusMessage", "headers", "body", "jsonBody", "base64Body", "bodyFileName",
    "fixedDelayMilliseconds", "delayDistribution", "chunkedDribbleDelay", "fault", "proxyBaseUrl",
    "proxyUrlPrefixToRemove", "additionalProxyRequestHeaders", "removeProxyRequestHeaders", "transformers",
    "transformerParameters", "fromConfiguredStub",
)  # fmt: skip
MULTIPART_FIELDS = ("name", "matchingType", "headers", "bodyPatterns", "fileName")

MAX_DELAY_MS = 3_600_000
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def escape(key: str) -> str:
    """A key as a JSON pointer segment (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


def _fail(pointer: str, detail: str) -> InvalidInput:
    return InvalidInput(detail, Location(pointer=pointer))


def _object(value: Any, pointer: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(pointer, f"{what} must be an object, got {_type(value)}")
    return value


def _check_fields(obj: Mapping[str, Any], allowed: tuple[str, ...], pointer: str, what: str) -> None:
    for key in obj:
        if key not in allowed:
            raise _fail(
                f"{pointer}/{escape(str(key))}",
                f'Unrecognized field "{key}" in {what}: expected one of {", ".join(a for a in allowed if a != "$schema")}',
            )


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | Decimal | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _opt(
    obj: Mapping[str, Any], key: str, pointer: str, kind: type[T] | tuple[type, ...], what: str
) -> T | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) and kind is int:
        raise _fail(f"{pointer}/{key}", f"{key} must be {what}, got {_type(value)}")
    if not isinstance(value, kind):
        raise _fail(f"{pointer}/{key}", f"{key} must be {what}, got {_type(value)}")
    return value  # type: ignore[return-value]


def _int(obj: Mapping[str, Any], key: str, pointer: str, lo: int, hi: int) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,12}", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{pointer}/{key}", f"{key} must be an integer, got {_type(value)}")
    if not lo <= value <= hi:
        raise _fail(f"{pointer}/{key}", f"{key} must be between {lo} and {hi}, got {value}")
    return value


def _number(obj: Mapping[str, Any], key: str, pointer: str, required: bool = True) -> float | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _fail(f"{pointer}/{key}", f"{key} is required (a number)")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _fail(f"{pointer}/{key}", f"{key} must be a number, got {_type(value)}")
    number = float(value)
    if not 0 <= number <= MAX_DELAY_MS:
        raise _fail(f"{pointer}/{key}", f"{key} must be between 0 and {MAX_DELAY_MS}, got {value}")
    return number


def _map_of(
    value: Any, pointer: str, what: str, parse: Callable[[Any, str], T], lower: bool = False
) -> dict[str, T]:
    obj = _object(value, pointer, what)
    return {str(k): parse(v, f"{pointer}/{escape(str(k))}") for k, v in obj.items()}


# -- request ---------------------------------------------------------------------------------------


def request_from_json(value: Any, pointer: str = "/request") -> RequestPattern:
    if value is None:
        return RequestPattern()
    obj = _object(value, pointer, "request")
    _check_fields(obj, REQUEST_FIELDS, pointer, "request")
    url = ANY_URL
    for kind in URL_KEYS:
        if obj.get(kind.value) is not None:
            url = UrlPattern.parse(kind, obj[kind.value], f"{pointer}/{kind.value}")
            break
    method = _opt(obj, "method", pointer, str, "a string such as GET or ANY") or ANY_METHOD
    path_params: dict[str, StringPattern] = {}
    if obj.get("pathParameters") is not None:
        path_params = _map_of(
            obj["pathParameters"], f"{pointer}/pathParameters", "pathParameters", parse_string_pattern
        )
    headers: dict[str, MultiValuePattern] = {}
    if obj.get("headers") is not None:
        headers = _map_of(obj["headers"], f"{pointer}/headers", "headers", parse_multi)
    query: dict[str, MultiValuePattern] = {}
    if obj.get("queryParameters") is not None:
        query = _map_of(obj["queryParameters"], f"{pointer}/queryParameters", "queryParameters", parse_multi)
    form: dict[str, MultiValuePattern] = {}
    if obj.get("formParameters") is not None:
        form = _map_of(obj["formParameters"], f"{pointer}/formParameters", "formParameters", parse_multi)
    cookies: dict[str, StringPattern] = {}
    if obj.get("cookies") is not None:
        cookies = _map_of(obj["cookies"], f"{pointer}/cookies", "cookies", parse_string_pattern)
    basic = None
    for key in ("basicAuthCredentials", "basicAuth"):
        if obj.get(key) is not None:
            basic = _basic_auth(obj[key], f"{pointer}/{key}")
            break
    bodies: tuple[StringPattern, ...] = ()
    if obj.get("bodyPatterns") is not None:
        bodies = _patterns(obj["bodyPatterns"], f"{pointer}/bodyPatterns")
    multiparts: tuple[MultipartPattern, ...] = ()
    if obj.get("multipartPatterns") is not None:
        items = obj["multipartPatterns"]
        if not isinstance(items, list):
            raise _fail(f"{pointer}/multipartPatterns", "multipartPatterns must be an array")
        multiparts = tuple(_multipart(p, f"{pointer}/multipartPatterns/{i}") for i, p in enumerate(items))
    host = parse_string_pattern(obj["host"], f"{pointer}/host") if obj.get("host") is not None else None
    client_ip = (
        parse_string_pattern(obj["clientIp"], f"{pointer}/clientIp")
        if obj.get("clientIp") is not None
        else None
    )
    scheme = _opt(obj, "scheme", pointer, str, '"http" or "https"')
    if scheme is not None and scheme not in ("http", "https"):
        raise _fail(f"{pointer}/scheme", f'scheme must be "http" or "https", got {scheme!r}')
    custom = obj.get("customMatcher")
    if custom is not None:
        _object(custom, f"{pointer}/customMatcher", "customMatcher")
    return RequestPattern(
        url=url,
        method=method.upper() if method not in ("ANY", "GET_OR_HEAD") else method,
        scheme=scheme,
        host=host,
        port=_int(obj, "port", pointer, 0, 65535),
        client_ip=client_ip,
        path_parameters=path_params,
        headers=headers,
        basic_auth=basic,
        query=query,
        form=form,
        cookies=cookies,
        body_patterns=bodies,
        multipart_patterns=multiparts,
        custom_matcher=custom,
    )


def _patterns(value: Any, pointer: str) -> tuple[StringPattern, ...]:
    if not isinstance(value, list):
        raise _fail(pointer, f"bodyPatterns must be an array of patterns, got {_type(value)}")
    return tuple(parse_pattern(p, f"{pointer}/{i}") for i, p in enumerate(value))


def _basic_auth(value: Any, pointer: str) -> BasicAuth:
    obj = _object(value, pointer, "basicAuthCredentials")
    _check_fields(obj, ("username", "password"), pointer, "basicAuthCredentials")
    user = obj.get("username")
    password = obj.get("password")
    if not isinstance(user, str) or not isinstance(password, str):
        raise _fail(pointer, "basicAuthCredentials needs string username and password")
    return BasicAuth(user, password)


def _multipart(value: Any, pointer: str) -> MultipartPattern:
    obj = _object(value, pointer, "a multipart pattern")
    _check_fields(obj, MULTIPART_FIELDS, pointer, "multipartPatterns")
    mtype = obj.get("matchingType", "ANY")
    if mtype not in ("ANY", "ALL"):
        raise _fail(f"{pointer}/matchingType", f'matchingType must be "ANY" or "ALL", got {mtype!r}')
    headers: dict[str, MultiValuePattern] = {}
    if obj.get("headers") is not None:
        headers = _map_of(obj["headers"], f"{pointer}/headers", "headers", parse_multi)
    bodies = _patterns(obj["bodyPatterns"], f"{pointer}/bodyPatterns") if obj.get("bodyPatterns") else ()
    file_name = None
    if obj.get("fileName") is not None:
        raw = obj["fileName"]
        file_name = parse_string_pattern(raw, f"{pointer}/fileName") if isinstance(raw, Mapping) else None
        if file_name is None:
            from mockd.matching.values import EqualTo

            file_name = EqualTo(str(raw))
    name = _opt(obj, "name", pointer, str, "a string")
    return MultipartPattern(MatchingType(mtype), headers, bodies, name, file_name)


def request_to_json(req: RequestPattern) -> dict[str, Any]:
    out: dict[str, Any] = dict(req.url.to_json())
    out["method"] = req.method
    if req.path_parameters:
        out["pathParameters"] = {k: p.to_json() for k, p in req.path_parameters.items()}
    if req.headers:
        out["headers"] = {k: p.to_json() for k, p in req.headers.items()}
    if req.query:
        out["queryParameters"] = {k: p.to_json() for k, p in req.query.items()}
    if req.form:
        out["formParameters"] = {k: p.to_json() for k, p in req.form.items()}
    if req.cookies:
        out["cookies"] = {k: p.to_json() for k, p in req.cookies.items()}
    if req.basic_auth is not None:
        out["basicAuthCredentials"] = req.basic_auth.to_json()
    if req.body_patterns:
        out["bodyPatterns"] = [p.to_json() for p in req.body_patterns]
    if req.multipart_patterns:
        out["multipartPatterns"] = [_multipart_to_json(m) for m in req.multipart_patterns]
    if req.host is not None:
        out["host"] = req.host.to_json()
    if req.port is not None:
        out["port"] = req.port
    if req.scheme is not None:
        out["scheme"] = req.scheme
    if req.client_ip is not None:
        out["clientIp"] = req.client_ip.to_json()
    if req.custom_matcher is not None:
        out["customMatcher"] = req.custom_matcher
    return out


def _multipart_to_json(m: MultipartPattern) -> dict[str, Any]:
    out: dict[str, Any] = {"matchingType": m.matching_type.value}
    if m.name is not None:
        out["name"] = m.name
    if m.file_name is not None:
        out["fileName"] = m.file_name.to_json()
    if m.headers:
        out["headers"] = {k: p.to_json() for k, p in m.headers.items()}
    if m.body_patterns:
        out["bodyPatterns"] = [p.to_json() for p in m.body_patterns]
    return out


# -- response --------------------------------------------------------------------------------------


def headers_from_json(value: Any, pointer: str) -> Headers:
    obj = _object(value, pointer, "headers")
    out: list[tuple[str, str]] = []
    for name, v in obj.items():
        p = f"{pointer}/{escape(str(name))}"
        if not _TOKEN.match(str(name)):
            raise _fail(
                p, f"invalid header name {name!r}: expected a token (letters, digits, !#$%&'*+-.^_`|~)"
            )
        values = v if isinstance(v, list) else [v]
        for i, item in enumerate(values):
            if isinstance(item, Mapping | list):
                raise _fail(p, "a header value must be a string or an array of strings")
            text = _scalar_text(item)
            if "\r" in text or "\n" in text:
                raise _fail(
                    p if not isinstance(v, list) else f"{p}/{i}", "a header value must not contain CR or LF"
                )
            if _CONTROL.search(text):  # what HTTP/1.1 forbids in a field value (RFC 9110 §5.5)
                raise _fail(
                    p if not isinstance(v, list) else f"{p}/{i}",
                    "a header value must not contain control characters (other than tab)",
                )
            out.append((str(name), text))
    return tuple(out)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _status_message(obj: Mapping[str, Any], pointer: str) -> str | None:
    message = _opt(obj, "statusMessage", pointer, str, "a string")
    if message is not None and _CONTROL.search(message):
        raise _fail(f"{pointer}/statusMessage", "statusMessage must not contain CR, LF or control characters")
    return message


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def headers_to_json(headers: Headers) -> dict[str, Any]:
    grouped: dict[str, list[str]] = {}
    for k, v in headers:
        grouped.setdefault(k, []).append(v)
    return {k: (v[0] if len(v) == 1 else v) for k, v in grouped.items()}


def response_from_json(value: Any, pointer: str = "/response") -> ResponseDefinition:
    if value is None:
        return ResponseDefinition()
    obj = _object(value, pointer, "response")
    _check_fields(obj, RESPONSE_FIELDS, pointer, "response")
    raw_status = obj.get("status")
    status_template = (
        raw_status if isinstance(raw_status, str) and ("{{" in raw_status or "{%" in raw_status) else None
    )
    status = None if status_template else _int(obj, "status", pointer, 0, 599)
    if status is not None and 0 < status < 100:
        raise _fail(f"{pointer}/status", f"status must be between 100 and 599, got {status}")
    body = obj.get("body")
    if body is not None and not isinstance(body, str):
        if isinstance(body, Mapping | list):
            raise _fail(f"{pointer}/body", "body must be a string (use jsonBody for JSON)")
        body = _scalar_text(body)
    b64 = _opt(obj, "base64Body", pointer, str, "a base64 string")
    if b64 is not None:
        try:
            base64.b64decode(b64, validate=False)
        except (binascii.Error, ValueError):
            raise _fail(f"{pointer}/base64Body", "base64Body is not valid base64") from None
    fault = None
    if obj.get("fault") is not None:
        try:
            fault = Fault(obj["fault"])
        except ValueError:
            raise _fail(
                f"{pointer}/fault",
                f"unknown fault {obj['fault']!r}: expected one of {', '.join(f.value for f in Fault)}",
            ) from None
    transformers = obj.get("transformers")
    if transformers is not None and (
        not isinstance(transformers, list) or not all(isinstance(t, str) for t in transformers)
    ):
        raise _fail(f"{pointer}/transformers", "transformers must be an array of names")
    params = obj.get("transformerParameters")
    if params is not None:
        params = dict(_object(params, f"{pointer}/transformerParameters", "transformerParameters"))
    remove = obj.get("removeProxyRequestHeaders")
    if remove is not None and (not isinstance(remove, list) or not all(isinstance(x, str) for x in remove)):
        raise _fail(
            f"{pointer}/removeProxyRequestHeaders", "removeProxyRequestHeaders must be an array of names"
        )
    proxy = _opt(obj, "proxyBaseUrl", pointer, str, "a URL string")
    return ResponseDefinition(
        status=status or 200,
        status_template=status_template,
        status_message=_status_message(obj, pointer),
        headers=headers_from_json(obj["headers"], f"{pointer}/headers")
        if obj.get("headers") is not None
        else (),
        body=body,
        json_body=obj.get("jsonBody"),
        base64_body=b64,
        body_file_name=_body_file(obj, pointer),
        fixed_delay_ms=_int(obj, "fixedDelayMilliseconds", pointer, 0, MAX_DELAY_MS),
        delay_distribution=delay_from_json(obj["delayDistribution"], f"{pointer}/delayDistribution")
        if obj.get("delayDistribution") is not None
        else None,
        chunked_dribble=_dribble(obj["chunkedDribbleDelay"], f"{pointer}/chunkedDribbleDelay")
        if obj.get("chunkedDribbleDelay") is not None
        else None,
        fault=fault,
        proxy_base_url=proxy.strip() if proxy else proxy,
        proxy_url_prefix_to_remove=_opt(obj, "proxyUrlPrefixToRemove", pointer, str, "a string"),
        additional_proxy_request_headers=headers_from_json(
            obj["additionalProxyRequestHeaders"], f"{pointer}/additionalProxyRequestHeaders"
        )
        if obj.get("additionalProxyRequestHeaders") is not None
        else (),
        remove_proxy_request_headers=tuple(remove or ()),
        transformers=tuple(transformers or ()),
        transformer_parameters=params,
        from_configured_stub=_opt(obj, "fromConfiguredStub", pointer, bool, "true or false"),
    )


def _body_file(obj: Mapping[str, Any], pointer: str) -> str | None:
    """A path relative to __files/. One that leaves it (absolute, `..`) is refused here; a templated one
    is checked when it is rendered, and links are checked when the file is read."""
    name = _opt(obj, "bodyFileName", pointer, str, "a path under __files")
    if name is None or "{{" in name or "{%" in name:
        return name
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts or "\x00" in name:
        raise _fail(
            f"{pointer}/bodyFileName",
            f"bodyFileName {name!r} leaves __files/: expected a relative path inside it",
        )
    return name


def delay_from_json(value: Any, pointer: str) -> DelaySpec:
    obj = _object(value, pointer, "delayDistribution")
    kind = obj.get("type")
    try:
        dkind = DelayKind(str(kind))
    except ValueError:
        raise _fail(
            f"{pointer}/type", f"unknown delay type {kind!r}: expected one of fixed, uniform, lognormal"
        ) from None
    if dkind is DelayKind.FIXED:
        _check_fields(obj, ("type", "milliseconds"), pointer, "a fixed delay")
        return DelaySpec(dkind, milliseconds=int(_number(obj, "milliseconds", pointer) or 0))
    if dkind is DelayKind.UNIFORM:
        _check_fields(obj, ("type", "lower", "upper"), pointer, "a uniform delay")
        lower = int(_number(obj, "lower", pointer) or 0)
        upper = int(_number(obj, "upper", pointer) or 0)
        if upper < lower:
            raise _fail(f"{pointer}/upper", f"upper ({upper}) must not be below lower ({lower})")
        return DelaySpec(dkind, lower=lower, upper=upper)
    _check_fields(obj, ("type", "median", "sigma", "maxValue"), pointer, "a lognormal delay")
    median = _number(obj, "median", pointer) or 0.0
    sigma_raw = obj.get("sigma")
    if (
        isinstance(sigma_raw, bool)
        or not isinstance(sigma_raw, int | float | Decimal)
        or not 0 <= sigma_raw <= 10
    ):
        raise _fail(f"{pointer}/sigma", "sigma must be a number between 0 and 10")
    max_value = _number(obj, "maxValue", pointer, required=False)
    if max_value is not None and max_value < median:
        raise _fail(f"{pointer}/maxValue", f"maxValue ({max_value}) must not be below median ({median})")
    return DelaySpec(dkind, median=median, sigma=float(sigma_raw), max_value=max_value)


def delay_to_json(d: DelaySpec) -> dict[str, Any]:
    if d.kind is DelayKind.FIXED:
        return {"type": "fixed", "milliseconds": d.milliseconds}
    if d.kind is DelayKind.UNIFORM:
        return {"type": "uniform", "lower": d.lower, "upper": d.upper}
    out: dict[str, Any] = {"type": "lognormal", "median": _num(d.median), "sigma": _num(d.sigma)}
    if d.max_value is not None:
        out["maxValue"] = _num(d.max_value)
    return out


def _num(x: float) -> int | float:
    return int(x) if x == int(x) else x


def _dribble(value: Any, pointer: str) -> ChunkedDribble:
    obj = _object(value, pointer, "chunkedDribbleDelay")
    _check_fields(obj, ("numberOfChunks", "totalDuration"), pointer, "chunkedDribbleDelay")
    chunks = _int(obj, "numberOfChunks", pointer, 1, 100_000)
    total = _int(obj, "totalDuration", pointer, 0, MAX_DELAY_MS)
    if chunks is None or total is None:
        raise _fail(pointer, "chunkedDribbleDelay needs numberOfChunks and totalDuration")
    return ChunkedDribble(chunks, total)


def response_to_json(r: ResponseDefinition) -> dict[str, Any]:
    out: dict[str, Any] = {"status": r.status_template or r.status}
    if r.status_message is not None:
        out["statusMessage"] = r.status_message
    if r.headers:
        out["headers"] = headers_to_json(r.headers)
    if r.body is not None:
        out["body"] = r.body
    if r.json_body is not None:
        out["jsonBody"] = r.json_body
    if r.base64_body is not None:
        out["base64Body"] = r.base64_body
    if r.body_file_name is not None:
        out["bodyFileName"] = r.body_file_name
    if r.fixed_delay_ms is not None:
        out["fixedDelayMilliseconds"] = r.fixed_delay_ms
    if r.delay_distribution is not None:
        out["delayDistribution"] = delay_to_json(r.delay_distribution)
    if r.chunked_dribble is not None:
        out["chunkedDribbleDelay"] = {
            "numberOfChunks": r.chunked_dribble.number_of_chunks,
            "totalDuration": r.chunked_dribble.total_duration_ms,
        }
    if r.fault is not None:
        out["fault"] = r.fault.value
    if r.proxy_base_url is not None:
        out["proxyBaseUrl"] = r.proxy_base_url
    if r.proxy_url_prefix_to_remove is not None:
        out["proxyUrlPrefixToRemove"] = r.proxy_url_prefix_to_remove
    if r.additional_proxy_request_headers:
        out["additionalProxyRequestHeaders"] = headers_to_json(r.additional_proxy_request_headers)
    if r.remove_proxy_request_headers:
        out["removeProxyRequestHeaders"] = list(r.remove_proxy_request_headers)
    if r.transformers:
        out["transformers"] = list(r.transformers)
    if r.transformer_parameters is not None:
        out["transformerParameters"] = r.transformer_parameters
    if r.from_configured_stub is not None:
        out["fromConfiguredStub"] = r.from_configured_stub
    return out


# -- stub ------------------------------------------------------------------------------------------


def _uuid(value: Any, pointer: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _fail(pointer, f"id must be a UUID string, got {_type(value)}")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _fail(pointer, f"{value!r} is not a valid UUID") from None


def stub_from_json(value: Any, pointer: str = "") -> StubMapping:
    """Parse one stub mapping. Missing id: a new random UUID."""
    obj = _object(value, pointer or "/", "a stub mapping")
    _check_fields(obj, STUB_FIELDS, pointer, "a stub mapping")
    sid = (
        _uuid(obj.get("id"), f"{pointer}/id")
        or _uuid(obj.get("uuid"), f"{pointer}/uuid")
        or str(uuid.uuid4())
    )
    metadata = obj.get("metadata")
    if metadata is not None:
        metadata = dict(_object(metadata, f"{pointer}/metadata", "metadata"))
    request_doc = obj.get("request") if obj.get("request") is not None else obj.get("newRequest")
    return StubMapping(
        id=sid,
        name=_opt(obj, "name", pointer, str, "a string"),
        request=request_from_json(request_doc, f"{pointer}/request"),
        response=response_from_json(obj.get("response"), f"{pointer}/response"),
        priority=_int(obj, "priority", pointer, -(2**31), 2**31 - 1),
        persistent=_opt(obj, "persistent", pointer, bool, "true or false"),
        scenario_name=_opt(obj, "scenarioName", pointer, str, "a string"),
        required_scenario_state=_opt(obj, "requiredScenarioState", pointer, str, "a string"),
        new_scenario_state=_opt(obj, "newScenarioState", pointer, str, "a string"),
        metadata=metadata,
        post_serve_actions=obj.get("postServeActions"),
        serve_event_listeners=obj.get("serveEventListeners"),
    )


def stub_to_json(stub: StubMapping) -> dict[str, Any]:
    out: dict[str, Any] = {"id": stub.id}
    if stub.name is not None:
        out["name"] = stub.name
    out["request"] = request_to_json(stub.request)
    out["response"] = response_to_json(stub.response)
    out["uuid"] = stub.id
    if stub.persistent is not None:
        out["persistent"] = stub.persistent
    if stub.priority is not None:
        out["priority"] = stub.priority
    if stub.scenario_name is not None:
        out["scenarioName"] = stub.scenario_name
    if stub.required_scenario_state is not None:
        out["requiredScenarioState"] = stub.required_scenario_state
    if stub.new_scenario_state is not None:
        out["newScenarioState"] = stub.new_scenario_state
    if stub.post_serve_actions is not None:
        out["postServeActions"] = stub.post_serve_actions
    if stub.serve_event_listeners is not None:
        out["serveEventListeners"] = stub.serve_event_listeners
    if stub.metadata is not None:
        out["metadata"] = stub.metadata
    return out


def stubs_from_document(doc: Any, pointer: str = "") -> tuple[list[StubMapping], bool]:
    """A file or body holds one stub or {"mappings": [...]} (its `meta` ignored). Returns (stubs, multi)."""
    if isinstance(doc, Mapping) and "mappings" in doc and "request" not in doc and "response" not in doc:
        _check_fields(doc, ("mappings", "meta", "importOptions"), pointer, "a mappings collection")
        items = doc["mappings"]
        if not isinstance(items, list):
            raise _fail(f"{pointer}/mappings", "mappings must be an array of stub mappings")
        return [stub_from_json(s, f"{pointer}/mappings/{i}") for i, s in enumerate(items)], True
    return [stub_from_json(doc, pointer)], False


# -- global settings -------------------------------------------------------------------------------

SETTINGS_FIELDS = ("fixedDelay", "delayDistribution", "extended", "proxyPassThrough")


def settings_from_json(value: Any) -> GlobalSettings:
    """A bare GlobalSettings object or `{"settings": {...}}`; replaces the whole object."""
    if value is None:
        return GlobalSettings(proxy_pass_through=False)
    obj = _object(value, "", "settings")
    pointer = ""
    if "settings" in obj and isinstance(obj.get("settings"), Mapping):
        _check_fields(obj, ("settings",), "", "settings")
        obj = obj["settings"]
        pointer = "/settings"
    _check_fields(obj, SETTINGS_FIELDS, pointer, "settings")
    extended = obj.get("extended")
    if extended is not None:
        extended = dict(_object(extended, f"{pointer}/extended", "extended"))
    return GlobalSettings(
        fixed_delay_ms=_int(obj, "fixedDelay", pointer, 0, MAX_DELAY_MS),
        delay_distribution=delay_from_json(obj["delayDistribution"], f"{pointer}/delayDistribution")
        if obj.get("delayDistribution") is not None
        else None,
        extended=extended or {},
        proxy_pass_through=bool(_opt(obj, "proxyPassThrough", pointer, bool, "true or false")),
    )


def settings_to_json(s: GlobalSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if s.fixed_delay_ms is not None:
        out["fixedDelay"] = s.fixed_delay_ms
    if s.delay_distribution is not None:
        out["delayDistribution"] = delay_to_json(s.delay_distribution)
    out["extended"] = s.extended
    out["proxyPassThrough"] = s.proxy_pass_through
    return out
