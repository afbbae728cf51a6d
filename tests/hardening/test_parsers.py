"""Parsers are safe: YAML, XML, JSON, gzip and multipart inputs built to hurt get a 4xx or no match."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import stub

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]><a>&lol9;</a>"
)


def xxe(secret: Path) -> str:
    return f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file://{secret}">]><a>&x;</a>'


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET", encoding="utf-8")
    return path


@pytest.fixture
def listener() -> Any:
    """A TCP port that records whether anything connected (for 'no network' checks)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    hits: list[int] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], hits
    stop.set()
    thread.join(timeout=5)
    sock.close()


# -- XML -------------------------------------------------------------------------------------------


def test_xml_entities_are_never_expanded_nor_loaded(
    http: httpx.Client, secret: Path, listener: tuple[int, list[int]]
) -> None:
    port, hits = listener
    stub(http, {"request": {"method": "POST", "url": "/eq", "bodyPatterns": [{"equalToXml": "<a>lollollol</a>"}]},
                "response": {"status": 200}})  # fmt: skip
    for url, sub in (("/lol", "lollollollol"), ("/xxe", "TOPSECRET")):
        stub(http, {"request": {"method": "POST", "url": url, "bodyPatterns": [
            {"matchesXPath": {"expression": "/a", "contains": sub}}]}, "response": {"status": 200}})  # fmt: skip
    stub(http, {"request": {"method": "POST", "url": "/tpl"},
                "response": {"status": 200, "body": "[{{xPath request.body '/a/text()'}}]",
                             "transformers": ["response-template"]}})  # fmt: skip
    external_dtd = f'<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://127.0.0.1:{port}/x.dtd"><a>&x;</a>'
    external_entity = (
        f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/e">]><a>&x;</a>'
    )
    started = time.monotonic()
    assert http.post("/eq", content=LAUGHS).status_code == 404
    assert http.post("/lol", content=LAUGHS).status_code == 404  # not expanded
    assert http.post("/xxe", content=xxe(secret)).status_code == 404  # not read
    for body in (LAUGHS, xxe(secret), external_dtd, external_entity):
        r = http.post("/tpl", content=body)
        assert r.status_code in (200, 500) and "TOPSECRET" not in r.text and "lollollol" not in r.text
    for url in ("/eq", "/lol", "/xxe"):
        assert http.post(url, content=external_dtd).status_code == 404
        assert http.post(url, content=external_entity).status_code == 404
    assert time.monotonic() - started < 5
    assert hits == []  # no network access


def test_xml_in_stubs_is_parsed_safely_too(http: httpx.Client, secret: Path) -> None:
    r = http.post("/__admin/mappings", json={"request": {"url": "/s", "bodyPatterns": [{"equalToXml": xxe(secret)}]},
                                             "response": {"status": 200}})  # fmt: skip
    assert r.status_code in (201, 422)
    assert "TOPSECRET" not in r.text
    assert "TOPSECRET" not in http.get("/__admin/mappings").text


# -- JSON ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/__admin/mappings"),
        ("POST", "/__admin/mappings/import"),
        ("POST", "/__admin/requests/find"),
        ("POST", "/__admin/requests/count"),
        ("POST", "/__admin/near-misses/request-pattern"),
        ("POST", "/__admin/settings"),
        ("POST", "/__admin/recordings/start"),
        ("POST", "/__admin/scenarios/x/state"),
        ("PUT", "/__admin/scenarios/x/state"),
    ],
)
def test_deep_json_on_the_admin_api_is_a_clear_4xx(http: httpx.Client, method: str, path: str) -> None:
    for body in (deep_json(100_000), b'{"request": ' + deep_json(100_000) + b"}"):
        r = http.request(method, path, content=body)
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:200])
    assert http.get("/__admin/health").status_code == 200


def test_deep_json_request_bodies_do_not_match(http: httpx.Client) -> None:
    for name, pattern in (
        ("eq", {"equalToJson": {"a": 1}}),
        ("path", {"matchesJsonPath": "$.a"}),
        ("sub", {"matchesJsonPath": {"expression": "$..a", "equalTo": "1"}}),
        ("schema", {"matchesJsonSchema": {"type": "array"}}),
    ):
        stub(http, {"request": {"method": "POST", "url": f"/{name}", "bodyPatterns": [pattern]},
                    "response": {"status": 200}})  # fmt: skip
    stub(http, {"request": {"method": "POST", "url": "/tpl"},
                "response": {"status": 200, "body": "{{jsonPath request.body '$.a'}}",
                             "transformers": ["response-template"]}})  # fmt: skip
    for body in (deep_json(100_000), b'{"a": ' + deep_json(50_000) + b"}"):
        for name in ("eq", "path", "sub", "schema"):
            assert http.post(f"/{name}", content=body).status_code == 404, name
        assert http.post("/tpl", content=body).status_code in (200, 500)  # an answer, not a crash
    assert http.post("/eq", json={"a": 1}).status_code == 200


