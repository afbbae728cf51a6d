"""/__admin/files: list, read, write and delete files under `__files/`, never anywhere else.

Every path goes through `resolve_under`, which resolves `..` and symbolic links first: a path that
ends up outside `__files/` is refused with 403, as WireMock's NotPermittedException.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from aiohttp import web

from mockd.admin.call import AdminCall, empty, json_response
from mockd.errors import InvalidParameter, MockdError, NotFound
from mockd.loader import atomic_write, delete_file, list_files, resolve_under


class NotPermitted(MockdError):
    status = 403
    code = 50
    title = "Access not permitted"


def _target(call: AdminCall) -> Path:
    name = call.params["path"]
    files_dir = call.core.settings.files_dir
    path = resolve_under(files_dir, name)
    if path is None or path == files_dir.resolve():
        title = f"Access to file {name} is not permitted"
        raise NotPermitted(title, title=title)
    return path


async def list_all(call: AdminCall) -> web.StreamResponse:
    return json_response(list_files(call.core.settings.files_dir))


async def get_file(call: AdminCall) -> web.StreamResponse:
    path = _target(call)
    try:
        data = path.read_bytes()
    except OSError:
        raise NotFound("no such file") from None
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return web.Response(body=data, content_type=ctype)


async def put_file(call: AdminCall) -> web.StreamResponse:
    path = _target(call)
    try:
        atomic_write(path, call.body)
    except OSError as exc:
        detail = f"cannot write {call.params['path']}: {exc.strerror}"
        raise InvalidParameter(detail, title=detail) from None
    return json_response(base64.b64encode(call.body).decode("ascii"))


async def delete(call: AdminCall) -> web.StreamResponse:
    path = _target(call)
    if path.is_dir():
        detail = f"{call.params['path']} is a directory"
        raise InvalidParameter(detail, title=detail)
    try:
        delete_file(path)
    except OSError as exc:
        detail = f"cannot delete {call.params['path']}: {exc.strerror}"
        raise InvalidParameter(detail, title=detail) from None
    return empty()
