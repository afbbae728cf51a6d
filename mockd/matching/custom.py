"""Custom request matchers (WireMock's `customMatcher`), written in Python.

WireMock runs a Java `RequestMatcherExtension` named by `"customMatcher": {"name": ..., "parameters":
{...}}`; mockd runs a Python function registered under that name (see `mockd.extensions`). The function
gets the request (`mockd.http.LoggedRequest`: `method`, `url`, `path`, `query_params`, `header(name)`,
`body`, `body_text` ...) and the parameters, and returns whether the request matches. With other request
fields in the same stub, all of them must match too, as in WireMock.

A name nobody registered never matches; neither does a matcher that raises. Either is logged once per
name (and each time `--verbose` asks for every unmatched report); the server keeps serving.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from mockd.http import LoggedRequest

Matcher = Callable[[LoggedRequest, Mapping[str, Any]], Any]

log = logging.getLogger("mockd")
_MATCHERS: dict[str, Matcher] = {}
_REPORTED: set[str] = set()


def register(name: str, matcher: Matcher) -> None:
    """Register `matcher` under `name` (a later registration of the same name replaces it)."""
    if not isinstance(name, str) or not name:
        raise ValueError("a custom matcher needs a non-empty name")
    _MATCHERS[name] = matcher
    _REPORTED.discard(name)


def registered() -> list[str]:
    return sorted(_MATCHERS)


def _report_once(name: str, message: str) -> None:
    if name not in _REPORTED:
        _REPORTED.add(name)
        log.warning("%s", message)


def matches(spec: Mapping[str, Any], req: LoggedRequest) -> bool:
    """Whether the custom matcher `spec` (`{"name", "parameters"}`) accepts `req`."""
    name = spec.get("name")
    matcher = _MATCHERS.get(name) if isinstance(name, str) else None
    if matcher is None:
        _report_once(str(name), f"customMatcher {name!r}: no such matcher is registered (--extensions)")
        return False
    parameters = spec.get("parameters")
    try:
        result = matcher(req, parameters if isinstance(parameters, Mapping) else {})
    except Exception as exc:  # a broken extension must not break serving
        _report_once(str(name), f"customMatcher {name!r} raised {type(exc).__name__}: {exc}")
        return False
    return bool(result)


__all__ = ["Matcher", "matches", "register", "registered"]
