"""What every admin handler receives, and the two ways it answers (JSON or empty)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from mockd import jsontext
from mockd.core import Mockd
from mockd.errors import InvalidParameter, JsonSyntaxError

JSON_TYPE = "application/json"


@dataclass
class AdminCall:
    core: Mockd
    request: web.BaseRequest
    params: dict[str, str]
    body: bytes
    shutdown: Callable[[], None] = field(default=lambda: None)

    def json(self, *, allow_empty: bool = False) -> Any:
        """The body as lenient JSON; an empty body is None when allowed, else an error."""
        if not self.body.strip():
            if allow_empty:
                return None
            raise JsonSyntaxError("No content to map due to end-of-input: expected a JSON document")
        return jsontext.loads(self.body)

    def query(self, name: str) -> str | None:
        return self.request.query.get(name)

    def int_query(self, name: str, minimum: int = 0) -> int | None:
        raw = self.query(name)
        if raw is None or raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            raise InvalidParameter(
                f"{name} must be an integer, got {raw!r}", title=f"Invalid {name}"
            ) from None
        if value < minimum:
            raise InvalidParameter(f"{name} must be at least {minimum}, got {value}", title=f"Invalid {name}")
        return value


Handler = Callable[[AdminCall], Awaitable[web.StreamResponse]]


def json_response(value: Any, status: int = 200, reason: str | None = None) -> web.Response:
    return web.Response(
        status=status,
        reason=reason,
        body=jsontext.dumps_pretty(value).encode("utf-8"),
        content_type=JSON_TYPE,
    )


def empty(status: int = 200) -> web.Response:
    return web.Response(status=status)
