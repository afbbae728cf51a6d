"""The conformance corpus' templating cases (recorded from WireMock 3.13.2), run on the engine alone.

conformance_cases.json holds every case of conformance/cases/templating whose expectation does not need
a server: the stub's templated parts (body, jsonBody, bodyFileName path and file, headers), the
request, and the expected status/body/regex/JSON/headers. A 500 expectation means a render failure.
(`tpl-no-transformer-literal` is left out: serving a body untemplated is the dispatcher's business.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mockd import jsontext
from mockd.errors import MockdError
from mockd.http import LoggedRequest
from mockd.templating import Dialect, TemplateEngine, request_model

DATA = json.loads((Path(__file__).parent / "conformance_cases.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]
BASE = {"{{BASE_URL}}": "http://127.0.0.1:28931", "{{PORT}}": "28931"}


def _path_params(template: str, path: str) -> dict[str, str]:
    return {t[1:-1]: s for t, s in zip(template.split("/"), path.split("/")) if t.startswith("{")}


def _serve(
    engine: TemplateEngine, case: dict[str, Any], build: Callable[..., LoggedRequest]
) -> tuple[int, str, dict[str, str]]:
    r = case["request"]
    req = build(r["method"], r["url"], r.get("headers", {}), r.get("body", ""))
    params = _path_params(case["path_template"], req.path) if "path_template" in case else None
    model = request_model(req, path_params=params, parameters=case.get("parameters"))
    try:
        if "template" in case:
            body = engine.render(case["template"], Dialect.HANDLEBARS, model)
        elif "json_body" in case:
            body = engine.render(jsontext.dumps_compact(case["json_body"]), Dialect.HANDLEBARS, model)
        elif "file_name" in case:
            name = engine.render(case["file_name"], Dialect.HANDLEBARS, model)
            body = engine.render(case["files"][name], Dialect.HANDLEBARS, model)
        else:
            body = ""
        headers = {
            k: engine.render(v, Dialect.HANDLEBARS, model)
            for k, v in case.get("response_headers", {}).items()
        }
    except MockdError:
        return 500, "", {}
    return 200, body, headers


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_conformance_case(
    case: dict[str, Any], engine: TemplateEngine, request_for: Callable[..., LoggedRequest]
) -> None:
    status, body, headers = _serve(engine, case, request_for)
    assert status == (200 if case.get("expect_status", 200) != 500 else 500)
    if "expect_body" in case:
        expected = case["expect_body"]
        for placeholder, value in BASE.items():
            expected = expected.replace(placeholder, value)
        assert body == expected
    if "expect_body_regex" in case:
        assert re.fullmatch(case["expect_body_regex"], body, re.S), body
    if "expect_body_json" in case:
        assert json.loads(body) == case["expect_body_json"]
    for name, value in case.get("expect_headers", {}).items():
        assert headers[name] == value


def test_every_case_is_here() -> None:
    assert len({c["id"].rsplit("-", 1)[0] if c["id"][-2:] in ("-0", "-1") else c["id"] for c in CASES}) == 44
