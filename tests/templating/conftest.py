"""Fixtures for the templating tests: one engine, and `render` / `request` builders."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pytest

from mockd.http import LoggedRequest
from mockd.templating import Dialect, TemplateEngine, request_model

Render = Callable[..., str]


@pytest.fixture(scope="session")
def engine() -> TemplateEngine:
    return TemplateEngine()


def build_request(
    method: str = "GET",
    url: str = "/",
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    body: str | bytes = b"",
    *,
    host: str = "127.0.0.1",
    port: int = 28931,
) -> LoggedRequest:
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    if not any(k.lower() == "host" for k, _ in pairs):
        pairs.append(("Host", f"{host}:{port}"))
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return LoggedRequest.create(method, url, pairs, raw, host=host, port=port)


@pytest.fixture
def request_for() -> Callable[..., LoggedRequest]:
    return build_request


@pytest.fixture
def render(engine: TemplateEngine) -> Render:
    """render(template, method=, url=, headers=, body=, path_params=, parameters=, dialect=)."""

    def _render(
        template: str,
        *,
        method: str = "GET",
        url: str = "/",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        body: str | bytes = b"",
        path_params: Mapping[str, str] | None = None,
        parameters: Mapping[str, Any] | None = None,
        dialect: Dialect = Dialect.HANDLEBARS,
    ) -> str:
        req = build_request(method, url, headers, body)
        model = request_model(req, path_params=path_params, parameters=parameters)
        return engine.render(template, dialect, model)

    return _render
