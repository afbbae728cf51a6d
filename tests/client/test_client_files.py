"""MockdClient: save_mappings and load_mappings (JSON or YAML; one stub, {"mappings": [...]}, documents)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockd.client import MockdClient, MockdClientError
from mockd.embedded import serve
from mockd.errors import MockdError


def test_save_then_load_into_another_server(client: MockdClient, tmp_path: Path, fetch) -> None:
    client.stub_for({"name": "Get user", "request": {"url": "/user"}, "response": {"body": "u"}})
    client.stub_for({"request": {"method": "POST", "urlPath": "/orders"}, "response": {"status": 201}})
    files = client.save_mappings(tmp_path / "saved")
    assert sorted(p.name.split("-")[0] for p in files) == ["get", "post"]
    assert all(json.loads(p.read_text())["id"] for p in files)
    with serve(tmp_path / "other") as other:
        created = other.client.load_mappings(tmp_path / "saved")
        assert {s["id"] for s in created} == {s["id"] for s in client.stubs()}
        assert fetch(other.url + "/user") == (200, b"u")


def test_load_json_yaml_collections_and_documents(client: MockdClient, tmp_path: Path, fetch) -> None:
    folder = tmp_path / "stubs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_text('// one stub\n{"request": {"url": "/a"}, "response": {"body": "a"}}')
    (folder / "b.yaml").write_text(
        "mappings:\n  - request: {url: /b1}\n    response: {body: b1}\n"
        "  - request: {url: /b2}\n    response: {body: b2}\n"
    )
    (folder / "sub" / "c.yml").write_text(
        "request: {url: /c1}\nresponse: {body: c1}\n---\nrequest: {url: /c2}\nresponse: {body: c2}\n"
    )
    (folder / "notes.txt").write_text("not a stub")
    created = client.load_mappings(folder)
    assert [s["request"]["url"] for s in created] == ["/a", "/b1", "/b2", "/c1", "/c2"]
    for name in ("a", "b1", "b2", "c1", "c2"):
        assert fetch(f"{client.url}/{name}") == (200, name.encode())


def test_load_a_root_dir_reads_its_mappings(client: MockdClient, tmp_path: Path) -> None:
    tmp_path = tmp_path / "elsewhere"
    (tmp_path / "mappings").mkdir(parents=True)
    (tmp_path / "__files").mkdir()
    (tmp_path / "__files" / "body.json").write_text('{"not": "a stub"}')
    (tmp_path / "mappings" / "x.json").write_text('{"request": {"url": "/x"}, "response": {}}')
    assert [s["request"]["url"] for s in client.load_mappings(tmp_path)] == ["/x"]


def test_a_server_error_names_the_file_and_pointer(client: MockdClient, tmp_path: Path) -> None:
    tmp_path = tmp_path / "stubs"
    tmp_path.mkdir()
    (tmp_path / "bad.yaml").write_text("mappings:\n  - request: {url: /ok}\n  - request: {urlx: /bad}\n")
    with pytest.raises(MockdClientError) as info:
        client.load_mappings(tmp_path)
    exc = info.value
    assert exc.location.file == str(tmp_path / "bad.yaml")
    assert exc.pointer is not None and exc.pointer.startswith("/mappings/1/request")
    assert str(exc).startswith(f"{tmp_path / 'bad.yaml'} at /mappings/1/request")


def test_a_syntax_error_names_the_file(client: MockdClient, tmp_path: Path) -> None:
    tmp_path = tmp_path / "stubs"
    tmp_path.mkdir()
    (tmp_path / "broken.json").write_text('{"request": ')
    with pytest.raises(MockdError) as info:
        client.load_mappings(tmp_path)
    assert info.value.location.file == str(tmp_path / "broken.json")


def test_load_from_a_missing_folder(client: MockdClient, tmp_path: Path) -> None:
    with pytest.raises(MockdError, match="not a directory"):
        client.load_mappings(tmp_path / "nope")
