"""mockd.multipart.parse_multipart: form-data, mixed and related bodies, tolerant of anything."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mockd.multipart import MAX_PARTS, parse_multipart

FORM = (
    b"This is the preamble.\r\n"
    b"--XyZ\r\n"
    b'Content-Disposition: form-data; name="title"\r\n'
    b"\r\n"
    b"Hello\r\n"
    b"--XyZ\r\n"
    b'Content-Disposition: form-data; name="text"\r\n'
    b"\r\n"
    b"two\r\nlines\r\n--XyZabc is not a delimiter\r\n"
    b"--XyZ\r\n"
    b'Content-Disposition: form-data; name="upload"; filename="a.txt"\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"\x00\xff binary \r\n\r\n"
    b"--XyZ--\r\n"
    b"This is the epilogue.\r\n"
)


def test_two_fields_and_a_file() -> None:
    parts = parse_multipart("multipart/form-data; boundary=XyZ", FORM)
    assert [(p.name, p.file_name) for p in parts] == [("title", None), ("text", None), ("upload", "a.txt")]
    assert parts[0].body == b"Hello"
    assert parts[1].body == b"two\r\nlines\r\n--XyZabc is not a delimiter"
    assert parts[2].body == b"\x00\xff binary \r\n"
    assert parts[2].headers == (
        ("Content-Disposition", 'form-data; name="upload"; filename="a.txt"'),
        ("Content-Type", "text/plain; charset=utf-8"),
    )
    assert parts[2].header_values("content-type") == ["text/plain; charset=utf-8"]
    assert parts[0].text == "Hello"


def test_bare_lf_line_endings() -> None:
    parts = parse_multipart("multipart/form-data; boundary=XyZ", FORM.replace(b"\r\n", b"\n"))
    assert [(p.name, p.body) for p in parts] == [
        ("title", b"Hello"),
        ("text", b"two\nlines\n--XyZabc is not a delimiter"),
        ("upload", b"\x00\xff binary \n"),
    ]


def test_quoted_boundary_and_parameters() -> None:
    body = (
        b'--a:b=c d\r\nContent-Disposition: form-data; name="x;y \\"q\\""\r\n\r\n1\r\n--a:b=c d--'
        b"\r\n--a:b=c d\r\n\r\nepilogue, not a part\r\n"
    )
    parts = parse_multipart('Multipart/Form-Data; charset=utf-8; BOUNDARY="a:b=c d"', body)
    assert [(p.name, p.body) for p in parts] == [('x;y "q"', b"1")]


def test_extended_file_name_wins() -> None:
    body = (
        b"--b\r\nContent-Disposition: attachment; filename=\"plain.txt\"; filename*=UTF-8''%C3%A9t%C3%A9.txt;"
        b' name="f"\r\n\r\ndata\r\n'
        b"--b\r\nContent-Disposition: form-data; name=n2; "
        b'filename="C:\\dir\\r\xc3\xa9sum\xc3\xa9.doc"\r\n\r\n'
        b"\r\n--b--"
    )
    parts = parse_multipart("multipart/form-data; boundary=b", body)
    assert [(p.name, p.file_name, p.body) for p in parts] == [
        ("f", "\u00e9t\u00e9.txt", b"data"),
        ("n2", "C:\\dir\\r\u00e9sum\u00e9.doc", b""),
    ]


def test_unnamed_related_parts() -> None:
    body = (
        b"--rel\r\nContent-Type: application/json\r\nContent-ID: <root>\r\n\r\n{}\r\n"
        b"--rel\r\n\r\nno headers at all\r\n"
        b"--rel\r\nContent-Type: image/png\r\n  ; folded=yes\r\n\r\n\x89PNG\r\n"
        b"--rel--"
    )
    parts = parse_multipart('multipart/related; type="application/json"; boundary=rel', body)
    assert [p.name for p in parts] == [None, None, None]
    assert [p.body for p in parts] == [b"{}", b"no headers at all", b"\x89PNG"]
    assert parts[0].headers == (("Content-Type", "application/json"), ("Content-ID", "<root>"))
    assert parts[1].headers == ()
    assert parts[2].headers == (("Content-Type", "image/png ; folded=yes"),)


def test_mixed() -> None:
    body = b"--m\nContent-Type: text/plain\n\none\n--m\nContent-Type: text/html\n\n<b>two</b>\n--m--\n"
    parts = parse_multipart("multipart/mixed; boundary=m", body)
    assert [(p.header_values("Content-Type"), p.body) for p in parts] == [
        (["text/plain"], b"one"),
        (["text/html"], b"<b>two</b>"),
    ]


def test_truncated_body_keeps_the_complete_parts() -> None:
    cut = FORM.index(b"binary")
    parts = parse_multipart("multipart/form-data; boundary=XyZ", FORM[:cut])
    assert [p.name for p in parts] == ["title", "text"]
    assert parse_multipart("multipart/form-data; boundary=XyZ", FORM[:20]) == []


def test_garbage_gives_no_parts() -> None:
    assert parse_multipart("multipart/form-data", FORM) == []  # no boundary
    assert parse_multipart("multipart/form-data; boundary=", FORM) == []
    assert parse_multipart('multipart/form-data; boundary=""', FORM) == []
    assert parse_multipart("multipart/form-data; boundary=other", FORM) == []
    assert parse_multipart("multipart/form-data; boundary=XyZ", b"") == []
    assert parse_multipart("", b"\xff\xfe garbage") == []
    assert parse_multipart("multipart/form-data; boundary=\udcff", b"--\xff\r\n\r\nx\r\n--\xff--") != []


def test_at_most_max_parts() -> None:
    body = (
        b"".join(b'--b\r\nContent-Disposition: form-data; name="p"\r\n\r\nv\r\n' for _ in range(1500))
        + b"--b--"
    )
    parts = parse_multipart("multipart/form-data; boundary=b", body)
    assert len(parts) == MAX_PARTS


def test_hostile_header_values_stay_fast() -> None:
    long_value = b"form-data; " + b"x" * 300_000 + b" y; " + b";" * 100_000
    body = b"--b\r\nContent-Disposition: " + long_value + b"\r\n\r\nv\r\n--b--"
    parts = parse_multipart("multipart/form-data; boundary=b; " + "z" * 300_000 + " q", body)
    assert [p.body for p in parts] == [b"v"]


_pieces = st.sampled_from(
    [b"--b", b"--", b"\r\n", b"\n", b"\r", b" ", b"Content-Disposition: form-data", b"; name=",
     b"; filename*=", b"UTF-8''%C3%A9", b"x'y'%ZZ", b'"', b"\\", b";", b":", b"x", b"\xff", b"\x00"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.binary(max_size=200))
def test_never_raises_on_any_bytes(content_type: str, body: bytes) -> None:
    parse_multipart(content_type, body)
    parse_multipart("multipart/form-data; boundary=b", body)


@settings(max_examples=200, deadline=None)
@given(st.lists(_pieces, max_size=60).map(b"".join), st.sampled_from(["b", '"b"', "b;x=1", "", '"b']))
def test_never_raises_on_almost_multipart(body: bytes, boundary: str) -> None:
    for part in parse_multipart(f"multipart/mixed; boundary={boundary}", body):
        assert isinstance(part.body, bytes)
        assert part.name is None or isinstance(part.name, str)
