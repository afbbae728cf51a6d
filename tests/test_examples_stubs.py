"""stubs/ is the example root dir: every stub answers the way its comment says, on a real mockd."""

from __future__ import annotations

import json
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import json_upstream

from mockd import jsontext
from mockd.embedded import EmbeddedServer, serve

STUBS = Path(__file__).resolve().parent.parent / "stubs"

# Each example file and the test(s) below that run it: a new example needs a test.
EXAMPLES = {
    "mappings/hello.json": "test_hello",
    "mappings/users.yaml": "test_users_from_files_static_and_templated",
    "mappings/greet.json": "test_handlebars_greeting",
    "mappings/countdown.yaml": "test_jinja2_countdown",
    "mappings/todo-scenario.json": "test_todo_scenario",
    "mappings/flaky.json": "test_fault_resets_the_connection",
    "mappings/slow.yaml": "test_fixed_delay",
    "mappings/github-proxy.json": "test_proxy_is_loaded / test_proxy_forwards_without_the_prefix",
    "__files/users.json": "test_users_from_files_static_and_templated",
    "__files/user.json": "test_users_from_files_static_and_templated",
}


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with serve(STUBS, watch=False) as s:
        yield s


@pytest.fixture
def http(server: EmbeddedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10.0) as client:
        yield client


def test_every_example_file_has_a_test_and_every_stub_file_a_comment() -> None:
    files = {p.relative_to(STUBS).as_posix() for p in STUBS.rglob("*") if p.is_file()}
    assert files == set(EXAMPLES)
    for name in files:
        if name.startswith("mappings/"):
            first = (STUBS / name).read_text(encoding="utf-8").lstrip().splitlines()[0]
            assert first.startswith("//" if name.endswith(".json") else "#"), name


def test_the_whole_dir_loads_without_problems(http: httpx.Client) -> None:
    assert http.get("/__admin/mappings/problems").json() == {"problems": []}
    assert http.get("/__admin/mappings").json()["meta"]["total"] == 11


def test_hello(http: httpx.Client) -> None:
    r = http.get("/hello")
    assert (r.status_code, r.text, r.headers["Content-Type"]) == (200, "Hello from mockd!", "text/plain")


def test_users_from_files_static_and_templated(http: httpx.Client) -> None:
    r = http.get("/users")
    assert r.status_code == 200
    assert r.json() == json.loads((STUBS / "__files" / "users.json").read_text())
    r = http.get("/users/7")
    assert r.status_code == 200, r.text
    assert r.json() == {"id": 7, "name": "User 7", "self": "/users/7"}


def test_handlebars_greeting(http: httpx.Client) -> None:
    r = http.get("/greet/Ada")
    assert (r.status_code, r.text) == (200, "Hello, Ada!")


def test_jinja2_countdown(http: httpx.Client) -> None:
    r = http.get("/countdown/3")
    assert (r.status_code, r.text) == (200, "3, 2, 1, liftoff!")
    assert http.get("/countdown/100").status_code == 404  # at most two digits


def test_todo_scenario(http: httpx.Client) -> None:
    assert http.post("/__admin/scenarios/reset").status_code == 200
    assert http.get("/todo/items").json() == ["Buy milk"]
    assert http.post("/todo/items", content="something else").status_code == 404
    assert http.post("/todo/items", content='{"item": "Cancel newspaper"}').status_code == 201
    assert http.get("/todo/items").json() == ["Buy milk", "Cancel newspaper"]
    [scenario] = http.get("/__admin/scenarios").json()["scenarios"]
    assert (scenario["name"], scenario["state"]) == ("To do list", "Cancel newspaper added")
    http.post("/__admin/scenarios/reset")
    assert http.get("/todo/items").json() == ["Buy milk"]


def test_fault_resets_the_connection(http: httpx.Client) -> None:
    with pytest.raises(httpx.TransportError):
        http.get("/flaky")


def test_fixed_delay(http: httpx.Client) -> None:
    start = time.monotonic()
    r = http.get("/slow")
    assert (r.status_code, r.text) == (200, "finally")
    assert time.monotonic() - start >= 0.25


def test_proxy_is_loaded(http: httpx.Client) -> None:
    stubs = http.get("/__admin/mappings").json()["mappings"]
    [proxy] = [s for s in stubs if "proxyBaseUrl" in s["response"]]
    assert proxy["response"]["proxyBaseUrl"] == "https://api.github.com"
    assert proxy["request"]["urlPathPattern"] == "/github/.*"


@pytest.fixture
def upstream() -> Iterator[str]:
    with json_upstream(lambda h: {"path": h.path, "agent": h.headers.get_all("User-Agent")}) as url:
        yield url


def test_proxy_forwards_without_the_prefix(tmp_path: Path, upstream: str) -> None:
    """The same stub with a local upstream in place of api.github.com (tests use no network)."""
    (tmp_path / "mappings").mkdir()
    text = (STUBS / "mappings" / "github-proxy.json").read_text()
    assert '"proxyBaseUrl": "https://api.github.com"' in text
    doc = jsontext.loads(text)
    doc["response"]["proxyBaseUrl"] = upstream
    (tmp_path / "mappings" / "proxy.json").write_text(jsontext.dumps_pretty(doc))
    with serve(tmp_path, watch=False) as server, httpx.Client(base_url=server.url, timeout=10.0) as http:
        r = http.get("/github/zen?x=1")
        assert r.status_code == 200, r.text
        assert r.json() == {"path": "/zen?x=1", "agent": ["mockd-example"]}


def test_proxy_without_an_upstream_is_a_network_failure(tmp_path: Path) -> None:
    """What the example answers with no network: 500 and WireMock's "Network failure" text."""
    shutil.copytree(STUBS / "mappings", tmp_path / "mappings")
    doc = jsontext.loads((tmp_path / "mappings" / "github-proxy.json").read_text())
    with socket.socket() as closed:  # bound, never listening: connections to it are refused
        closed.bind(("127.0.0.1", 0))
        doc["response"]["proxyBaseUrl"] = f"http://127.0.0.1:{closed.getsockname()[1]}"
        (tmp_path / "mappings" / "github-proxy.json").write_text(jsontext.dumps_pretty(doc))
        with serve(tmp_path, watch=False) as server, httpx.Client(base_url=server.url, timeout=10.0) as http:
            r = http.get("/github/zen")
    assert r.status_code == 500
    assert r.text.startswith("Network failure trying to make a proxied request")
