"""Admin JSON: stubs, scenarios, journal entries (ServeEvent, LoggedRequest) and near misses.

Wire names live here and in the codec. The journal keeps model objects; they become JSON only here,
when an admin call asks for them (spec §6.4).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from mockd.errors import InvalidInput, Location
from mockd.http import LoggedRequest, header_dict
from mockd.matching.request import RequestPattern
from mockd.matching.result import MatchResult
from mockd.multipart import MultipartPart
from mockd.scenarios import ScenarioInfo
from mockd.stubs.codec import request_to_json, response_to_json, stub_to_json
from mockd.stubs.model import (
    ResponseDefinition,
    ResponseSnapshot,
    ServeEvent,
    StubMapping,
    SubEvent,
    Timing,
)

# WireMock's unmatched events point at a synthetic "not configured" stub with a fixed id per process.
NOT_CONFIGURED_ID = str(uuid.uuid4())


def mappings_page(stubs: list[StubMapping], total: int | None = None) -> dict[str, Any]:
    return {
        "mappings": [stub_to_json(s) for s in stubs],
        "meta": {"total": len(stubs) if total is None else total},
    }


def scenario_json(info: ScenarioInfo) -> dict[str, Any]:
    return {
        "id": info.name,
        "name": info.name,
        "state": info.state,
        "possibleStates": list(info.possible_states),
        "mappings": [stub_to_json(s) for s in info.stubs],
    }


# -- journal: LoggedRequest and ServeEvent -----------------------------------------------------------


def iso_millis(epoch_ms: int) -> str:
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=epoch_ms)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _collapse(grouped: Mapping[str, list[str]]) -> dict[str, Any]:
    """One value -> a string, several -> an array (WireMock's HttpHeaders JSON)."""
    return {k: (v[0] if len(v) == 1 else list(v)) for k, v in grouped.items()}


def _params(grouped: Mapping[str, list[str]]) -> dict[str, Any]:
    return {k: {"key": k, "values": list(v)} for k, v in grouped.items()}


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _part_json(part: MultipartPart) -> dict[str, Any]:
    out: dict[str, Any] = {"name": part.name}
    if part.file_name is not None:
        out["fileName"] = part.file_name
    out["headers"] = _collapse(header_dict(part.headers))
    out["body"] = part.text if part.text is not None else ""
    out["bodyAsBase64"] = base64.b64encode(part.body).decode("ascii")
    return out


def logged_request_json(req: LoggedRequest) -> dict[str, Any]:
    logged_ms = int(req.logged_at * 1000)
    out: dict[str, Any] = {
        "id": req.id,
        "url": req.url,
        "absoluteUrl": req.absolute_url,
        "method": req.method,
        "clientIp": req.client_ip,
        "headers": _collapse(header_dict(req.headers)),
        "cookies": _collapse(req.cookies),
        "browserProxyRequest": req.browser_proxy,
        "loggedDate": logged_ms,
        "bodyAsBase64": req.body_base64,
        "body": req.body_text or "",
        "scheme": req.scheme,
        "host": req.host,
        "port": req.port,
        "loggedDateString": iso_millis(logged_ms),
        "queryParams": _params(req.query_params),
        "formParams": _params(req.form_params),
        "protocol": req.protocol,
    }
    if req.is_multipart:
        out["multiparts"] = [_part_json(p) for p in req.parts]
    return out


def _response_json(snapshot: ResponseSnapshot | None, rd: ResponseDefinition) -> dict[str, Any]:
    if snapshot is None:  # still being served
        snapshot = ResponseSnapshot(rd.status)
    return snapshot_json(snapshot)


def snapshot_json(snapshot: ResponseSnapshot) -> dict[str, Any]:
    """A response as the journal shows it: status, headers, body (base64 and text), fault."""
    out: dict[str, Any] = {
        "status": snapshot.status,
        "headers": _collapse(header_dict(snapshot.headers)),
        "bodyAsBase64": base64.b64encode(snapshot.body).decode("ascii"),
        "body": _text(snapshot.body),
    }
    if snapshot.fault is not None:
        out["fault"] = snapshot.fault.value
    return out


def _timing_json(t: Timing) -> dict[str, Any]:
    return {
        "addedDelay": t.added_delay_ms,
        "processTime": t.process_time_ms,
        "responseSendTime": t.response_send_time_ms,
        "serveTime": t.serve_time_ms,
        "totalTime": t.total_time_ms,
    }


def not_configured_stub_json(rd: ResponseDefinition) -> dict[str, Any]:
    return {
        "id": NOT_CONFIGURED_ID,
        "request": {"method": "ANY"},
        "response": response_to_json(rd),
        "uuid": NOT_CONFIGURED_ID,
    }


def serve_event_json(event: ServeEvent) -> dict[str, Any]:
    rd = event.response_definition
    return {
        "id": event.id,
        "request": logged_request_json(event.request),
        "stubMapping": stub_to_json(event.stub) if event.stub is not None else not_configured_stub_json(rd),
        "responseDefinition": response_to_json(rd),
        "response": _response_json(event.response, rd),
        "wasMatched": event.was_matched,
        "timing": _timing_json(event.timing),
        "subEvents": [_sub_event_json(s) for s in event.sub_events],
    }


def _sub_event_json(sub: SubEvent) -> dict[str, Any]:
    if sub.time_offset_nanos is None:
        return {"type": sub.type, "data": sub.data}
    return {"type": sub.type, "timeOffsetNanos": sub.time_offset_nanos, "data": sub.data}


def serve_events_json(events: Iterable[ServeEvent]) -> list[dict[str, Any]]:
    return [serve_event_json(e) for e in events]


def logged_requests_json(events: Iterable[ServeEvent]) -> list[dict[str, Any]]:
    return [logged_request_json(e.request) for e in events]


# -- near misses -----------------------------------------------------------------------------------


def match_result_json(result: MatchResult) -> dict[str, Any]:
    return {"distance": result.distance}


def stub_near_miss_json(req: LoggedRequest, stub: StubMapping, result: MatchResult) -> dict[str, Any]:
    return {
        "request": logged_request_json(req),
        "stubMapping": stub_to_json(stub),
        "matchResult": match_result_json(result),
    }


def pattern_near_miss_json(
    req: LoggedRequest, pattern: RequestPattern, result: MatchResult
) -> dict[str, Any]:
    return {
        "request": logged_request_json(req),
        "requestPattern": request_to_json(pattern),
        "matchResult": match_result_json(result),
    }


# -- a LoggedRequest described in JSON (POST /near-misses/request) ---------------------------------


def _str_field(doc: Mapping[str, Any], key: str) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{key} must be a string", Location(pointer=f"/{key}"))
    return value


def _header_pairs(value: Any, key: str) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{key} must be an object", Location(pointer=f"/{key}"))
    pairs: list[tuple[str, str]] = []
    for name, v in value.items():
        values = v if isinstance(v, list) else [v]
        for item in values:
            if isinstance(item, Mapping | list):
                raise InvalidInput(
                    f"{key} values must be strings or arrays of strings", Location(pointer=f"/{key}/{name}")
                )
            pairs.append((str(name), "" if item is None else str(item)))
    return pairs


def _body(doc: Mapping[str, Any]) -> bytes:
    encoded = _str_field(doc, "bodyAsBase64")
    if encoded:
        try:
            return base64.b64decode(encoded, validate=False)
        except (binascii.Error, ValueError):
            raise InvalidInput(
                "bodyAsBase64 is not valid base64", Location(pointer="/bodyAsBase64")
            ) from None
    text = _str_field(doc, "body")
    return text.encode("utf-8") if text else b""


def logged_request_from_json(doc: Any) -> LoggedRequest:
    """A LoggedRequest from its JSON (WireMock ignores fields it does not know; so does this)."""
    if not isinstance(doc, Mapping):
        raise InvalidInput("expected a logged request object", Location(pointer=""))
    url = _str_field(doc, "url") or "/"
    headers = _header_pairs(doc.get("headers"), "headers")
    cookies = _header_pairs(doc.get("cookies"), "cookies")
    if cookies and not any(k.lower() == "cookie" for k, _ in headers):
        headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in cookies)))
    absolute = urlsplit(_str_field(doc, "absoluteUrl") or "")
    extra: dict[str, Any] = {}
    if absolute.scheme in ("http", "https"):
        extra["scheme"] = absolute.scheme
    try:
        if absolute.hostname:
            extra["host"] = absolute.hostname
            extra["port"] = absolute.port or (443 if absolute.scheme == "https" else 80)
    except ValueError:
        raise InvalidInput("absoluteUrl has an invalid port", Location(pointer="/absoluteUrl")) from None
    client_ip = _str_field(doc, "clientIp")
    if client_ip:
        extra["socket_ip"] = client_ip
    method = _str_field(doc, "method") or "GET"
    return LoggedRequest.create(method, url, headers, _body(doc), **extra)
