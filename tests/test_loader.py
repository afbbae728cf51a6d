"""Loading a root dir: JSON (comments, single quotes, decimals), YAML (several documents), broken files
skipped and located, links out of the root refused, atomic writes."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from mockd import jsontext
from mockd.errors import MockdError
from mockd.loader import (
    atomic_write,
    encode_stubs,
    load_file,
    load_mappings,
    resolve_under,
    stub_file_name,
    write_stub,
)
from mockd.stubs.model import Format


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_json_with_comments_single_quotes_and_decimals(tmp_path: Path) -> None:
    f = write(
        tmp_path / "m" / "a.json",
        """// a comment
        {
          /* block */ 'request': {'url': '/a'},
          "response": {"jsonBody": {"price": 1.10}}
        }""",
    )
    (stub,) = load_file(f)
    assert stub.request.url.value == "/a"
    assert jsontext.dumps_compact(stub.response.json_body) == '{"price":1.10}'
    assert stub.source is not None and stub.source.format is Format.JSON and not stub.source.multi


def test_yaml_several_documents_and_collections(tmp_path: Path) -> None:
    f = write(
        tmp_path / "m" / "b.yaml",
        """request: {url: /one}
response: {status: 200, jsonBody: {price: 1.10}}
---
mappings:
  - request: {url: /two}
  - request: {url: /three}
""",
    )
    stubs = load_file(f)
    assert [s.request.url.value for s in stubs] == ["/one", "/two", "/three"]
    assert jsontext.dumps_compact(stubs[0].response.json_body) == '{"price":1.10}'
    assert all(s.source is not None and s.source.multi for s in stubs)


def test_broken_files_are_skipped_and_located(tmp_path: Path) -> None:
    m = tmp_path / "mappings"
    write(m / "good.json", '{"request": {"url": "/ok"}}')
    write(m / "unknown.json", '{"request": {"urlx": "/x"}}')
    write(m / "syntax.json", '{"request": ')
    write(m / "bad.yaml", "request: [unclosed\n")
    write(m / "empty.json", "")
    write(m / "binary.json", b"\x00\x01\x02")
    write(m / "sub" / "deeper.yml", "request: {urlPath: /deep}\n")
    write(m / ".hidden.json", "not even json")
    write(m / "notes.txt", "ignored")
    (m / "dir.json").mkdir()
    result = load_mappings(m, tmp_path)
    assert sorted(s.request.url.value for s in result.stubs) == ["/deep", "/ok"]
    problems = {p.file.name: p.error for p in result.problems}
    assert set(problems) == {
        "unknown.json",
        "syntax.json",
        "bad.yaml",
        "empty.json",
        "binary.json",
        "dir.json",
    }
    assert "directory named like a stub file" in str(problems["dir.json"])
    assert problems["unknown.json"].pointer == "/request/urlx"
    assert problems["unknown.json"].location.file is not None
    assert problems["syntax.json"].location.line == 1
    assert problems["bad.yaml"].location.line is not None
    assert "\x00" not in str(problems["binary.json"])


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    m = tmp_path / "mappings"
    sid = "7c1e0000-0000-4000-8000-0000000000b1"
    write(m / "a.json", f'{{"id": "{sid}", "request": {{"url": "/a"}}}}')
    write(m / "b.json", f'{{"id": "{sid}", "request": {{"url": "/b"}}}}')
    result = load_mappings(m, tmp_path)
    assert len(result.stubs) == 1 and len(result.problems) == 1
    assert "already used" in str(result.problems[0])


def test_links_out_of_the_root_are_refused(tmp_path: Path) -> None:
    outside = write(
        tmp_path / "secret.json", '{"request": {"url": "/secret"}, "response": {"body": "TOPSECRET"}}'
    )
    root = tmp_path / "root"
    m = root / "mappings"
    m.mkdir(parents=True)
    os.symlink(outside, m / "link.json")
    result = load_mappings(m, root)
    assert result.stubs == []
    assert "outside the root" in str(result.problems[0]) and "TOPSECRET" not in str(result.problems[0])


def test_resolve_under_refuses_escapes(tmp_path: Path) -> None:
    files = tmp_path / "__files"
    write(files / "a" / "b.txt", "x")
    write(tmp_path / "outside.txt", "no")
    os.symlink(tmp_path / "outside.txt", files / "link.txt")
    assert resolve_under(files, "a/b.txt") == (files / "a" / "b.txt").resolve()
    for bad in ("../outside.txt", "a/../../outside.txt", "/etc/passwd", "link.txt", "", "a\x00b"):
        assert resolve_under(files, bad) is None, bad


def test_atomic_write_and_round_trip(tmp_path: Path) -> None:
    m = tmp_path / "mappings"
    (stub,) = load_file(
        write(tmp_path / "src.yaml", "name: Saved one\nrequest: {url: /s}\nresponse: {jsonBody: {v: 2.50}}\n")
    )
    saved = write_stub(replace(stub, source=None), m, Format.YAML)
    assert saved.source is not None and saved.source.written_by_mockd
    assert saved.source.path.name == stub_file_name(stub, Format.YAML)
    assert saved.source.path.name.startswith("saved-one-")
    (again,) = load_file(saved.source.path)
    assert again.request == stub.request
    assert jsontext.dumps_compact(again.response.json_body) == '{"v":2.50}'
    assert not [p for p in m.iterdir() if p.name.startswith(".mockd-")]  # no temp files left
    atomic_write(m / "x.json", encode_stubs([stub], Format.JSON))
    (as_json,) = load_file(m / "x.json")
    assert as_json.id == stub.id


def test_missing_dir_is_empty(tmp_path: Path) -> None:
    result = load_mappings(tmp_path / "nope", tmp_path)
    assert result.stubs == [] and result.problems == []


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    f = write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(MockdError, match="aliases"):
        load_file(f)
