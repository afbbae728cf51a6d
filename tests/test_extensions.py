"""Python extensions (`--extensions module`): custom request matchers (WireMock's `customMatcher`)."""

from __future__ import annotations

import logging
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import stub

from mockd.embedded import serve
from mockd.errors import MockdError

MODULE = """
from mockd.extensions import custom_matcher

@custom_matcher("even-param")
def even_param(request, parameters):
    values = request.query_params.get(parameters.get("param", "id"), [])
    return bool(values) and values[0].isdigit() and int(values[0]) % 2 == 0

@custom_matcher("header-is")
def header_is(request, parameters):
    return request.header(parameters["name"]) == parameters["value"]

@custom_matcher("broken")
def broken(request, parameters):
    raise ValueError("this matcher is broken")
"""


@pytest.fixture
def extension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module of custom matchers, importable under a name unique to the test."""
    name = f"mockd_test_matchers_{abs(hash(tmp_path))}"
    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / f"{name}.py").write_text(textwrap.dedent(MODULE))
    monkeypatch.syspath_prepend(str(folder))
    yield name
    sys.modules.pop(name, None)


def test_a_custom_matcher_decides_with_the_other_fields(root: Path, extension: str) -> None:
    with (
        serve(root, extensions=(extension,)) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        stub(
            http,
            {
                "request": {
                    "method": "GET",
                    "urlPath": "/items",
                    "customMatcher": {"name": "even-param", "parameters": {"param": "n"}},
                },
                "response": {"body": "even"},
            },
        )
        stub(
            http,
            {
                "request": {
                    "customMatcher": {"name": "header-is", "parameters": {"name": "X-T", "value": "y"}}
                },
                "response": {"body": "header"},
            },
        )
        assert http.get("/items?n=4").text == "even"
        assert http.get("/items?n=3").status_code == 404
        assert http.post("/items?n=4").status_code == 404  # the method must match too
        assert http.get("/anything", headers={"X-T": "y"}).text == "header"  # a matcher alone: any url
        count = http.post(
            "/__admin/requests/count",
            json={"customMatcher": {"name": "even-param", "parameters": {"param": "n"}}},
        )
        assert count.json()["count"] == 2  # GET and POST /items?n=4: the pattern names no method


def test_unknown_and_failing_matchers_never_match(
    root: Path, extension: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="mockd")
    with (
        serve(root, extensions=(extension,)) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        stub(http, {"request": {"url": "/u", "customMatcher": {"name": "nobody"}}, "response": {"body": "u"}})
        stub(http, {"request": {"url": "/b", "customMatcher": {"name": "broken"}}, "response": {"body": "b"}})
        for _ in range(3):
            assert http.get("/u").status_code == 404
            assert http.get("/b").status_code == 404
        assert http.get("/__admin/health").status_code == 200
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("customMatcher 'nobody': no such matcher is registered (--extensions)") == 1
    assert messages.count("customMatcher 'broken' raised ValueError: this matcher is broken") == 1


def test_a_module_that_fails_to_import_stops_the_start(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "mockd_test_bad_ext.py").write_text("raise RuntimeError('no config')\n")
    monkeypatch.syspath_prepend(str(folder))
    message = "--extensions mockd_test_bad_ext: importing it raised RuntimeError: no config"
    with pytest.raises(MockdError, match=message), serve(root, extensions=("mockd_test_bad_ext",)):
        pass
    sys.modules.pop("mockd_test_bad_ext", None)


def test_the_command_line_loads_python_modules_and_reports_java_classes(
    root: Path, extension: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "ext"))
    (root / "mappings" / "even.json").write_text(
        '{"request": {"urlPath": "/e", "customMatcher": {"name": "even-param"}}, "response": {"body": "e"}}'
    )
    names = f"com.example.JavaOnly,{extension},org.wiremock.webhooks.Webhooks"
    with serve(root, mode="process", extensions=tuple(names.split(","))) as server:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            assert http.get("/e?id=2").text == "e"
            assert http.get("/e?id=1").status_code == 404
        server.stop()
        output = "\n".join(server.output)
    assert "Java extensions cannot run in mockd; ignored: com.example.JavaOnly" in output
    assert extension not in output.split("ignored:")[-1]


def test_the_readme_example(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_readme import _blocks

    (code,) = [b for b in _blocks("python") if "@custom_matcher(" in b]
    folder = tmp_path / "readme"
    folder.mkdir()
    (folder / "mockd_readme_matchers.py").write_text(code)
    monkeypatch.syspath_prepend(str(folder))
    try:
        with (
            serve(root, extensions=("mockd_readme_matchers",)) as server,
            httpx.Client(base_url=server.url) as http,
        ):
            stub(
                http,
                {
                    "request": {"urlPath": "/r", "customMatcher": {"name": "is-even-id"}},
                    "response": {"body": "ok"},
                },
            )
            assert http.get("/r?id=10").text == "ok"
            assert http.get("/r?id=7").status_code == 404
    finally:
        sys.modules.pop("mockd_readme_matchers", None)
