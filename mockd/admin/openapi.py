"""GET /docs/openapi.json (and WireMock's /docs/swagger): the OpenAPI 3 document of this admin API.

The document is data (`openapi.json` beside this module); a test runs schemathesis against a live
server to keep it true. Its server URL is the configured admin prefix.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from aiohttp import web

from mockd.admin.call import AdminCall, json_response


@cache
def _text() -> str:
    return resources.files("mockd.admin").joinpath("openapi.json").read_text(encoding="utf-8")


def document(admin_prefix: str = "/__admin") -> dict[str, Any]:
    """A fresh copy of the document, its server URL set to `admin_prefix`."""
    doc: dict[str, Any] = json.loads(_text())
    doc["servers"] = [{"url": admin_prefix}]
    return doc


async def openapi(call: AdminCall) -> web.StreamResponse:
    return json_response(document(call.core.settings.admin_prefix))
