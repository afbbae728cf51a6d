"""Python extensions: what WireMock does with Java classes named by `--extensions`, mockd does with
Python modules named the same way.

    # my_matchers.py, loaded with `mockd serve --extensions my_matchers` (or serve(extensions=[...]))
    from mockd.extensions import custom_matcher

    @custom_matcher("is-even-id")
    def is_even_id(request, parameters):
        return int(request.query_params.get("id", ["1"])[0]) % 2 == 0

A stub then names it: `"request": {"urlPath": "/items", "customMatcher": {"name": "is-even-id"}}`.
The function gets the request (`mockd.http.LoggedRequest`) and the matcher's `parameters` (a dict).

`--extensions` takes a comma-separated list. A name that is an importable Python module is imported
(once per process); the Java classes WireMock builds in (webhooks, response templating) are accepted
silently, mockd has them too; any other name is reported as a Java extension mockd cannot run.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mockd.errors import MockdError
from mockd.matching.custom import Matcher, register

BUILT_IN = frozenset({
    "org.wiremock.webhooks.Webhooks",
    "com.github.tomakehurst.wiremock.extension.responsetemplating.ResponseTemplateTransformer",
})  # fmt: skip


def custom_matcher(name: str) -> Callable[[Matcher], Matcher]:
    """Register the decorated function as the custom matcher `name`."""

    def decorate(fn: Matcher) -> Matcher:
        register(name, fn)
        return fn

    return decorate


@dataclass(frozen=True)
class Loaded:
    modules: tuple[str, ...]  # Python modules imported
    java: tuple[str, ...]  # names mockd cannot run (Java classes): to report


def load(names: Iterable[str]) -> Loaded:
    """Import the Python modules among `names`; MockdError when one exists but fails to import."""
    modules: list[str] = []
    java: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name or name in BUILT_IN:
            continue
        if not _importable(name):
            java.append(name)
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:
            raise MockdError(f"--extensions {name}: importing it raised {type(exc).__name__}: {exc}") from exc
        modules.append(name)
    return Loaded(tuple(modules), tuple(java))


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a parent package that is not there, or not a module name
        return False


__all__ = ["BUILT_IN", "Loaded", "custom_matcher", "load"]
