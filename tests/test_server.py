"""A real mockd on port 0, driven over HTTP: responses, headers, gzip, the 404 report, static files."""

from __future__ import annotations

import base64
import gzip
import json
import re
import socket
from pathlib import Path

import httpx
import pytest
from support import stub

from mockd.embedded import EmbeddedServer, serve


def test_body_status_reason_and_headers(http: httpx.Client) -> None:
    created = stub(http, {
        "name": "Çafé stub",
        "request": {"method": "GET", "url": "/r"},
        "response": {"status": 201, "statusMessage": "Made It", "body": "hello",
                     "headers": {"X-Multi": ["a", "b"], "Content-Type": "text/plain"}},
    })  # fmt: skip
    r = http.get("/r")
    assert (r.status_code, r.reason_phrase, r.text) == (201, "Made It", "hello")
    assert r.headers.get_list("X-Multi") == ["a", "b"]
    assert r.headers["Matched-Stub-Id"] == created["id"]
    assert r.headers["Matched-Stub-Name"] == "?af? stub"


def test_json_body_is_compact_with_exact_decimals_and_no_content_type(http: httpx.Client) -> None:
    r = http.post(
        "/__admin/mappings",
        content=b'{"request": {"url": "/j"}, "response": {"jsonBody": {"price": 1.10, "n": [0.000, -2.50]}}}',
    )
    assert r.status_code == 201
    r = http.get("/j", headers={"Accept-Encoding": "identity"})
    assert r.text == '{"price":1.10,"n":[0.000,-2.50]}'
    assert "content-type" not in r.headers


def test_body_precedence_and_base64(http: httpx.Client) -> None:
    stub(
        http,
        {"request": {"url": "/p"}, "response": {"body": "text", "jsonBody": {"a": 1}, "base64Body": "AAE="}},
    )
    stub(
        http,
        {"request": {"url": "/b"}, "response": {"base64Body": base64.b64encode(b"\x00\x01\xff").decode()}},
    )
    assert http.get("/p").text == "text"
    assert http.get("/b").content == b"\x00\x01\xff"


def test_body_file(server: EmbeddedServer, http: httpx.Client, root: Path) -> None:
    (root / "__files" / "docs").mkdir()
    (root / "__files" / "docs" / "a.txt").write_text("from a file")
    (root / "secret.txt").write_text("TOPSECRET")
    stub(http, {"request": {"url": "/f"}, "response": {"bodyFileName": "docs/a.txt"}})
    refused = http.post(
        "/__admin/mappings",
        json={"request": {"url": "/escape"}, "response": {"bodyFileName": "../secret.txt"}},
    )
    assert (
        refused.status_code == 422
        and refused.json()["errors"][0]["source"]["pointer"] == "/response/bodyFileName"
    )
    (root / "__files" / "link.txt").symlink_to(root / "secret.txt")
    stub(http, {"request": {"url": "/escape"}, "response": {"bodyFileName": "link.txt"}})
    stub(http, {"request": {"url": "/missing"}, "response": {"bodyFileName": "nope.txt"}})
    assert http.get("/f").text == "from a file"
    for path in ("/escape", "/missing"):
        r = http.get(path)
        assert r.status_code == 500 and "TOPSECRET" not in r.text


