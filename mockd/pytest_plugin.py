"""pytest plugin (entry point `pytest11`): one mockd for the test session, a clean `mockd` client per test.

    def test_hello(mockd):
        mockd.stub_for({"request": {"url": "/hi"}, "response": {"body": "hello"}})
        assert urllib.request.urlopen(mockd.url + "/hi").read() == b"hello"
        mockd.verify({"url": "/hi"}, count=1)

Before each test the server's stubs, journal, scenarios and global settings are back to the start (the
stubs of `--mockd-root-dir`, if any). Options (and ini keys): `--mockd-root-dir` (`mockd_root_dir`),
`--mockd-url` (`mockd_url`: use a running mockd or WireMock instead of starting one) and
`--mockd-fail-on-unmatched` (`mockd_fail_on_unmatched`), also per test as `@pytest.mark.mockd_strict`.
With pytest-xdist every worker starts its own server (the session fixture is per worker); `--mockd-url`
cannot be shared by several workers, since each test resets the server.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mockd.client import MockdClient, MockdClientError
from mockd.client.report import listing, near_miss_diff, request_line

STRICT_MARKER = "mockd_strict"
UNMATCHED_SHOWN = 5
EXTERNAL_READY_TIMEOUT = 30.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockd", "mockd (mock HTTP server)")
    group.addoption(
        "--mockd-root-dir",
        default=None,
        metavar="DIR",
        help="root dir (mappings/, __files/) whose stubs every test starts with",
    )
    group.addoption(
        "--mockd-url",
        default=None,
        metavar="URL",
        help="use the mockd or WireMock running at URL instead of starting one",
    )
    group.addoption(
        "--mockd-fail-on-unmatched",
        action="store_true",
        default=None,
        help="fail a test that sent mockd a request no stub matched",
    )
    parser.addini("mockd_root_dir", "default of --mockd-root-dir (relative to the ini file)", default="")
    parser.addini("mockd_url", "default of --mockd-url", default="")
    parser.addini(
        "mockd_fail_on_unmatched", "default of --mockd-fail-on-unmatched", type="bool", default=False
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{STRICT_MARKER}(enabled=True): fail the test when mockd received a request no stub matched",
    )


@dataclass
class MockdSession:
    """The session's server: its URL, a client, and what every test starts from."""

    url: str
    client: MockdClient
    preload: Path | None = None  # stub files posted after each reset (an external server)
    initial_settings: dict[str, Any] = field(default_factory=dict)

    def restore(self) -> None:
        """Stubs, journal, scenarios and global settings back to the start of the session."""
        client = self.client
        client.reset()
        client.reset_scenarios()
        if self.preload is not None:
            client.load_mappings(self.preload)
        if client.settings() != self.initial_settings:
            client.replace_settings(self.initial_settings)


@pytest.fixture(scope="session")
def mockd_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MockdSession]:
    """One server for the session (per xdist worker): started here, or the one `--mockd-url` names."""
    config = request.config
    root = _root_dir(config)
    url = config.getoption("mockd_url") or config.getini("mockd_url")
    if url:
        if os.environ.get("PYTEST_XDIST_WORKER"):
            pytest.fail("--mockd-url cannot be shared by pytest-xdist workers: each test resets the server")
        client = MockdClient(url)
        client.wait_until_ready(EXTERNAL_READY_TIMEOUT)
        session = MockdSession(client.url, client, preload=root)
        session.initial_settings = client.settings()
        yield session
        return
    from mockd.embedded import serve

    with serve(root if root is not None else tmp_path_factory.mktemp("mockd-root")) as server:
        yield MockdSession(server.url, server.client, initial_settings=server.client.settings())


@pytest.fixture
def mockd(mockd_server: MockdSession) -> MockdClient:
    """A client for the session's server, reset to the session's starting stubs before the test."""
    mockd_server.restore()
    return mockd_server.client


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    yield  # the test itself; when it fails, its own failure is the one reported
    funcargs: Mapping[str, Any] = getattr(item, "funcargs", {})
    client = funcargs.get("mockd")
    if isinstance(client, MockdClient) and _strict(item):
        unmatched = client.unmatched_requests()
        if unmatched:
            pytest.fail(unmatched_message(client, unmatched), pytrace=False)


def _strict(item: pytest.Item) -> bool:
    marker = item.get_closest_marker(STRICT_MARKER)
    if marker is not None:
        return bool(marker.args[0]) if marker.args else bool(marker.kwargs.get("enabled", True))
    option = item.config.getoption("mockd_fail_on_unmatched")
    return bool(option if option is not None else item.config.getini("mockd_fail_on_unmatched"))


def _root_dir(config: pytest.Config) -> Path | None:
    given = config.getoption("mockd_root_dir")
    if given:
        base = config.invocation_params.dir
    else:
        given = config.getini("mockd_root_dir")
        base = config.inipath.parent if config.inipath is not None else config.rootpath
    if not given:
        return None
    path = (base / str(given)).resolve()
    if not path.is_dir():
        raise pytest.UsageError(f"--mockd-root-dir: {path} is not a directory")
    return path


def unmatched_message(client: MockdClient, unmatched: list[dict[str, Any]]) -> str:
    """The requests no stub matched, each with its closest stub as an expected | actual table."""
    lines = [f"mockd received {len(unmatched)} request(s) that no stub matched:"]
    lines.append(listing([request_line(r) for r in unmatched]))
    for request in unmatched[:UNMATCHED_SHOWN]:
        lines.append("")
        lines.append(f"Closest stub to {request.get('method')} {request.get('url')}:")
        lines.append(_closest(client, request))
    return "\n".join(lines)


def _closest(client: MockdClient, request: dict[str, Any]) -> str:
    try:
        misses = client.near_misses_for_request(request)
    except MockdClientError as exc:
        return f"  (near misses unavailable: {str(exc).splitlines()[0]})"
    if not misses:
        return "  (no stubs)"
    stub = misses[0].get("stubMapping") or {}
    return near_miss_diff(stub.get("request") or {}, request, stub.get("name"), of_stub=True)
