"""Files and paths: bad mapping files are skipped and reported without their content; nothing is
read or written outside `__files/` (files API, bodyFileName, templated bodyFileName, static files)."""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from hardening.rawhttp import exchange
from support import stub

SECRET = "TOPSECRET-" + uuid.uuid4().hex


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory beside the root holding a secret file and a valid-looking stub."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.txt").write_text(SECRET)
    (folder / "stub.json").write_text(
        json.dumps({"request": {"url": "/outside"}, "response": {"status": 200, "body": SECRET}})
    )
    return folder


def test_bad_mapping_files_are_skipped_and_reported_without_their_content(
    root: Path, start: Any, outside: Path, caplog: pytest.LogCaptureFixture
) -> None:
    m = root / "mappings"
    (m / "good.json").write_text('{"id": "11111111-1111-1111-1111-111111111111", "request": {"url": "/good"}, '
                                 '"response": {"status": 200, "body": "good"}}')  # fmt: skip
    (m / "zz-dupe.json").write_text('{"id": "11111111-1111-1111-1111-111111111111", "request": {"url": "/dupe"}, '
                                 f'"response": {{"body": "{SECRET}"}}}}')  # fmt: skip
    os.symlink(outside / "stub.json", m / "link.json")
    (m / "folder.json").mkdir()
    (m / "folder.json" / "inner.json").write_text(
        '{"request": {"url": "/inner"}, "response": {"status": 200}}'
    )
    (m / "binary.json").write_bytes(b"\x00\x01" + SECRET.encode() + b"\xff")
    (m / "latin1.json").write_bytes(b'{"x": "' + SECRET.encode() + b'\xe9"}')
    (m / "empty.json").write_text("")
    (m / "blank.yaml").write_text("   \n\n")
    (m / "syntax.json").write_text('{"request": {"url": "/s"}, "response": ' + SECRET + "}")
    (m / "syntax.yaml").write_text(f"request: {{url: /y}}\nresponse: [{SECRET}\n")
    (m / "schema.json").write_text(json.dumps({"request": {"url": "/x"}, "response": {"status": SECRET}}))
    (m / "unknown.json").write_text(json.dumps({"request": {"url": "/u", "bogus": SECRET}, "response": {}}))
    (m / "huge.json").write_text(
        '{"request": {"url": "/h"}, "response": {"body": "' + "x" * (11 * 1024 * 1024) + '"}}'
    )
    os.mkfifo(m / "fifo.json")  # reading it would block forever
    with caplog.at_level(logging.DEBUG), start() as (_, http):
        assert http.get("/good").text == "good"
        assert http.get("/inner").status_code == 404  # a folder named *.json is skipped and reported
        assert http.get("/outside").status_code == 404
        assert http.get("/dupe").status_code == 404
        problems = http.get("/__admin/mappings/problems").json()["problems"]
        mappings = http.get("/__admin/mappings").text
    files = {p["file"] for p in problems}
    expected = {"zz-dupe", "link", "binary", "latin1", "empty", "syntax", "schema", "huge", "fifo", "folder"}
    assert {f"mappings/{n}.json" for n in expected} <= files
    assert {"mappings/blank.yaml", "mappings/syntax.yaml"} <= files
    assert all(p["message"] for p in problems)
    unknown = next(p for p in problems if p["file"] == "mappings/unknown.json")
    assert (unknown["pointer"], 'Unrecognized field "bogus"' in unknown["message"]) == (
        "/request/bogus",
        True,
    )
    assert SECRET not in json.dumps(problems)
    assert SECRET not in mappings
    assert SECRET not in caplog.text


def test_the_files_api_never_leaves_files(http: httpx.Client, root: Path, outside: Path) -> None:
    os.symlink(outside / "secret.txt", root / "__files" / "link.txt")
    os.symlink(outside, root / "__files" / "dirlink")
    for path in (
        "/__admin/files/..%2F..%2F" + str(outside / "secret.txt").lstrip("/").replace("/", "%2F"),
        "/__admin/files/%2e%2e/%2e%2e/secret.txt",
        "/__admin/files/" + str(outside / "secret.txt").replace("/", "%2F"),
        "/__admin/files/link.txt",
        "/__admin/files/dirlink/secret.txt",
        "/__admin/files/a%00b",
    ):
        got = http.get(path)
        assert got.status_code in (403, 404), (path, got.status_code)
        assert SECRET not in got.text
        assert http.put(path, content=b"overwritten").status_code in (403, 404), path
        assert http.delete(path).status_code in (403, 404), path
    assert (outside / "secret.txt").read_text() == SECRET
    assert SECRET not in http.get("/__admin/files").text
    # on POSIX a backslash is an ordinary file name character: such a name stays inside __files
    assert http.put("/__admin/files/..\\x.txt", content=b"in").status_code == 200
    assert (root / "__files" / "..\\x.txt").read_bytes() == b"in"


def test_body_file_names_never_leave_files(http: httpx.Client, root: Path, outside: Path) -> None:
    os.symlink(outside / "secret.txt", root / "__files" / "link.txt")
    (root / "__files" / "ok.txt").write_text("fine")
    rel = os.path.relpath(outside / "secret.txt", root / "__files")
    for name in (rel, str(outside / "secret.txt"), "../../../../../../etc/hostname"):
        doc = {"request": {"url": "/static"}, "response": {"status": 200, "bodyFileName": name}}
        refused = http.post("/__admin/mappings", json=doc)  # refused when the stub is created
        assert refused.status_code == 422, name
        assert refused.json()["errors"][0]["source"]["pointer"] == "/response/bodyFileName"
    stub(http, {"request": {"url": "/link"}, "response": {"status": 200, "bodyFileName": "link.txt"}})
    got = http.get("/link")  # a link out of __files/ is refused when the file is read
    assert SECRET not in got.text and got.status_code != 200
    stub(http, {"request": {"urlPathPattern": "/t/.*"},
                "response": {"status": 200, "bodyFileName": "{{request.path.[1]}}",
                             "transformers": ["response-template"]}})  # fmt: skip
    assert http.get("/t/ok.txt").text == "fine"
    for segment in ("..%2F" + rel.replace("/", "%2F"), "%2e%2e%2Fsecret.txt", "link.txt",
                    "..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd"):  # fmt: skip
        got = http.get(f"/t/{segment}")
        assert SECRET not in got.text and "root:" not in got.text and got.status_code != 200, segment


def test_static_files_never_leave_files(http: httpx.Client, root: Path, outside: Path) -> None:
    os.symlink(outside / "secret.txt", root / "__files" / "link.txt")
    (root / "__files" / "public.txt").write_text("public")
    assert http.get("/public.txt").text == "public"
    rel = os.path.relpath(outside / "secret.txt", root / "__files")
    port = int(http.base_url.port or 0)
    for raw_path in (
        "/" + rel,
        "/" + rel.replace("..", "%2e%2e"),
        "/" + rel.replace("/", "%2F"),
        "/link.txt",
        "/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "//etc/passwd",
    ):
        answer = exchange(port, f"GET {raw_path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        assert answer.status in (400, 404), (raw_path, answer.status)
        assert SECRET.encode() not in answer.body and b"root:" not in answer.body, raw_path
