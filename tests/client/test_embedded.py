"""mockd.serve(): in-process and as a subprocess, each with `.url` and `.client`, stopping cleanly."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

import mockd
from mockd.client import MockdClientError
from mockd.config import Settings
from mockd.embedded import EmbeddedServer, ProcessServer, cli_args, serve

HELLO = {"request": {"url": "/hello"}, "response": {"body": "hi"}}


def test_thread_mode_has_url_and_client(tmp_path: Path, fetch) -> None:
    with mockd.serve(tmp_path) as server:
        assert isinstance(server, EmbeddedServer)
        assert server.url.startswith("http://127.0.0.1:") and server.port > 0
        server.client.stub_for(HELLO)
        assert fetch(server.url + "/hello") == (200, b"hi")
    with pytest.raises(MockdClientError):
        server.client.stubs()  # stopped


@pytest.mark.slow
def test_process_mode(tmp_path: Path, fetch) -> None:
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "f.yaml").write_text("request: {url: /file}\nresponse: {body: from file}\n")
    with serve(tmp_path, mode="process", verbose=True) as server:
        assert isinstance(server, ProcessServer) and server.pid is not None
        assert fetch(server.url + "/file") == (200, b"from file")
        server.client.stub_for(HELLO)
        assert fetch(server.url + "/hello") == (200, b"hi")
        process = server.process
    assert process is not None and process.poll() is not None  # exited
    with pytest.raises(MockdClientError):
        server.client.stubs()


@pytest.mark.slow
def test_process_mode_that_cannot_start_says_why(tmp_path: Path) -> None:
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "bad.json").write_text('{"request": {"urlx": "/"}}')
    expected = r"exited with status 1 before listening(.|\n)*urlx"
    with pytest.raises(RuntimeError, match=expected), serve(tmp_path, mode="process", strict_loading=True):
        pass


def test_thread_mode_that_cannot_start_raises(tmp_path: Path) -> None:
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "bad.json").write_text('{"request": {"urlx": "/"}}')
    with pytest.raises(mockd.MockdError, match="urlx"), serve(tmp_path, strict_loading=True):
        pass


def test_cli_args_for_settings() -> None:
    settings = Settings(bind_address="127.0.0.1", port=0, watch=False, root_dir=Path("/r"))
    given = {
        "verbose": True,
        "disable_gzip": False,
        "request_journal": False,
        "proxy_timeout_ms": 500,
        "match_headers": ("Accept", "X-A"),
        "proxy_all": None,
    }
    assert cli_args(settings, given) == [
        "--bind-address", "127.0.0.1", "--port", "0", "--root-dir", "/r", "--no-watch",
        "--verbose", "--no-request-journal", "--proxy-timeout", "500", "--match-headers", "Accept,X-A",
    ]  # fmt: skip


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="unknown setting"):
        serve(nope=1)
    with pytest.raises(ValueError, match="mode"):
        serve(mode="fork")  # type: ignore[call-overload]


def test_every_setting_has_its_serve_flag() -> None:
    """mode="process" passes settings as `mockd serve` flags: each one must exist."""
    from dataclasses import fields

    from mockd.cli import main
    from mockd.config import Settings
    from mockd.embedded import _FLAG_NAMES, _NEGATED

    assert isinstance(main, click.Group)
    known = {o for p in main.commands["serve"].params for o in getattr(p, "opts", [])}
    missing = []
    for f in fields(Settings):
        if f.name in ("extra", "bind_address", "port", "root_dir"):
            continue
        flag = _NEGATED.get(f.name) or "--" + _FLAG_NAMES.get(f.name, f.name).replace("_", "-")
        if flag not in known:
            missing.append((f.name, flag))
    assert missing == []
