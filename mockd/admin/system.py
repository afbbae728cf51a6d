"""/__admin reset, health, version, shutdown, settings, scenarios and load problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

from mockd.admin.call import AdminCall, empty, json_response
from mockd.admin.serialize import mappings_page, scenario_json
from mockd.config import WIREMOCK_VERSION
from mockd.errors import InvalidInput, Location
from mockd.loader import LoadProblem
from mockd.stubs.codec import settings_from_json, settings_to_json


async def root_redirect(call: AdminCall) -> web.StreamResponse:
    return web.Response(status=302, headers={"Location": call.request.path + "/"})


async def root(call: AdminCall) -> web.StreamResponse:
    stubs = call.core.store.all()
    return json_response(mappings_page(stubs))


async def reset(call: AdminCall) -> web.StreamResponse:
    call.core.reset()
    return empty()


async def health(call: AdminCall) -> web.StreamResponse:
    body = {
        "status": "healthy",
        "message": "Wiremock is ok",
        "version": WIREMOCK_VERSION,
        "uptimeInSeconds": call.core.uptime_seconds,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    return json_response(body, reason="Wiremock is ok")


async def version(call: AdminCall) -> web.StreamResponse:
    if "text/plain" in call.request.headers.get("Accept", ""):
        return web.Response(text=WIREMOCK_VERSION, content_type="text/plain")
    return json_response({"version": WIREMOCK_VERSION})


async def shutdown(call: AdminCall) -> web.StreamResponse:
    call.shutdown()
    return empty()


async def load_problems(call: AdminCall) -> web.StreamResponse:
    """mockd's own: the stub files that did not load (skipped, or still serving their last good
    version: `keptStubs`), with where and why. Empty once every file loads."""
    root = call.core.settings.root_dir
    return json_response({"problems": [_problem_json(p, root) for p in call.core.problems]})


def _problem_json(problem: LoadProblem, root: Path) -> dict[str, Any]:
    loc = problem.error.location
    try:
        file = problem.file.relative_to(root).as_posix()
    except ValueError:
        file = str(problem.file)
    return {
        "file": file,
        "pointer": loc.pointer,
        "line": loc.line,
        "column": loc.column,
        "message": problem.error.detail,
        "keptStubs": problem.kept_stubs,
    }


# -- settings ----------------------------------------------------------------------------------------


async def get_settings(call: AdminCall) -> web.StreamResponse:
    return json_response({"settings": settings_to_json(call.core.global_settings)})


async def put_settings(call: AdminCall) -> web.StreamResponse:
    call.core.update_settings(settings_from_json(call.json(allow_empty=True)))
    return json_response(settings_to_json(call.core.global_settings))


async def patch_extended(call: AdminCall) -> web.StreamResponse:
    doc = call.json()
    if not isinstance(doc, Mapping):
        raise InvalidInput('expected {"extended": {...}}', Location(pointer=""))
    extended = doc.get("extended", doc)
    if not isinstance(extended, Mapping):
        raise InvalidInput("extended must be an object", Location(pointer="/extended"))
    call.core.merge_extended(dict(extended))
    return json_response({})


# -- scenarios ---------------------------------------------------------------------------------------


async def list_scenarios(call: AdminCall) -> web.StreamResponse:
    return json_response({"scenarios": [scenario_json(i) for i in call.core.scenario_info()]})


async def reset_scenarios(call: AdminCall) -> web.StreamResponse:
    call.core.scenarios.reset_all()
    return json_response({})


async def set_scenario_state(call: AdminCall) -> web.StreamResponse:
    doc = call.json(allow_empty=True)
    state = None
    if doc is not None:
        if not isinstance(doc, Mapping):
            raise InvalidInput('expected {"state": "..."}', Location(pointer=""))
        raw = doc.get("state")
        if raw is not None and not isinstance(raw, str):
            raise InvalidInput("state must be a string", Location(pointer="/state"))
        state = raw
    call.core.set_scenario_state(call.params["name"], state)
    return json_response({})