def test_gzip_when_accepted(http: httpx.Client) -> None:
    stub(http, {"request": {"url": "/g"}, "response": {"body": "zip me"}})
    with httpx.Client(base_url=str(http.base_url)) as raw:
        r = raw.get("/g", headers={"Accept-Encoding": "gzip"})
        assert r.headers["Content-Encoding"] == "gzip" and r.text == "zip me"
        r = raw.get("/g", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in r.headers and r.text == "zip me"
    stub(
        http,
        {"request": {"url": "/nogz"}, "response": {"body": "plain", "headers": {"Content-Encoding": "none"}}},
    )
    r = http.get("/nogz", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in r.headers and r.text == "plain"


def test_head_and_get_or_head(http: httpx.Client) -> None:
    stub(http, {"request": {"method": "GET", "url": "/h"}, "response": {"body": "x"}})
    stub(http, {"request": {"method": "GET_OR_HEAD", "url": "/both"}, "response": {"body": "body"}})
    assert http.head("/h").status_code == 404
    r = http.head("/both")
    assert r.status_code == 200 and r.content == b""
    assert http.get("/both").text == "body"


def test_priority_and_newest(http: httpx.Client) -> None:
    stub(http, {"request": {"urlPathPattern": "/pr/.*"}, "response": {"body": "catch-all"}, "priority": 10})
    stub(http, {"request": {"url": "/pr/1"}, "response": {"body": "old"}})
    stub(http, {"request": {"url": "/pr/1"}, "response": {"body": "new"}})
    stub(http, {"request": {"url": "/pr/2"}, "response": {"body": "first"}, "priority": 1})
    stub(http, {"request": {"url": "/pr/2"}, "response": {"body": "later"}})
    assert http.get("/pr/1").text == "new"
    assert http.get("/pr/2").text == "first"
    assert http.get("/pr/3").text == "catch-all"


def test_unmatched_report(http: httpx.Client) -> None:
    r = http.get("/nothing")
    assert r.status_code == 404
    assert r.text == "No response could be served as there are no stub mappings in this WireMock instance."
    stub(
        http,
        {
            "name": "The thing",
            "request": {"method": "POST", "url": "/thing", "headers": {"X-K": {"equalTo": "v1"}}},
        },
    )
    r = http.get("/thin", headers={"X-K": "v2"})
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("text/plain")
    for text in ("Request was not matched", "The thing", "/thing", "/thin", "URL does not match",
                 "HTTP method does not match", "Header does not match", "v1", "v2"):  # fmt: skip
        assert text in r.text, text
    narrow = http.get("/thin", headers={"X-WireMock-Console-Width": "80"})
    assert max(len(line) for line in narrow.text.splitlines()) <= 120
    r = http.post("/thing")
    assert "Header is not present" in r.text


def test_static_files_for_unmatched_get(http: httpx.Client, root: Path) -> None:
    (root / "__files" / "static").mkdir()
    (root / "__files" / "static" / "page.txt").write_text("static content")
    stub(http, {"request": {"url": "/other"}})
    assert http.get("/static/page.txt").text == "static content"
    assert http.post("/static/page.txt", content=b"x").status_code == 404
    assert http.get("/static/../../etc/passwd").status_code == 404


def test_percent_encoded_paths_are_raw(http: httpx.Client) -> None:
    stub(http, {"request": {"urlPath": "/files/my%20doc"}, "response": {"body": "encoded"}})
    assert http.get("/files/my%20doc").text == "encoded"
    assert http.get("/files/my+doc").status_code == 404


def test_gzipped_request_body(http: httpx.Client) -> None:
    stub(
        http,
        {
            "request": {"method": "POST", "url": "/gz", "bodyPatterns": [{"contains": "inside"}]},
            "response": {"body": "ok"},
        },
    )
    r = http.post("/gz", content=gzip.compress(b"the word inside"), headers={"Content-Encoding": "gzip"})
    assert r.text == "ok"


def test_admin_never_500_on_bad_input(http: httpx.Client) -> None:
    for body in (b"", b"{", b"[]", b"null", b'"x"', b'{"request": 1}', b'{"response": {"status": "x"}}',
                 b"\xff\xfe", b'{"request": {"headers": {"a": []}}}'):  # fmt: skip
        r = http.post("/__admin/mappings", content=body)
        assert 400 <= r.status_code < 500, (body, r.status_code, r.text)
        assert r.json()["errors"][0]["title"]


def test_stubs_loaded_from_the_root_at_start(tmp_path: Path) -> None:
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "a.yaml").write_text("request: {url: /from-file}\nresponse: {body: loaded}\n")
    (tmp_path / "mappings" / "broken.json").write_text('{"request": {"urlx": "/x"}}')
    with serve(tmp_path) as s, httpx.Client(base_url=s.url) as c:
        assert c.get("/from-file").text == "loaded"
        assert len(s.core.problems) == 1


def test_strict_loading_refuses_to_start(tmp_path: Path) -> None:
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "broken.json").write_text('{"request": {"urlx": "/x"}}')
    with pytest.raises(Exception, match="urlx"), serve(tmp_path, strict_loading=True):
        pass


def test_malformed_request_line_gets_400(server: EmbeddedServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n")
        data = s.recv(1024)
    assert re.match(rb"HTTP/1\.[01] 400 ", data), data[:80]


def test_journal_records_matched_and_unmatched(server: EmbeddedServer, http: httpx.Client) -> None:
    stub(http, {"request": {"url": "/j1"}})
    http.get("/j1")
    http.get("/j2")
    events = list(server.core.journal.newest_first())
    assert [e.request.url for e in events] == ["/j2", "/j1"]
    assert [e.was_matched for e in events] == [False, True]
    assert json.dumps([e.response.status for e in events if e.response]) == "[404, 200]"


def test_stub_cors(tmp_path: Path) -> None:
    with serve(tmp_path, enable_stub_cors=True) as s, httpx.Client(base_url=s.url) as c:
        stub(c, {"request": {"method": "GET", "url": "/c"}, "response": {"body": "x"}})
        r = c.get("/c", headers={"Origin": "http://app"})
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        pre = c.options("/c", headers={"Origin": "http://app", "Access-Control-Request-Method": "GET"})
        assert pre.status_code == 200 and "GET" in pre.headers["Access-Control-Allow-Methods"]
    with serve(tmp_path) as s, httpx.Client(base_url=s.url) as c:
        stub(c, {"request": {"method": "GET", "url": "/c"}, "response": {"body": "x"}})
        assert "access-control-allow-origin" not in c.get("/c").headers
