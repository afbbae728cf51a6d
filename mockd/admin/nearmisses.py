"""Near misses: the stubs closest to a request, and the journal requests closest to a pattern."""

from __future__ import annotations

from aiohttp import web

from mockd.admin.call import AdminCall, json_response
from mockd.admin.requests import request_pattern
from mockd.admin.serialize import logged_request_from_json, pattern_near_miss_json, stub_near_miss_json
from mockd.notmatched import NEAR_MISS_COUNT, near_misses, rank_requests


async def for_request(call: AdminCall) -> web.StreamResponse:
    """POST /near-misses/request: a LoggedRequest JSON -> the 3 closest stubs."""
    req = logged_request_from_json(call.json())
    found = near_misses(req, call.core.store)
    return json_response({"nearMisses": [stub_near_miss_json(req, n.stub, n.result) for n in found]})


async def for_pattern(call: AdminCall) -> web.StreamResponse:
    """POST /near-misses/request-pattern: a RequestPattern -> the 3 closest journal requests."""
    pattern = request_pattern(call)
    requests = (e.request for e in call.core.journal.oldest_first())
    ranked = rank_requests(pattern, requests, NEAR_MISS_COUNT)
    return json_response({"nearMisses": [pattern_near_miss_json(r, pattern, m) for r, m in ranked]})


async def for_unmatched(call: AdminCall) -> web.StreamResponse:
    """GET /requests/unmatched/near-misses: the 3 closest stubs of every unmatched request, newest first."""
    store = call.core.store
    body = [
        stub_near_miss_json(e.request, n.stub, n.result)
        for e in call.core.journal.page(unmatched_only=True).events
        for n in near_misses(e.request, store)
    ]
    return json_response({"nearMisses": body})
