"""/__admin/recordings: start, stop, status, snapshot (spec §6.5)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from mockd.admin.call import AdminCall, json_response
from mockd.recording import OutputFormat, SnapshotResult, record_spec_from_json
from mockd.stubs.codec import stub_to_json


def result_json(result: SnapshotResult) -> dict[str, Any]:
    if result.output_format is OutputFormat.IDS:
        return {"ids": [s.id for s in result.stubs]}
    return {"mappings": [stub_to_json(s) for s in result.stubs]}


async def start(call: AdminCall) -> web.StreamResponse:
    call.core.recorder.start(record_spec_from_json(call.json()))
    return json_response({})


async def stop(call: AdminCall) -> web.StreamResponse:
    return json_response(result_json(call.core.recorder.stop()))


async def status(call: AdminCall) -> web.StreamResponse:
    return json_response({"status": call.core.recorder.status.value})


async def snapshot(call: AdminCall) -> web.StreamResponse:
    spec = record_spec_from_json(call.json(allow_empty=True))
    return json_response(result_json(call.core.recorder.snapshot(spec)))
