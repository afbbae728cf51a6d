"""Persistence through the admin API: persistent stubs, /mappings/save, deletes, formats, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import yaml

YAML_STUB = """\
id: 5a000000-0000-4000-8000-000000000001
persistent: true
request:
  method: GET
  url: /yaml/one
response:
  status: 200
  body: from yaml
"""

HUMAN_JSON = {
    "id": "5a000000-0000-4000-8000-000000000002",
    "request": {"method": "GET", "url": "/human"},
    "response": {"status": 200, "body": "written by a person"},
}


def _files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "mappings").rglob("*") if p.is_file())


def _create(http: httpx.Client, mapping: dict[str, Any]) -> dict[str, Any]:
    r = http.post("/__admin/mappings", json=mapping)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def test_persistent_stub_is_written_and_deleted_with_it(http: httpx.Client, root: Path) -> None:
    created = _create(
        http, {"persistent": True, "request": {"url": "/p/1"}, "response": {"status": 200, "body": "one"}}
    )
    [path] = _files(root)
    assert path.suffix == ".json"
    on_disk = json.loads(path.read_text())
    assert on_disk["id"] == created["id"]
    assert on_disk["persistent"] is True
    assert on_disk["response"]["body"] == "one"
    r = http.delete(f"/__admin/mappings/{created['id']}")
    assert r.status_code == 200
    assert _files(root) == []


def test_non_persistent_stub_is_not_written(http: httpx.Client, root: Path) -> None:
    _create(http, {"request": {"url": "/p/mem"}, "response": {"status": 200}})
    assert _files(root) == []


def test_edit_of_persistent_stub_rewrites_its_file_in_place(http: httpx.Client, root: Path) -> None:
    created = _create(
        http, {"persistent": True, "request": {"url": "/p/e"}, "response": {"status": 200, "body": "v1"}}
    )
    [before] = _files(root)
    edited = {"persistent": True, "request": {"url": "/p/e"}, "response": {"status": 200, "body": "v2"}}
    r = http.put(f"/__admin/mappings/{created['id']}", json=edited)
    assert r.status_code == 200
    assert _files(root) == [before]
    assert json.loads(before.read_text())["response"]["body"] == "v2"
    assert http.get("/p/e").text == "v2"


def test_yaml_stub_stays_yaml(start: Any, root: Path) -> None:
    path = root / "mappings" / "one.yaml"
    path.write_text(YAML_STUB)
    with start() as (_, http):
        assert http.get("/yaml/one").text == "from yaml"
        stub_id = "5a000000-0000-4000-8000-000000000001"
        changed = {
            "persistent": True,
            "request": {"method": "GET", "url": "/yaml/one"},
            "response": {"status": 200, "body": "changed"},
        }
        assert http.put(f"/__admin/mappings/{stub_id}", json=changed).status_code == 200
        assert _files(root) == [path]
        doc = yaml.safe_load(path.read_text())
        assert doc["response"]["body"] == "changed"
        assert doc["id"] == stub_id
        assert http.get("/yaml/one").text == "changed"
        assert http.delete(f"/__admin/mappings/{stub_id}").status_code == 200
        assert not path.exists()


def test_save_writes_every_stub_and_keeps_formats(start: Any, root: Path) -> None:
    yaml_path = root / "mappings" / "kept.yaml"
    yaml_path.write_text(YAML_STUB.replace("persistent: true\n", ""))
    with start() as (_, http):
        a = _create(http, {"request": {"url": "/s/a"}, "response": {"status": 200, "body": "a"}})
        b = _create(http, {"name": "named stub", "request": {"url": "/s/b"}, "response": {"status": 200}})
        r = http.post("/__admin/mappings/save")
        assert (r.status_code, r.content) == (200, b"")
        files = _files(root)
        assert len(files) == 3
        assert yaml_path in files
        assert yaml.safe_load(yaml_path.read_text())["persistent"] is True
        written = {json.loads(p.read_text())["id"] for p in files if p.suffix == ".json"}
        assert written == {a["id"], b["id"]}
        assert all(not p.name.startswith(".") for p in (root / "mappings").iterdir())  # no temp files left
        listed = http.get("/__admin/mappings").json()["mappings"]
        assert all(m.get("persistent") is True for m in listed)


def test_delete_all_never_deletes_files_a_person_wrote(start: Any, root: Path) -> None:
    human_json = root / "mappings" / "human.json"
    human_json.write_text(json.dumps(HUMAN_JSON))
    human_yaml = root / "mappings" / "human.yaml"
    human_yaml.write_text(YAML_STUB)  # a person's file, even with persistent: true
    with start() as (_, http):
        _create(http, {"persistent": True, "request": {"url": "/api/p"}, "response": {"status": 200}})
        http.post("/__admin/mappings/save")  # rewrites the person's files in place, still theirs
        assert len(_files(root)) == 3
        r = http.delete("/__admin/mappings")
        assert (r.status_code, r.json()) == (200, {})
        assert _files(root) == [human_json, human_yaml]
        assert http.get("/__admin/mappings").json()["meta"]["total"] == 0
        http.post("/__admin/mappings/reset")  # reload from disk: the person's stubs are back
        assert http.get("/human").text == "written by a person"


def test_deleting_a_loaded_non_persistent_stub_leaves_its_file(start: Any, root: Path) -> None:
    human_json = root / "mappings" / "human.json"
    human_json.write_text(json.dumps(HUMAN_JSON))
    with start() as (_, http):
        assert http.delete(f"/__admin/mappings/{HUMAN_JSON['id']}").status_code == 200
        assert human_json.exists()


def test_persisted_stubs_survive_a_restart(start: Any, root: Path) -> None:
    with start() as (_, http):
        created = _create(
            http,
            {"persistent": True, "request": {"url": "/p/keep"}, "response": {"status": 200, "body": "kept"}},
        )
    with start() as (_, http):
        assert http.get("/p/keep").text == "kept"
        assert http.get(f"/__admin/mappings/{created['id']}").status_code == 200


def test_multi_stub_file_is_read_only(start: Any, root: Path) -> None:
    doc = {"mappings": [
        {"id": "5a000000-0000-4000-8000-0000000000a1", "request": {"url": "/m/1"}, "response": {"status": 200}},
        {"id": "5a000000-0000-4000-8000-0000000000a2", "request": {"url": "/m/2"}, "response": {"status": 200}},
    ]}  # fmt: skip
    path = root / "mappings" / "many.json"
    path.write_text(json.dumps(doc))
    with start() as (_, http):
        edit = {"persistent": True, "request": {"url": "/m/1"}, "response": {"status": 201}}
        r = http.put("/__admin/mappings/5a000000-0000-4000-8000-0000000000a1", json=edit)
        assert r.status_code == 409
        assert r.json()["errors"][0]["code"] == 50
        assert json.loads(path.read_text()) == doc
        http.delete("/__admin/mappings")
        assert path.exists()


def test_import_persists_persistent_stubs_and_deletes_removed_ones(http: httpx.Client, root: Path) -> None:
    old = _create(http, {"persistent": True, "request": {"url": "/imp/old"}, "response": {"status": 200}})
    assert len(_files(root)) == 1
    doc = {
        "mappings": [
            {"persistent": True, "request": {"url": "/imp/new"}, "response": {"status": 200, "body": "n"}}
        ],
        "importOptions": {"duplicatePolicy": "OVERWRITE", "deleteAllNotInImport": True},
    }
    assert http.post("/__admin/mappings/import", json=doc).status_code == 200
    [path] = _files(root)
    assert json.loads(path.read_text())["request"]["url"] == "/imp/new"
    assert http.get(f"/__admin/mappings/{old['id']}").status_code == 404
