"""MockdClient: stubs (dict, JSON and YAML text), errors with WireMock's envelope, reset, the URL."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

import mockd
from mockd.client import MockdClient, MockdClientError
from mockd.embedded import EmbeddedServer, serve

HELLO = {"request": {"method": "GET", "url": "/hello"}, "response": {"status": 200, "body": "hi"}}


def test_stub_for_returns_the_created_stub_and_it_serves(client: MockdClient, fetch) -> None:
    created = client.stub_for(HELLO)
    assert created["id"] and created["request"] == HELLO["request"]
    assert fetch(client.url + "/hello") == (200, b"hi")


def test_stub_for_takes_yaml_text(client: MockdClient, fetch) -> None:
    created = client.stub_for(
        """
        request:
          method: POST
          urlPath: /orders
        response:
          status: 201
          jsonBody: {id: 7, price: 1.10}
        """
    )
    assert created["request"]["urlPath"] == "/orders"
    status, body = fetch(client.url + "/orders", method="POST", body=b"{}")
    assert status == 201 and b'"price":1.10' in body  # the decimal's text survives


def test_stub_for_takes_json_text_with_comments(client: MockdClient, fetch) -> None:
    client.stub_for('{ // a comment\n "request": {"url": "/j"}, "response": {"status": 204} }')
    assert fetch(client.url + "/j")[0] == 204


def test_stub_for_refuses_text_with_several_stubs(client: MockdClient) -> None:
    with pytest.raises(ValueError, match="2 stubs"):
        client.stub_for("request: {url: /a}\n---\nrequest: {url: /b}\n")


def test_list_get_edit_remove(client: MockdClient, fetch) -> None:
    first = client.stub_for(HELLO)
    second = client.stub_for({"request": {"url": "/two"}, "response": {"body": "2"}})
    assert [s["id"] for s in client.stubs()] == [second["id"], first["id"]]  # newest first
    assert client.get_stub(first["id"])["response"]["body"] == "hi"
    client.edit_stub({**first, "response": {"status": 200, "body": "edited"}})
    assert fetch(client.url + "/hello") == (200, b"edited")
    client.remove_stub(first["id"])
    client.remove_stub(second)  # the dict works too
    assert client.stubs() == []


def test_an_invalid_stub_raises_with_the_error_envelope(client: MockdClient) -> None:
    with pytest.raises(MockdClientError) as info:
        client.stub_for({"request": {"method": "GET", "urlx": "/x"}, "response": {}})
    exc = info.value
    assert isinstance(exc, mockd.MockdError)
    assert exc.status == 422 and exc.code == 10
    assert exc.errors and exc.errors[0]["source"]["pointer"].startswith("/request")
    assert exc.pointer == exc.errors[0]["source"]["pointer"]
    assert "POST " in str(exc) and "/__admin/mappings" in str(exc) and "HTTP 422" in str(exc)


def test_a_duplicate_id_is_code_109(client: MockdClient) -> None:
    created = client.stub_for(HELLO)
    with pytest.raises(MockdClientError) as info:
        client.stub_for({**HELLO, "id": created["id"]})
    assert info.value.code == 109 and "Duplicate stub mapping ID" in str(info.value)


def test_removing_an_unknown_stub_is_404(client: MockdClient) -> None:
    with pytest.raises(MockdClientError) as info:
        client.remove_stub("00000000-0000-0000-0000-000000000001")
    assert info.value.status == 404 and info.value.errors == []


def test_reset_keeps_file_stubs_and_drops_api_stubs_and_journal(root: Path, fetch) -> None:
    (root / "mappings" / "file.json").write_text('{"request": {"url": "/file"}, "response": {"body": "f"}}')
    with serve(root) as server:
        client = server.client
        client.stub_for(HELLO)
        fetch(client.url + "/hello")
        client.reset()
        assert [s["request"]["url"] for s in client.stubs()] == ["/file"]
        assert client.requests() == []
        assert fetch(client.url + "/hello")[0] == 404


def test_url_and_repr(server: EmbeddedServer) -> None:
    client = MockdClient(server.url + "/")
    assert client.url == server.url == server.client.url
    assert repr(client) == f"MockdClient({server.url!r})"
    with pytest.raises(ValueError, match="base URL"):
        MockdClient("localhost:8080")


def test_basic_auth_from_the_url_or_the_argument(tmp_path: Path) -> None:
    with serve(tmp_path, admin_api_basic_auth="ann:secret") as server:
        assert server.client.stubs() == []  # serve() gives a client with the credentials
        host = server.url.removeprefix("http://")
        assert MockdClient(f"http://ann:secret@{host}").stubs() == []
        assert MockdClient(server.url, auth=("ann", "secret")).stubs() == []
        with pytest.raises(MockdClientError) as info:
            MockdClient(server.url).stubs()
        assert info.value.status == 401


def test_no_server_is_status_0() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(MockdClientError) as info:
        MockdClient(f"http://127.0.0.1:{port}", timeout=2).stubs()
    assert info.value.status == 0 and "no answer" in str(info.value)


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        accepted: list[socket.socket] = []
        thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
        thread.start()
        started = time.monotonic()
        with pytest.raises(MockdClientError) as info:
            MockdClient(f"http://127.0.0.1:{port}", timeout=0.3).stubs()
        assert time.monotonic() - started < 5
        thread.join(5)
        for conn in accepted:
            conn.close()
    assert info.value.status == 0


def test_wait_until_ready_is_bounded() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(MockdClientError):
        MockdClient(f"http://127.0.0.1:{port}", timeout=0.5).wait_until_ready(0.3)
    assert time.monotonic() - started < 5


def test_admin_prefix(tmp_path: Path) -> None:
    with serve(tmp_path, admin_prefix="/_mock") as server:
        assert server.client.stubs() == []
        assert MockdClient(server.url, admin_prefix="/_mock/").stubs() == []
