"""/__admin/files: list, read, write, delete; never anything outside __files/."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import httpx
import pytest


def test_put_get_list_delete(http: httpx.Client, root: Path) -> None:
    put = http.put("/__admin/files/sub/dir/hello.txt", content=b"hello")
    assert put.status_code == 200
    assert put.json() == base64.b64encode(b"hello").decode()  # WireMock echoes the bytes as base64 JSON
    assert (root / "__files" / "sub" / "dir" / "hello.txt").read_bytes() == b"hello"
    http.put("/__admin/files/a.bin", content=bytes(range(256)))
    assert http.get("/__admin/files").json() == ["a.bin", "sub/dir/hello.txt"]
    got = http.get("/__admin/files/sub/dir/hello.txt")
    assert (got.status_code, got.content) == (200, b"hello")
    assert got.headers["Content-Type"].startswith("text/plain")
    assert http.get("/__admin/files/a.bin").content == bytes(range(256))
    assert http.delete("/__admin/files/a.bin").status_code == 200
    assert not (root / "__files" / "a.bin").exists()
    assert http.get("/__admin/files/a.bin").status_code == 404
    assert http.get("/__admin/files").json() == ["sub/dir/hello.txt"]


def test_put_overwrites_atomically(http: httpx.Client, root: Path) -> None:
    http.put("/__admin/files/x.json", content=b'{"v": 1}')
    http.put("/__admin/files/x.json", content=b'{"v": 2}')
    assert (root / "__files" / "x.json").read_bytes() == b'{"v": 2}'
    assert sorted(os.listdir(root / "__files")) == ["x.json"]  # no temp files left behind


def test_written_file_is_served_by_a_stub(http: httpx.Client) -> None:
    http.put("/__admin/files/body.txt", content=b"from a file")
    r = http.post(
        "/__admin/mappings",
        json={"request": {"url": "/f"}, "response": {"status": 200, "bodyFileName": "body.txt"}},
    )
    assert r.status_code == 201
    assert http.get("/f").text == "from a file"


def test_missing_file_is_404(http: httpx.Client) -> None:
    assert http.get("/__admin/files/nope.txt").status_code == 404


def test_directories_are_not_files(http: httpx.Client, root: Path) -> None:
    (root / "__files" / "d").mkdir()
    assert http.get("/__admin/files/d").status_code == 404
    assert http.delete("/__admin/files/d").status_code == 400
    assert http.put("/__admin/files/d", content=b"x").status_code == 400
    assert (root / "__files" / "d").is_dir()


ESCAPES = [
    "../outside.txt",
    "sub/../../outside.txt",
    "%2e%2e/outside.txt",
    "%2E%2E%2Foutside.txt",
    "..%2foutside.txt",
    "%2Ftmp%2Foutside.txt",
    "/../outside.txt",
]


@pytest.mark.parametrize("path", ESCAPES)
def test_paths_outside_files_are_refused(root: Path, server: object, path: str) -> None:
    outside = root / "outside.txt"
    outside.write_bytes(b"secret")
    before = sorted(p.name for p in root.iterdir())
    url = f"{server.url}/__admin/files/{path}"  # type: ignore[attr-defined]
    with httpx.Client(timeout=10.0) as raw:
        for method in ("GET", "PUT", "DELETE"):
            # httpx would normalise `..`; send the path exactly as written
            request = raw.build_request(method, url, content=b"overwritten" if method == "PUT" else None)
            request.url = request.url.copy_with(raw_path=f"/__admin/files/{path}".encode())
            r = raw.send(request)
            if r.status_code == 403:
                assert r.json()["errors"][0]["code"] == 50
            else:  # the server normalised the path to something inside __files (`//..` -> `/`), or no route
                assert r.status_code in (200, 404), (method, path, r.status_code, r.text)
    assert outside.read_bytes() == b"secret"
    assert sorted(p.name for p in root.iterdir()) == before


def test_absolute_path_in_segment_is_refused(
    http: httpx.Client, root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "target.txt"
    elsewhere.write_bytes(b"keep")
    encoded = str(elsewhere).replace("/", "%2F")
    for method in ("GET", "PUT", "DELETE"):
        r = http.request(method, f"/__admin/files/{encoded}", content=b"x" if method == "PUT" else None)
        assert r.status_code in (403, 404), (method, r.status_code)
    assert elsewhere.read_bytes() == b"keep"


def test_symlink_out_of_files_is_refused(
    http: httpx.Client, root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    secret_dir = tmp_path_factory.mktemp("secret")
    (secret_dir / "key.txt").write_bytes(b"private")
    (root / "__files" / "link").symlink_to(secret_dir, target_is_directory=True)
    (root / "__files" / "filelink.txt").symlink_to(secret_dir / "key.txt")
    for path in ("link/key.txt", "filelink.txt", "link/new.txt"):
        assert http.get(f"/__admin/files/{path}").status_code == 403
        assert http.put(f"/__admin/files/{path}", content=b"overwritten").status_code == 403
        assert http.delete(f"/__admin/files/{path}").status_code == 403
    assert (secret_dir / "key.txt").read_bytes() == b"private"
    assert sorted(os.listdir(secret_dir)) == ["key.txt"]


def test_files_root_itself_is_not_a_file(http: httpx.Client) -> None:
    assert http.get("/__admin/files/%2e").status_code == 403
    assert http.delete("/__admin/files/%2e").status_code == 403