def test_deep_json_in_a_stub_file_is_a_load_problem(root: Path, start: Any) -> None:
    (root / "mappings" / "deep.json").write_bytes(b'{"request": {"url": "/d"}, "response": {"jsonBody": '
                                                  + deep_json(100_000) + b"}}")  # fmt: skip
    (root / "mappings" / "good.json").write_text('{"request": {"url": "/g"}, "response": {"status": 200}}')
    with start() as (_, http):
        assert http.get("/g").status_code == 200
        problems = http.get("/__admin/mappings/problems").json()
        assert "deep.json" in str(problems)


# -- YAML ------------------------------------------------------------------------------------------


def test_yaml_alias_bombs_and_huge_files_are_skipped(root: Path, start: Any) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    lines += ["request: {url: /bomb}", "response: {status: 200}"]
    (root / "mappings" / "bomb.yaml").write_text("\n".join(lines))
    (root / "mappings" / "huge.yaml").write_text("# " + "x" * (11 * 1024 * 1024))
    (root / "mappings" / "python.yaml").write_text(
        "request: {url: !!python/object/apply:os.system ['touch pwned']}\nresponse: {status: 200}"
    )
    (root / "mappings" / "good.yml").write_text("request: {url: /good}\nresponse: {status: 200}\n")
    started = time.monotonic()
    with start() as (_, http):
        assert http.get("/good").status_code == 200
        assert http.get("/bomb").status_code == 404
        problems = str(http.get("/__admin/mappings/problems").json())
    assert time.monotonic() - started < 10
    for name in ("bomb.yaml", "huge.yaml", "python.yaml"):
        assert name in problems
    assert "aliases" in problems and "allowed" in problems
    assert not (root / "pwned").exists() and not Path("pwned").exists()


# -- gzip and multipart ----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_gzip_bomb_is_not_decoded_past_the_body_limit(start: Any) -> None:
    with start(max_body_size=1024 * 1024) as (_, http):
        stub(http, {"request": {"method": "POST", "url": "/z", "bodyPatterns": [{"matches": "\\x00+"}]},
                    "response": {"status": 200}})  # fmt: skip
        small = gzip.compress(b"\0" * 512 * 1024)
        assert http.post("/z", content=small, headers={"Content-Encoding": "gzip"}).status_code == 200
        bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), 9)  # 64 MB in about 64 KB
        assert len(bomb) < 100 * 1024
        started = time.monotonic()
        assert http.post("/z", content=bomb, headers={"Content-Encoding": "gzip"}).status_code == 404
        assert time.monotonic() - started < 2


@pytest.mark.slow
def test_a_gzip_bomb_with_the_default_limit_answers(http: httpx.Client) -> None:
    bomb = gzip.compress(b"\0" * (100 * 1024 * 1024), 9)  # above the default 64 MB limit
    started = time.monotonic()
    assert http.post("/z", content=bomb, headers={"Content-Encoding": "gzip"}).status_code == 404
    assert time.monotonic() - started < 5


def test_a_multipart_body_with_a_huge_part_count(http: httpx.Client) -> None:
    stub(http, {"request": {"method": "POST", "url": "/m", "multipartPatterns": [
        {"matchingType": "ANY", "bodyPatterns": [{"equalTo": "needle"}]}]}, "response": {"status": 200}})  # fmt: skip
    part = b'--b\r\nContent-Disposition: form-data; name="p"\r\n\r\nhay\r\n'
    needle = b'--b\r\nContent-Disposition: form-data; name="n"\r\n\r\nneedle\r\n'
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    started = time.monotonic()
    crowded = part * 200_000 + needle + b"--b--\r\n"  # the needle is past the part limit
    assert http.post("/m", content=crowded, headers=headers).status_code == 404
    assert http.post("/m", content=part * 10 + needle + b"--b--\r\n", headers=headers).status_code == 200
    assert time.monotonic() - started < 5
