"""/__admin/mappings: list, create, get, edit, delete, save, reset, import, remove, metadata, unmatched."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from mockd.admin.call import AdminCall, empty, json_response
from mockd.admin.serialize import mappings_page
from mockd.core import require_stub_id
from mockd.errors import InvalidInput, InvalidParameter, Location, NotFound
from mockd.matching.operators import parse_pattern
from mockd.stubs.codec import request_from_json, stub_from_json, stub_to_json, stubs_from_document


def _id(call: AdminCall) -> str:
    try:
        return require_stub_id(call.params["id"])
    except InvalidInput as exc:
        raise InvalidParameter(exc.detail, title=exc.detail) from None


async def list_mappings(call: AdminCall) -> web.StreamResponse:
    stubs = call.core.store.all()
    offset = call.int_query("offset") or 0
    limit = call.int_query("limit")
    page = stubs[offset:] if limit is None else stubs[offset : offset + limit]
    return json_response(mappings_page(page, len(stubs)))


async def create_mapping(call: AdminCall) -> web.StreamResponse:
    stub = call.core.add_stub(stub_from_json(call.json()))
    return json_response(stub_to_json(stub), status=201)


async def get_mapping(call: AdminCall) -> web.StreamResponse:
    stub = call.core.store.get(_id(call))
    if stub is None:
        raise NotFound("no such stub")
    return json_response(stub_to_json(stub))


async def edit_mapping(call: AdminCall) -> web.StreamResponse:
    sid = _id(call)
    doc = call.json()
    if isinstance(doc, Mapping):
        doc = {**doc, "id": sid, "uuid": sid}
    stub = call.core.edit_stub(stub_from_json(doc))
    return json_response(stub_to_json(stub))


async def edit_mapping_legacy(call: AdminCall) -> web.StreamResponse:
    """POST /mappings/edit (2.x): the body carries the id; 204."""
    stub = stub_from_json(call.json())
    call.core.edit_stub(stub)
    return empty(204)


async def delete_mapping(call: AdminCall) -> web.StreamResponse:
    call.core.remove_stub(_id(call))
    return json_response({})


async def delete_all(call: AdminCall) -> web.StreamResponse:
    call.core.remove_all_stubs()
    return json_response({})


async def save(call: AdminCall) -> web.StreamResponse:
    call.core.save_all()
    return empty()


async def reset_mappings(call: AdminCall) -> web.StreamResponse:
    call.core.reset()
    return empty()


async def import_mappings(call: AdminCall) -> web.StreamResponse:
    doc = call.json()
    if not isinstance(doc, Mapping) or not isinstance(doc.get("mappings"), list):
        raise InvalidInput(
            'expected {"mappings": [...], "importOptions": {...}}', Location(pointer="/mappings")
        )
    options = doc.get("importOptions") or {}
    if not isinstance(options, Mapping):
        raise InvalidInput("importOptions must be an object", Location(pointer="/importOptions"))
    policy = options.get("duplicatePolicy", "OVERWRITE")
    if policy not in ("OVERWRITE", "IGNORE"):
        raise InvalidInput(
            f"duplicatePolicy must be OVERWRITE or IGNORE, got {policy!r}",
            Location(pointer="/importOptions/duplicatePolicy"),
        )
    stubs, _ = stubs_from_document({"mappings": doc["mappings"]})
    call.core.import_stubs(stubs, policy == "OVERWRITE", bool(options.get("deleteAllNotInImport")))
    return empty()


async def remove_mapping(call: AdminCall) -> web.StreamResponse:
    """POST /mappings/remove: by id when one matches, else every stub whose request is equal."""
    doc = call.json()
    core = call.core
    given = stub_from_json(doc)
    raw_id = doc.get("id") or doc.get("uuid") if isinstance(doc, Mapping) else None
    if raw_id and given.id in core.store:
        core.remove_stub(given.id)
    else:
        wanted = request_from_json(doc.get("request") if isinstance(doc, Mapping) else None)
        core.remove_stubs(s for s in core.store.all() if s.request == wanted)
    return empty()


async def find_by_metadata(call: AdminCall) -> web.StreamResponse:
    found = call.core.find_by_metadata(parse_pattern(call.json()))
    return json_response(mappings_page(found))


async def remove_by_metadata(call: AdminCall) -> web.StreamResponse:
    core = call.core
    core.remove_stubs(core.find_by_metadata(parse_pattern(call.json())))
    return json_response({})


async def unmatched(call: AdminCall) -> web.StreamResponse:
    return json_response(mappings_page(call.core.unmatched_stubs()))


async def delete_unmatched(call: AdminCall) -> web.StreamResponse:
    core = call.core
    core.remove_stubs(core.unmatched_stubs())
    return json_response({})
