"""/__admin/requests: the request journal (list, get, find, count, remove, unmatched)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from aiohttp import web

from mockd.admin.call import AdminCall, empty, json_response
from mockd.admin.serialize import logged_requests_json, serve_event_json, serve_events_json
from mockd.core import require_stub_id
from mockd.errors import InvalidInput, InvalidParameter, Location, NotFound
from mockd.matching.operators import parse_pattern
from mockd.matching.request import RequestPattern
from mockd.stubs.codec import request_from_json


class InvalidQueryUuid(InvalidParameter):
    """A query parameter that should be a UUID (WireMock's code 15)."""

    code = 15


def event_id(call: AdminCall) -> str:
    try:
        return require_stub_id(call.params["id"])
    except InvalidInput as exc:
        raise InvalidParameter(exc.detail, title=exc.detail) from None


def request_pattern(call: AdminCall) -> RequestPattern:
    """The body as a RequestPattern (the same JSON as a stub's `request`); pointers start at the root."""
    return request_from_json(call.json(), "")


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _since_ms(call: AdminCall) -> int | None:
    raw = call.query("since")
    if raw is None or raw == "":
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        title = f"{raw} is not a valid ISO8601 date"
        raise InvalidParameter(title, Location(pointer="since"), title=title) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - EPOCH) // dt.timedelta(milliseconds=1)


def _matching_stub(call: AdminCall) -> str | None:
    raw = call.query("matchingStub")
    if raw is None or raw == "":
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        title = f"Query parameter matchingStub value '{raw}' is not a valid UUID"
        raise InvalidQueryUuid(title, Location(pointer="matchingStub"), title=title) from None


def _disabled(call: AdminCall) -> bool:
    return not call.core.journal.enabled


async def list_requests(call: AdminCall) -> web.StreamResponse:
    page = call.core.journal.page(
        unmatched_only=(call.query("unmatched") or "").lower() == "true",
        stub_id=_matching_stub(call),
        since_ms=_since_ms(call),
        limit=call.int_query("limit"),
    )
    body: dict[str, Any] = {
        "requests": serve_events_json(page.events),
        "meta": {"total": page.total},
        "requestJournalDisabled": _disabled(call),
    }
    return json_response(body)


async def get_request(call: AdminCall) -> web.StreamResponse:
    event = call.core.journal.get(event_id(call))
    if event is None:
        raise NotFound("no such request")
    return json_response(serve_event_json(event))


async def delete_request(call: AdminCall) -> web.StreamResponse:
    call.core.remove_request(event_id(call))
    return json_response({})


async def delete_all(call: AdminCall) -> web.StreamResponse:
    call.core.clear_requests()
    return json_response({})


async def reset_legacy(call: AdminCall) -> web.StreamResponse:
    """POST /requests/reset: removed in WireMock 3, still called by python-wiremock."""
    call.core.clear_requests()
    return empty()


async def count(call: AdminCall) -> web.StreamResponse:
    n = call.core.count_requests(request_pattern(call))
    return json_response({"count": n, "requestJournalDisabled": _disabled(call)})


async def find(call: AdminCall) -> web.StreamResponse:
    events = call.core.find_requests(request_pattern(call))
    return json_response(
        {"requests": logged_requests_json(events), "requestJournalDisabled": _disabled(call)}
    )


async def unmatched(call: AdminCall) -> web.StreamResponse:
    events = call.core.journal.page(unmatched_only=True).events
    return json_response(
        {"requests": logged_requests_json(events), "requestJournalDisabled": _disabled(call)}
    )


async def remove(call: AdminCall) -> web.StreamResponse:
    removed = call.core.remove_requests(request_pattern(call))
    return json_response({"serveEvents": serve_events_json(removed)})


async def remove_by_metadata(call: AdminCall) -> web.StreamResponse:
    removed = call.core.remove_requests_by_metadata(parse_pattern(call.json()))
    return json_response({"serveEvents": serve_events_json(removed)})
